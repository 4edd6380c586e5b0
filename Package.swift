// swift-tools-version: 6.0
import PackageDescription

/// Layers, bottom to top:
///   CKVM (C shim over <linux/kvm.h>)  ─┐
///   GICVocabulary (pure GIC facts)     ├─> KVM (typed ioctls) ─> VGIC (device API) ─> Conformance
///   DeviceTree (devicetree values, the DTB writer and reader; no dependencies),
///   GICDescription (on VGIC + DeviceTree: the GIC, timer and minimal machine as a guest's devicetree)
///   GICModel (GICv3 reference model) and GICv5Model (GICv5 model), on GICVocabulary only
///   GICSnapshot (capture/restore, on VGIC), CheckedVGIC (VGIC + GICModel in lockstep),
///   KVMSimulation (a simulated kernel: KVM's choke point answered by GICModel and GICv5Model),
///   GuestHarness (on GICVocabulary only: the A64 assembler, the guest runtime and its programs as data),
///   SnapshotTools (host-only JSON + diff), LabHost (host-only lab, on Conformance's Figure and Totals),
///   MinimalVMM (a minimal VMM on the public API: Linux boot, a PL011, vCPU threads, live migration)
/// The core — GICVocabulary, DeviceTree, GuestHarness, KVM, VGIC, GICDescription, GICModel, GICv5Model, GICSnapshot,
/// CheckedVGIC, MinimalVMM, Conformance and KVMSimulation, with ConformanceRunner on top — also compiles as Embedded Swift (`Scripts/embedded-build.sh`),
/// so it carries no Foundation and no dependencies. The host-side tools (`kvm-gic`, `LabHost`, `SnapshotTools`,
/// `SnapshotFuzz`, `kvm-gic-bench`) and the test-support targets are not part of it.
let package = Package(
    name: "swift-kvm-gic",
    products: [
        .library(name: "GICVocabulary", targets: ["GICVocabulary"]),
        .library(name: "KVM", targets: ["KVM"]),
        .library(name: "VGIC", targets: ["VGIC"]),
        .library(name: "GICModel", targets: ["GICModel"]),
        .library(name: "GICv5Model", targets: ["GICv5Model"]),
        .library(name: "GICSnapshot", targets: ["GICSnapshot"]),
        .library(name: "CheckedVGIC", targets: ["CheckedVGIC"]),
        .library(name: "KVMSimulation", targets: ["KVMSimulation"]),
        .library(name: "GuestHarness", targets: ["GuestHarness"]),
        .library(name: "DeviceTree", targets: ["DeviceTree"]),
        .library(name: "GICDescription", targets: ["GICDescription"]),
        .library(name: "MinimalVMM", targets: ["MinimalVMM"]),
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
        .target(name: "DeviceTree"),
        .target(name: "GICDescription", dependencies: ["VGIC", "KVM", "GICVocabulary", "DeviceTree"]),
        .target(name: "KVM", dependencies: ["CKVM", "GICVocabulary"]),
        .target(name: "VGIC", dependencies: ["KVM", "GICVocabulary"]),
        .target(name: "GICModel", dependencies: ["GICVocabulary"]),
        .target(name: "GICv5Model", dependencies: ["GICVocabulary"]),
        .target(name: "GuestHarness", dependencies: ["GICVocabulary"]),
        .target(name: "GICSnapshot", dependencies: ["VGIC", "KVM", "GICModel", "GICVocabulary"]),
        .target(name: "CheckedVGIC", dependencies: ["VGIC", "KVM", "GICModel", "GICVocabulary"]),
        .target(
            name: "MinimalVMM",
            dependencies: ["KVM", "VGIC", "GICVocabulary", "DeviceTree", "GICDescription", "GICSnapshot", "CKVM"]),
        .target(name: "KVMSimulation", dependencies: ["KVM", "CKVM", "GICModel", "GICv5Model", "GICVocabulary"]),
        .target(
            name: "Conformance",
            dependencies: [
                "VGIC", "KVM", "GICVocabulary", "CKVM", "GICModel", "GICv5Model", "GICSnapshot", "CheckedVGIC", "GuestHarness",
                "MinimalVMM",
            ]
        ),
        .executableTarget(name: "ConformanceRunner", dependencies: ["Conformance", "CKVM"]),
        .target(name: "LabHost", dependencies: ["Conformance"]),
        .target(name: "SnapshotTools", dependencies: ["GICSnapshot", "VGIC", "GICVocabulary"]),
        .executableTarget(
            name: "kvm-gic",
            dependencies: [
                "KVM", "GICVocabulary", "Conformance", "LabHost", "SnapshotTools", "GICModel", "CheckedVGIC",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The Swift-vs-C instruction counts against a null kernel (Scripts/bench-instructions.sh):
        // host-side, not part of the library and not in the Embedded build.
        .target(name: "CNullKernel", path: "Benchmarks/CNullKernel"),
        .executableTarget(
            name: "kvm-gic-bench", dependencies: ["KVM", "VGIC", "GICVocabulary", "CNullKernel"],
            path: "Benchmarks/kvm-gic-bench"),
        // The seeded generator the test suites share (not part of the library).
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        // dtc, the reference the device-tree tests compare blobs with (Foundation: runs a process).
        .target(name: "DeviceTreeTestSupport", path: "Tests/DeviceTreeTestSupport"),
        // Stub lab packages, executable stub scripts and a locked box, for the lab and tool tests.
        .target(name: "LabTestSupport", path: "Tests/LabTestSupport"),
        // The snapshot consumers' promise and a structure-aware mutator, shared by the
        // deterministic mutation test and the libFuzzer target (Fuzz/, Scripts/fuzz-snapshots.sh).
        .target(
            name: "SnapshotFuzzSupport", dependencies: ["GICSnapshot", "SnapshotTools", "TestSupport"],
            path: "Tests/SnapshotFuzzSupport"),
        // Replays inputs through SnapshotTotality and writes the seed corpus; built with
        // `-sanitize=fuzzer -DSNAPSHOT_LIBFUZZER` it is the libFuzzer target (Scripts/fuzz-snapshots.sh).
        .executableTarget(
            name: "SnapshotFuzz",
            dependencies: ["SnapshotFuzzSupport", "GICSnapshot", "SnapshotTools", "VGIC", "GICVocabulary", "CLibFuzzer"],
            path: "Fuzz/SnapshotFuzz"
        ),
        // The declaration of libFuzzer's driver (a header only; the runtime comes with -sanitize=fuzzer).
        .systemLibrary(name: "CLibFuzzer", path: "Fuzz/CLibFuzzer"),
        .testTarget(name: "GICVocabularyTests", dependencies: ["GICVocabulary", "TestSupport"]),
        .testTarget(name: "KVMTests", dependencies: ["KVM", "CKVM", "GICVocabulary"]),
        .testTarget(name: "VGICTests", dependencies: ["VGIC", "KVM", "GICVocabulary", "CKVM", "KVMSimulation", "GICv5Model"]),
        .testTarget(
            name: "ConformanceTests", dependencies: ["Conformance", "VGIC", "GICVocabulary", "KVM", "KVMSimulation", "GICModel"]),
        .testTarget(name: "LabHostTests", dependencies: ["LabHost", "Conformance", "LabTestSupport"]),
        // Runs the built kvm-gic (and kvm-gic-bench) binary: streams, messages and exit statuses as a user sees them.
        .testTarget(
            name: "KVMGICToolTests",
            dependencies: ["kvm-gic", "kvm-gic-bench", "GICSnapshot", "SnapshotTools", "GICVocabulary", "VGIC", "LabTestSupport"]),
        // Type-checks every ```swift block of README.md against the built library modules.
        .testTarget(
            name: "ReadmeTests",
            dependencies: [
                "GICVocabulary", "KVM", "VGIC", "GICModel", "GICv5Model", "GICSnapshot", "CheckedVGIC", "KVMSimulation", "GuestHarness",
                "DeviceTree", "GICDescription", "MinimalVMM",
            ]
        ),
        .testTarget(name: "DeviceTreeTests", dependencies: ["DeviceTree", "TestSupport", "DeviceTreeTestSupport"]),
        .testTarget(
            name: "GICDescriptionTests",
            dependencies: ["GICDescription", "DeviceTree", "VGIC", "KVM", "GICVocabulary", "DeviceTreeTestSupport"],
            exclude: ["Expected"]),
        .testTarget(name: "GICModelTests", dependencies: ["GICModel", "GICVocabulary"]),
        .testTarget(
            name: "MinimalVMMTests",
            dependencies: [
                "MinimalVMM", "KVM", "VGIC", "GICVocabulary", "DeviceTree", "GICDescription", "GICSnapshot", "KVMSimulation",
                "GICModel", "CKVM", "DeviceTreeTestSupport",
            ]),
        .testTarget(name: "GuestHarnessTests", dependencies: ["GuestHarness", "GICVocabulary"]),
        .testTarget(name: "GICv5ModelTests", dependencies: ["GICv5Model", "GICVocabulary", "TestSupport"]),
        .testTarget(
            name: "CheckedVGICTests", dependencies: ["CheckedVGIC", "GICModel", "VGIC", "KVM", "GICVocabulary", "KVMSimulation"]),
        .testTarget(
            name: "KVMSimulationTests",
            dependencies: ["KVMSimulation", "KVM", "CKVM", "VGIC", "GICSnapshot", "GICModel", "GICv5Model", "GICVocabulary"]),
        .testTarget(
            name: "GICSnapshotTests",
            dependencies: [
                "GICSnapshot", "SnapshotTools", "VGIC", "KVM", "GICVocabulary", "CKVM", "TestSupport", "SnapshotFuzzSupport",
                "KVMSimulation", "GICModel",
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
