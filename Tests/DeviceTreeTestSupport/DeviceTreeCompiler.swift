import Foundation

/// The reference implementation the blob tests compare against: `dtc`, the Device Tree
/// Compiler (Debian package `device-tree-compiler`, installed by
/// Scripts/lab/install-host-packages.sh). Tests that need it are skipped with
/// `DeviceTreeCompiler.missingReason` when it is not on PATH.
public struct DeviceTreeCompiler: Sendable {
    /// The `dtc` executable.
    public let path: String

    /// The compiler on PATH, or nil.
    public static let found: DeviceTreeCompiler? = {
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        for directory in directories {
            let candidate = "\(directory)/dtc"
            if FileManager.default.isExecutableFile(atPath: candidate) { return DeviceTreeCompiler(path: candidate) }
        }
        return nil
    }()

    /// Why the dtc tests are skipped here.
    public static let missingReason =
        "dtc is not on PATH (Debian: apt-get install device-tree-compiler, or Scripts/lab/install-host-packages.sh)"

    /// What one run produced.
    public struct Run: Sendable {
        public var status: Int32
        public var output: Data
        /// Standard error: dtc's warnings and errors.
        public var messages: String
        public var text: String { String(decoding: output, as: UTF8.self) }
    }

    /// `dtc -I dtb -O dts` of `blob`, with any extra arguments (warning switches, `-s`).
    public func decompile(_ blob: [UInt8], arguments: [String] = []) throws -> Run {
        try run(["-I", "dtb", "-O", "dts"] + arguments, input: Data(blob))
    }

    /// `dtc -I dts -O dtb` of `source`, with any extra arguments (`-b` for the boot CPU).
    public func compile(_ source: String, arguments: [String] = []) throws -> Run {
        try run(["-I", "dts", "-O", "dtb"] + arguments, input: Data(source.utf8))
    }

    /// Runs dtc on `input` through a file (dtc reads a dtb from a file more reliably than from a pipe).
    func run(_ arguments: [String], input: Data) throws -> Run {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dtc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let inputFile = folder.appendingPathComponent("input")
        let outputFile = folder.appendingPathComponent("output")
        try input.write(to: inputFile)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments + ["-o", outputFile.path, inputFile.path]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let messages = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let output = (try? Data(contentsOf: outputFile)) ?? Data()
        return Run(status: process.terminationStatus, output: output, messages: messages)
    }
}
