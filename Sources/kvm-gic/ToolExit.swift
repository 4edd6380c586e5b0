import ArgumentParser
import Foundation

/// The exit statuses of every `kvm-gic` command, one table so `--help`, the README and the
/// tests say the same thing.
///
/// | status | meaning |
/// |---|---|
/// | 0 | done: the snapshots are identical, every scenario passed |
/// | 1 | done, and the answer is "no": snapshots differ, a scenario failed |
/// | 2 | bad input: a file that cannot be read, decoded or written, a host that cannot run the check |
/// | 64 | usage: an unknown option, a missing or out-of-range value (`EX_USAGE`, ArgumentParser's own) |
/// | 130 / 143 | interrupted by SIGINT / SIGTERM (128 + the signal, the shell convention) |
enum ToolExit {
    static let success: Int32 = 0
    static let differences: Int32 = 1
    static let badInput: Int32 = 2
    static let usage: Int32 = 64

    /// Interrupted by `signal`: 128 + its number.
    static func interrupted(by signal: Int32) -> Int32 { 128 + signal }

    /// The table, for `discussion:` texts of `--help`.
    static let helpText = """
        Exit status: 0 success; 1 differences found or a scenario failed; 2 bad input (a file \
        that cannot be read, decoded or written); 64 usage error; 130/143 interrupted by \
        SIGINT/SIGTERM.
        """

    /// Writes `message` as one line to stderr, prefixed with the command, and returns the exit
    /// code to throw: `throw ToolExit.fail("kvm-gic snapshot show", "x.bin: truncated …", ToolExit.badInput)`.
    static func fail(_ command: String, _ message: String, _ status: Int32) -> ExitCode {
        printError("\(command): \(message)")
        return ExitCode(status)
    }

    /// One line to stderr, newlines inside the message folded so the line stays one line.
    static func printError(_ line: String) {
        let folded = line.split(whereSeparator: \.isNewline).joined(separator: " ")
        FileHandle.standardError.write(Data((folded + "\n").utf8))
    }
}
