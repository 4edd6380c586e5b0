import Foundation

/// Runs the built `kvm-gic` binary as a user would and captures what it printed where.
///
/// The binary sits beside this test bundle in the build folder (`swift test` builds it: the
/// test target depends on the executable target).
struct ToolRun {
    var status: Int32
    var stdout: String
    var stderr: String

    /// The `kvm-gic` executable of this build.
    static var executable: URL {
        let bundleFolder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [bundleFolder, bundleFolder.deletingLastPathComponent()] {
            let url = candidate.appendingPathComponent("kvm-gic")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
            .appendingPathComponent(".build/debug/kvm-gic")
    }

    /// Runs `kvm-gic arguments…` to completion with no standard input.
    static func run(_ arguments: [String], workingDirectory: URL? = nil) throws -> ToolRun {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let workingDirectory { process.currentDirectoryURL = workingDirectory }
        process.standardInput = FileHandle.nullDevice
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes to the end before waiting, so a chatty child cannot block on a full pipe.
        let errData = Locked<Data>(Data())
        let errReader = Thread { errData.set(err.fileHandleForReading.readDataToEndOfFile()) }
        errReader.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !errData.isSet { Thread.sleep(forTimeInterval: 0.005) }
        return ToolRun(
            status: process.terminationStatus,
            stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData.value, as: UTF8.self))
    }

    /// Non-empty stderr lines.
    var errorLines: [Substring] { stderr.split(separator: "\n") }
}

/// A value one thread sets and another polls.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    private var wasSet = false

    init(_ value: Value) { stored = value }

    func set(_ value: Value) {
        lock.lock()
        stored = value
        wasSet = true
        lock.unlock()
    }

    var isSet: Bool {
        lock.lock()
        defer { lock.unlock() }
        return wasSet
    }

    var value: Value {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }
}
