import Foundation

/// Runs one lab script in a process group of its own (`ProcessGroup`), with its stderr passed
/// through to ours (progress stays visible) and its stdout delivered line by line while it
/// runs, so boot output streams to the console as it arrives instead of after the boot.
///
/// Nothing the script started outlives `run`: whatever of its group is still alive when the
/// script exits is ended, and an interruption (`LabInterruption`) ends the whole group at once.
struct ScriptProcess {
    let executable: URL
    let arguments: [String]
    let workingDirectory: URL
    /// The script's whole environment; nil passes ours on.
    var environment: [String: String]? = nil
    /// Where Ctrl-C / SIGTERM is noted; nil for a script nothing can interrupt.
    var interruption: LabInterruption? = nil

    /// Runs to completion; `onLine` sees each stdout line (without terminator) as soon as it is
    /// complete. Returns the exit status (128 + signal when killed by a signal).
    ///
    /// - Throws: `LabError.interrupted` when the run was interrupted before or while the script
    ///   ran (its lines up to then have been delivered, its group has been ended);
    ///   `LabError.launchFailed` when it cannot be started.
    func run(onLine: (String) -> Void) throws(LabError) -> Int32 {
        if let signal = interruption?.signal { throw .interrupted(signal: signal) }
        let output = try ProcessGroup.makePipe()
        let pid: pid_t
        do {
            pid = try ProcessGroup.spawn(
                executable.path, arguments, workingDirectory: workingDirectory.path, environment: environment,
                stdout: output.write)
        } catch {
            close(output.read)
            close(output.write)
            throw error
        }
        close(output.write)
        interruption?.adopt(pid)

        readLines(from: output.read, onLine: onLine)
        close(output.read)
        let status = ProcessGroup.wait(pid)
        ProcessGroup.end(pid, grace: .seconds(2))
        interruption?.release(pid)
        if let signal = interruption?.signal { throw .interrupted(signal: signal) }
        return status
    }

    /// Runs to completion and returns the last non-empty stdout line (the scripts print their
    /// result path there), or nil. Earlier stdout lines go to `onLine`.
    func runForLastLine(onLine: (String) -> Void) throws(LabError) -> (status: Int32, last: String?) {
        var last: String?
        let status = try run { line in
            guard !line.isEmpty else { return }
            if let previous = last { onLine(previous) }
            last = line
        }
        return (status, last)
    }

    /// Reads `descriptor` to its end (every writer gone), handing over each line as it completes.
    private func readLines(from descriptor: Int32, onLine: (String) -> Void) {
        var pending: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            pending.append(contentsOf: buffer[0..<count])
            while let newline = pending.firstIndex(of: 0x0A) {
                onLine(String(decoding: pending[..<newline], as: UTF8.self))
                pending.removeSubrange(...newline)
            }
        }
        if !pending.isEmpty { onLine(String(decoding: pending, as: UTF8.self)) }
    }
}
