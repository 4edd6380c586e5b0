import Foundation
import LabTestSupport

/// Runs the built `kvm-gic` binary as a user would and captures what it printed where.
///
/// The binary sits beside this test bundle in the build folder (`swift test` builds it: the
/// test target depends on the executable target).
struct ToolRun {
    var status: Int32
    var stdout: String
    var stderr: String

    /// The executable `name` (`kvm-gic`, `kvm-gic-bench`) of this build.
    static func executable(_ name: String = "kvm-gic") -> URL {
        let bundleFolder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [bundleFolder, bundleFolder.deletingLastPathComponent()] {
            let url = candidate.appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
            .appendingPathComponent(".build/debug/" + name)
    }

    /// Runs `tool arguments…` to completion (at most 60 s) with no standard input.
    static func run(_ arguments: [String], workingDirectory: URL? = nil, tool: String = "kvm-gic") throws -> ToolRun {
        let directory = workingDirectory ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        return try RunningTool(arguments, in: directory, tool: tool).finish()
    }

    /// Non-empty stderr lines.
    var errorLines: [Substring] { stderr.split(separator: "\n") }
}

/// The kvm-gic binary running in the background: its stdout as it arrives, signals, its end.
final class RunningTool {
    let process = Process()
    private let out = Locked<Data>(Data())
    private let err = Locked<Data>(Data())
    private var readers: [Thread] = []

    init(_ arguments: [String], in directory: URL, tool: String = "kvm-gic") throws {
        process.executableURL = ToolRun.executable(tool)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.standardInput = FileHandle.nullDevice
        let outPipe = Pipe()
        let errPipe = Pipe()
        process.standardOutput = outPipe
        process.standardError = errPipe
        try process.run()
        for (pipe, sink) in [(outPipe, out), (errPipe, err)] {
            let thread = Thread {
                while true {
                    let chunk = pipe.fileHandleForReading.availableData
                    if chunk.isEmpty { break }
                    sink.set(sink.value + chunk)
                }
            }
            thread.start()
            readers.append(thread)
        }
    }

    /// Waits until stdout contains `text` (at most 60 s).
    func waitForOutput(_ text: String) throws {
        let deadline = Date().addingTimeInterval(60)
        while !String(decoding: out.value, as: UTF8.self).contains(text) {
            guard process.isRunning, Date() < deadline else {
                throw RunningToolError(message: "no '\(text)' on stdout; got: \(String(decoding: out.value, as: UTF8.self))")
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
    }

    /// Sends `signal` to the tool's process group, as a terminal does for Ctrl-C.
    func signalGroup(_ signal: Int32) {
        let pid = process.processIdentifier
        if kill(-pid, signal) != 0 { kill(pid, signal) }
    }

    /// Waits for the end (at most 60 s) and both streams to close.
    func finish() throws -> ToolRun {
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning {
            guard Date() < deadline else { throw RunningToolError(message: "kvm-gic did not exit after the signal") }
            Thread.sleep(forTimeInterval: 0.02)
        }
        while readers.contains(where: { !$0.isFinished }) && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        return ToolRun(
            status: process.terminationStatus, stdout: String(decoding: out.value, as: UTF8.self),
            stderr: String(decoding: err.value, as: UTF8.self))
    }

    /// Kills the tool if a test ended early.
    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}

struct RunningToolError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
