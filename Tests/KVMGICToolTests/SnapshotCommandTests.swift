import Foundation
import GICSnapshot
import GICVocabulary
import VGIC
import SnapshotTools
import Testing

/// `kvm-gic snapshot` as a user runs it: results on stdout, every error one stderr line naming
/// the file and what is wrong, statuses 0 / 1 / 2 / 64 (`ToolExit`).
@Suite("kvm-gic snapshot: a Unix tool")
struct SnapshotCommandTests {
    /// A small valid snapshot, written in both forms into a fresh folder.
    final class Files {
        let folder: URL
        let binary: String
        let json: String
        let snapshot: GICSnapshot

        init() throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("kvm-gic-cli-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let layout = VCPULayout(identity: VCPUIdentity(id: 0, affinity: Affinity(aff0: 0)), redistributorType: 0x10, priorityBits: 5)
            let identity = SnapshotIdentity(
                gicVersion: .v3, iidr: 0x0304_B43B, typer: 0x0048_0001, typer2: 0, interruptCount: 64,
                frames: FrameLayout(distributorBase: 0x0800_0000, redistributors: .legacy(base: 0x080A_0000)), vcpus: [layout])
            snapshot = GICSnapshot(
                identity: identity,
                distributor: [try RegisterBank(.distributor(.gicdISPENDR), firstIndex: 1, values: [0x20])],
                vcpus: [VCPUState(banks: [])])
            binary = folder.appendingPathComponent("a.snap").path
            json = folder.appendingPathComponent("a.json").path
            try SnapshotFile.write(snapshot, to: binary, as: .binary)
            try SnapshotFile.write(snapshot, to: json, as: .json)
        }

        func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

        func write(_ bytes: [UInt8], _ name: String) -> String {
            FileManager.default.createFile(atPath: path(name), contents: Data(bytes))
            return path(name)
        }

        deinit { try? FileManager.default.removeItem(at: folder) }
    }

    /// Runs a refused invocation: nothing on stdout, one stderr line, the status.
    func refusal(_ arguments: [String], status: Int32) throws -> String {
        let run = try ToolRun.run(arguments)
        #expect(run.status == status, "\(arguments): \(run.stderr)")
        #expect(run.stdout.isEmpty, "\(arguments) printed to stdout: \(run.stdout)")
        #expect(run.errorLines.count == 1, "\(arguments): \(run.stderr)")
        return String(run.errorLines.first ?? "")
    }

