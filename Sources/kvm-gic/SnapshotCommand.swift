import ArgumentParser
import SnapshotTools

/// `kvm-gic snapshot`: tools for saved vgic snapshots (binary or JSON, told apart by content).
struct SnapshotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot",
        abstract: "Inspect and compare saved vgic snapshots.",
        subcommands: [Diff.self, Show.self]
    )

    /// `kvm-gic snapshot diff A B`.
    struct Diff: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the registers that differ between two snapshots.",
            discussion: "Exit status 0 when the snapshots are identical, 1 when they differ, 2 when a file cannot be read."
        )

        @Argument(help: "The first snapshot file (binary or JSON).")
        var first: String

        @Argument(help: "The second snapshot file (binary or JSON).")
        var second: String

        func run() throws {
            let outcome = SnapshotDiff.run(first, second)
            for line in outcome.lines { print(line) }
            if outcome.status != 0 { throw ExitCode(outcome.status) }
        }
    }

    /// `kvm-gic snapshot show FILE`.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a snapshot as JSON (or convert it with --output).")

        @Argument(help: "The snapshot file (binary or JSON).")
        var file: String

        @Option(name: .long, help: "Write the snapshot to this file instead of printing it.")
        var output: String?

        @Option(name: .long, help: "The form --output is written in: binary or json.")
        var form: String = "json"

        func run() throws {
            do throws(SnapshotToolError) {
                let snapshot = try SnapshotFile.read(file)
                guard let chosen = SnapshotFile.Form(rawValue: form) else {
                    throw SnapshotToolError.file(path: form, reason: "--form must be binary or json")
                }
                if let output {
                    try SnapshotFile.write(snapshot, to: output, as: chosen)
                } else {
                    let bytes = try SnapshotFile.encode(snapshot, as: .json)
                    print(String(decoding: bytes, as: UTF8.self))
                }
            } catch {
                print("kvm-gic snapshot show: \(error)")
                throw ExitCode(2)
            }
        }
    }
}
