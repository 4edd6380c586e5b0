// swift-tools-version: 6.0
import PackageDescription

/// Layers, bottom to top:
///   CKVM (C shim over <linux/kvm.h>)  ─┐
///   GICVocabulary (pure GIC facts)     ├─> KVM (typed ioctls) ─> VGIC (device API) ─> Conformance
///   GICModel (reference model, on GICVocabulary only)
/// Everything except `kvm-gic` and `LabHost` (host-side tools) also compiles as Embedded Swift
/// (`Scripts/embedded-build.sh`), so the core carries no Foundation and no dependencies.
let package = Package(
    name: "swift-kvm-gic",
    products: [
        .library(name: "GICVocabulary", targets: ["GICVocabulary"]),
        .library(name: "KVM", targets: ["KVM"]),
        .library(name: "VGIC", targets: ["VGIC"]),
        .executable(name: "kvm-gic", targets: ["kvm-gic"]),
        .executable(name: "kvm-gic-conformance-runner", targets: ["ConformanceRunner"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CKVM",
            path: "CKVM",
            providers: [.apt(["linux-libc-dev"])]
        ),
        .target(name: "GICVocabulary"),
        .target(name: "KVM", dependencies: ["CKVM", "GICVocabulary"]),
        .target(name: "VGIC", dependencies: ["KVM", "GICVocabulary"]),
        .target(name: "Conformance", dependencies: ["VGIC", "KVM", "GICVocabulary", "CKVM"]),
        .executableTarget(name: "ConformanceRunner", dependencies: ["Conformance", "CKVM"]),
        .target(name: "LabHost"),
        .executableTarget(
            name: "kvm-gic",
            dependencies: [
                "KVM", "GICVocabulary", "Conformance", "LabHost",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "GICVocabularyTests", dependencies: ["GICVocabulary"]),
        .testTarget(name: "KVMTests", dependencies: ["KVM", "CKVM", "GICVocabulary"]),
        .testTarget(name: "VGICTests", dependencies: ["VGIC", "KVM", "GICVocabulary", "CKVM"]),
        .testTarget(name: "ConformanceTests", dependencies: ["Conformance", "VGIC", "KVM", "GICVocabulary"]),
        .testTarget(name: "LabHostTests", dependencies: ["LabHost"]),
    ],
    swiftLanguageModes: [.v6]
)
