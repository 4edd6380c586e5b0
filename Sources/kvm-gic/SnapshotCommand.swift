import ArgumentParser
import SnapshotTools

/// `kvm-gic snapshot`: tools for saved vgic snapshots (binary or JSON, told apart by content).
///
/// Results go to stdout, errors to stderr as one line naming the file and what is wrong, with
/// the statuses of `ToolExit`.
struct SnapshotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot",
        abstract: "Inspect, convert and compare saved vgic snapshots.",
        discussion: ToolExit.helpText,
        subcommands: [Diff.self, Show.self]
    )

    /// `kvm-gic snapshot diff A B`.
    struct Diff: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the registers that differ between two snapshots.",
            discussion: """
                Exit status 0 when the snapshots are identical, 1 when they differ, 2 when a file \
                cannot be read or is not a snapshot, 64 on a usage error.
                """
        )

        @Argument(help: "The first snapshot file (binary or JSON).")
        var first: String

        @Argument(help: "The second snapshot file (binary or JSON).")
        var second: String

        func run() throws {
            let outcome: (identical: Bool, lines: [String])
            do throws(SnapshotToolError) {
                outcome = try SnapshotDiff.run(first, second)
            } catch {
                throw ToolExit.fail("kvm-gic snapshot diff", error.description, ToolExit.badInput)
            }
            for line in outcome.lines { print(line) }
            if !outcome.identical { throw ExitCode(ToolExit.differences) }
        }
    }

    /// `kvm-gic snapshot show FILE [--output OUT [--form binary|json]]`.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a snapshot as JSON, or convert it with --output.",
            discussion: """
                Without --output the snapshot is printed as JSON. With --output it is written to \
                that file in the form --form names (json by default); --form needs --output. \
                Exit status 0 when done, 2 when the file cannot be read, is not a snapshot or \
                cannot be written, 64 on a usage error.
                """
        )

        @Argument(help: "The snapshot file (binary or JSON).")
        var file: String

        @Option(name: .long, help: "Write the snapshot to this file instead of printing it.")
        var output: String?

        @Option(name: .long, help: "The form --output is written in: binary or json (needs --output).")
        var form: SnapshotFile.Form?

        func validate() throws {
            if form != nil && output == nil {
                throw ValidationError("--form names the form of --output; give --output FILE too (stdout is always JSON)")
            }
        }

        func run() throws {
            do throws(SnapshotToolError) {
                let snapshot = try SnapshotFile.read(file)
                if let output {
                    try SnapshotFile.write(snapshot, to: output, as: form ?? .json)
                } else {
                    let bytes = try SnapshotFile.encode(snapshot, as: .json)
                    print(String(decoding: bytes, as: UTF8.self))
                }
            } catch {
                throw ToolExit.fail("kvm-gic snapshot show", error.description, ToolExit.badInput)
            }
        }
    }
}

extension SnapshotFile.Form: ExpressibleByArgument {}
