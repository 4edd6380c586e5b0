import Foundation

/// Type-checks README blocks against this package's built modules: one `swiftc -typecheck` for
/// all of them, each block in a file of its own (`ReadmeSwiftBlock.source`).
///
/// The compiler is the toolchain's whose Swift runtime runs these tests, so it reads the
/// `.swiftmodule` files that toolchain wrote; the modules are the ones SwiftPM built for this
/// test bundle. Imports follow `MemberImportVisibility`, so a block must import every module
/// whose names it uses, members included, as a reader's own file would under Swift 7's rule.
struct BlockTypeChecker {
    /// `swiftc`.
    var compiler: String
    /// The folder holding `KVM.swiftmodule` and the other built modules.
    var modules: String

    /// The package's root folder (this file is `Tests/ReadmeTests/BlockTypeChecker.swift`).
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// The checker, or nil when the compiler or the modules cannot be found.
    static let found: BlockTypeChecker? = compiler.flatMap { compiler in
        modules.map { BlockTypeChecker(compiler: compiler, modules: $0) }
    }

    /// The `swiftc` beside the running Swift runtime (`<toolchain>/usr/lib/swift/linux/
    /// libswiftCore.so` → `<toolchain>/usr/bin/swiftc`), else the first on `PATH`.
    static let compiler: String? = {
        var candidates: [String] = []
        if let maps = try? String(contentsOfFile: "/proc/self/maps", encoding: .utf8),
            let line = maps.split(separator: "\n").first(where: { $0.hasSuffix("/libswiftCore.so") }),
            let path = line.split(separator: " ").last
        {
            var usr = URL(fileURLWithPath: String(path))
            for _ in 0..<4 { usr.deleteLastPathComponent() }
            candidates.append(usr.appendingPathComponent("bin/swiftc").path)
        }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        candidates += path.split(separator: ":").map { "\($0)/swiftc" }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    /// Where SwiftPM put the built modules: `Modules/` beside the test bundle
    /// (`.build/<triple>/debug/swift-kvm-gicPackageTests.xctest` and `.build/<triple>/debug/
    /// Modules/KVM.swiftmodule` with SwiftPM 6), or the bundle's own folder (older layouts),
    /// looked for up to three folders above the bundle.
    static let modules: String? = {
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<4 {
            for candidate in [folder.appendingPathComponent("Modules"), folder]
            where FileManager.default.fileExists(atPath: candidate.appendingPathComponent("KVM.swiftmodule").path) {
                return candidate.path
            }
            folder.deleteLastPathComponent()
        }
        return nil
    }()

    /// What `swiftc` said.
    struct Outcome {
        var succeeded: Bool
        /// Its diagnostics (warnings suppressed), naming `readme`'s lines.
        var diagnostics: String
    }

    /// Type-checks `blocks` in one compiler run; `readme` is the path diagnostics name.
    func typecheck(_ blocks: [ReadmeSwiftBlock], readme: String) throws -> Outcome {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("readme-blocks-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var files: [String] = []
        for block in blocks {
            let file = folder.appendingPathComponent("\(block.functionName).swift")
            try block.source(readme: readme).write(to: file, atomically: true, encoding: .utf8)
            files.append(file.path)
        }
        // The build's clang module cache, when there is one: Glibc and CKVM are already there.
        let buildCache = URL(fileURLWithPath: modules).deletingLastPathComponent().appendingPathComponent("ModuleCache")
        let cache = FileManager.default.fileExists(atPath: buildCache.path)
            ? buildCache : folder.appendingPathComponent("ModuleCache")

        let process = Process()
        process.executableURL = URL(fileURLWithPath: compiler)
        process.arguments = [
            "-typecheck", "-parse-as-library", "-module-name", "ReadmeBlocks",
            "-swift-version", "6", "-enable-upcoming-feature", "MemberImportVisibility",
            "-suppress-warnings", "-continue-building-after-errors",   // every broken block, not the first
            "-I", modules,
            // The system-library target KVM imports, as SwiftPM passes it.
            "-Xcc", "-fmodule-map-file=\(Self.packageRoot)/CKVM/module.modulemap",
            "-module-cache-path", cache.path,
        ] + files
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return Outcome(succeeded: process.terminationStatus == 0, diagnostics: text)
    }
}
