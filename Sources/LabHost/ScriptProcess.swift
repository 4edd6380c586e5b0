import Foundation

/// Runs one lab script with its stderr passed through to ours (progress stays visible) and its
/// stdout delivered line by line while it runs, so boot output streams to the console as it
/// arrives instead of after the boot.
struct ScriptProcess {
    let executable: URL
    let arguments: [String]
    let workingDirectory: URL

    /// Runs to completion; `onLine` sees each stdout line (without terminator) as soon as it
    /// is complete. Returns the exit status (128 + signal when killed by a signal).
    func run(onLine: (String) -> Void) throws(LabError) -> Int32 {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = workingDirectory
        process.standardInput = FileHandle.nullDevice
        process.standardError = FileHandle.standardError
        let pipe = Pipe()
        process.standardOutput = pipe
        do {
            try process.run()
        } catch {
            throw LabError.launchFailed(command: executable.path, reason: "\(error)")
        }
        let reader = pipe.fileHandleForReading
        var pending = Data()
        while true {
            let chunk = reader.availableData
            if chunk.isEmpty { break }
            pending.append(chunk)
            while let newline = pending.firstIndex(of: 0x0A) {
                let line = pending[pending.startIndex..<newline]
                onLine(String(decoding: line, as: UTF8.self))
                pending.removeSubrange(pending.startIndex...newline)
            }
        }
        if !pending.isEmpty { onLine(String(decoding: pending, as: UTF8.self)) }
        process.waitUntilExit()
        return process.terminationReason == .uncaughtSignal
            ? 128 + process.terminationStatus : process.terminationStatus
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
}