    @Test("show prints JSON on stdout and nothing on stderr; --output converts, and the result reads back")
    func showAndConvert() throws {
        let files = try Files()
        let shown = try ToolRun.run(["snapshot", "show", files.binary])
        #expect(shown.status == 0)
        #expect(shown.stderr.isEmpty)
        #expect(try SnapshotFile.decode(Array(shown.stdout.utf8)) == files.snapshot)
        let out = files.path("b.snap")
        let converted = try ToolRun.run(["snapshot", "show", files.json, "--output", out, "--form", "binary"])
        #expect(converted.status == 0)
        #expect(converted.stdout.isEmpty && converted.stderr.isEmpty)
        #expect(try SnapshotFile.read(out) == files.snapshot)
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: out))) == (try files.snapshot.encoded()))
    }

    @Test("diff: 0 and one line when identical, 1 and the differences when not (binary against JSON)")
    func diffStatuses() throws {
        let files = try Files()
        let same = try ToolRun.run(["snapshot", "diff", files.binary, files.json])
        #expect(same.status == 0)
        #expect(same.stdout == "snapshots are identical\n")
        #expect(same.stderr.isEmpty)
        var changed = files.snapshot
        try changed.distributor[0].set(element: 1, to: 0x21)
        let other = files.path("c.snap")
        try SnapshotFile.write(changed, to: other, as: .binary)
        let differ = try ToolRun.run(["snapshot", "diff", files.binary, other])
        #expect(differ.status == 1)
        #expect(differ.stdout.contains("distributor GICD_ISPENDR[1]: 0x20 -> 0x21 (INTID 32)"))
        #expect(differ.stderr.isEmpty)
    }

    @Test("a missing file is status 2 with the system's reason, on stderr")
    func missingFile() throws {
        let files = try Files()
        let missing = files.path("missing.snap")
        let line = try refusal(["snapshot", "diff", files.binary, missing], status: 2)
        #expect(line == "kvm-gic snapshot diff: \(missing): No such file or directory")
        #expect(try refusal(["snapshot", "show", files.folder.path], status: 2)
            == "kvm-gic snapshot show: \(files.folder.path): is a directory")
    }

    @Test("a binary file cut inside a section says truncated at byte N, not checksum mismatch")
    func truncated() throws {
        let files = try Files()
        let bytes = try files.snapshot.encoded()
        let cut = files.write(Array(bytes.prefix(60)), "cut.snap")
        let line = try refusal(["snapshot", "show", cut], status: 2)
        #expect(line.hasPrefix("kvm-gic snapshot show: \(cut): binary snapshot: truncated at byte "))
        #expect(!line.contains("checksum"))
    }

    @Test("empty, random and out-of-range JSON files each say what they are")
    func distinctMessages() throws {
        let files = try Files()
        let empty = files.write([], "empty")
        #expect(try refusal(["snapshot", "show", empty], status: 2) == "kvm-gic snapshot show: \(empty): empty file")
        let random = files.write([0x13, 0x99, 0x00, 0xFE], "random")
        #expect(try refusal(["snapshot", "show", random], status: 2)
            .hasPrefix("kvm-gic snapshot show: \(random): not a snapshot: neither the binary form"))
        var document = SnapshotDocument(files.snapshot)
        document.vcpus[0].priorityBits = 261
        let wide = files.write([UInt8](try document.json()), "wide.json")
        #expect(try refusal(["snapshot", "show", wide], status: 2)
            == "kvm-gic snapshot show: \(wide): JSON snapshot: vcpus[0].priorityBits: 261 is outside 0...255")
    }

    @Test("a JSON file whose bank runs past its register is refused, converting to binary writes nothing")
    func refusedConversion() throws {
        let files = try Files()
        var document = SnapshotDocument(files.snapshot)
        document.distributor[0].firstIndex = 0xFFFF_FFF0
        let bad = files.write([UInt8](try document.json()), "bad.json")
        let out = files.path("out.snap")
        let line = try refusal(["snapshot", "show", bad, "--output", out, "--form", "binary"], status: 2)
        #expect(line.hasPrefix("kvm-gic snapshot show: \(bad): JSON snapshot: distributor[0]: GICD_ISPENDR has 32 elements"))
        #expect(!FileManager.default.fileExists(atPath: out))
        #expect(try refusal(["snapshot", "diff", bad, files.binary], status: 2).hasPrefix("kvm-gic snapshot diff: \(bad): "))
    }

    @Test("an output that cannot be written is status 2 naming it")
    func unwritableOutput() throws {
        let files = try Files()
        let line = try refusal(["snapshot", "show", files.binary, "--output", "/proc/x.snap"], status: 2)
        #expect(line == "kvm-gic snapshot show: /proc/x.snap: No such file or directory")
    }

    @Test("usage errors are one stderr line and 64, before any file is read", arguments: [
        ["snapshot", "show", "/nonexistent", "--form", "xml"],
        ["snapshot", "show", "/nonexistent", "--form", "binary"],
        ["snapshot", "diff", "/nonexistent"],
        ["model-bench", "--operations", "100000000000"],
        ["model-bench", "--operations", "-5"],
        ["model-bench", "--snapshots", "0"],
    ])
    func usage(arguments: [String]) throws {
        let line = try refusal(arguments, status: 64)
        #expect(line.hasPrefix("kvm-gic: "))
        #expect(line.hasSuffix(" (see --help)"))
        #expect(!line.contains("/nonexistent"), "the file was looked at before the arguments were checked")
    }

    @Test("--help lists the exit statuses on stdout with status 0", arguments: [["--help"], ["snapshot", "--help"]])
    func help(arguments: [String]) throws {
        let run = try ToolRun.run(arguments)
        #expect(run.status == 0)
        #expect(run.stdout.contains("64 usage error"))
        #expect(run.stderr.isEmpty)
    }
}
