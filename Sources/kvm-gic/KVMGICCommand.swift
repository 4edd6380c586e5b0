import ArgumentParser
import Foundation

/// `kvm-gic`: host-side tools for swift-kvm-gic.
@main
struct KVMGICCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kvm-gic",
        abstract: "Create and check Linux KVM's in-kernel Arm GIC from Swift.",
        discussion: ToolExit.helpText,
        subcommands: [ProbeCommand.self, ConformanceCommand.self, SnapshotCommand.self, ModelBenchCommand.self]
    )

    /// ArgumentParser's entry point with the tool's conventions: help on stdout; a usage error
    /// as one stderr line (`kvm-gic: <what is wrong> (see --help)`) with status 64, not the
    /// error plus the whole usage block; errors the commands raised themselves are already
    /// printed and keep their status (`ToolExit`).
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            if error is ExitCode { Foundation.exit(code.rawValue) }
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(code.rawValue)
            }
            var message = self.message(for: error)
            while message.hasSuffix(".") { message.removeLast() }
            ToolExit.printError("kvm-gic: " + message + " (see --help)")
            Foundation.exit(code.rawValue)
        }
    }
}
