import Foundation
import Testing

@testable import LabHost

@Suite("Lab plumbing")
struct LabPlumbingTests {
    @Test("boot.sh exit statuses map to the problems the report names", arguments: [
        (Int32(0), nil), (124, "boot timed out after 30 s (QEMU killed)"), (3, "guest kernel panicked"),
        (1, "boot.sh exited with status 1"),
    ] as [(Int32, String?)])
    func bootOutcome(status: Int32, problem: String?) {
        #expect(BootOutcome(status: status, timeoutSeconds: 30).problem == problem)
    }

    @Test("the filter keeps matching scenarios and the lab's own records")
    func filter() {
        let options = LabOptions(filter: "vgic_init")
        #expect(options.keeps(ScenarioRecord(name: "vgic_init.redist", status: .pass, detail: "")))
        #expect(!options.keeps(ScenarioRecord(name: "host.probe", status: .pass, detail: "")))
        #expect(options.keeps(ScenarioRecord(name: "lab.runner", status: .fail, detail: "")))
        #expect(LabOptions().keeps(ScenarioRecord(name: "host.probe", status: .pass, detail: "")))
    }

    @Test("--filter is checked against the scenario names", arguments: [
        ("", "--filter is empty: give part of a scenario name"),
        ("nomatch", "--filter 'nomatch' matches no scenario name"),
        ("a b", "--filter 'a b' matches no scenario name"),
        ("redist", nil), ("host.probe", nil),
    ] as [(String, String?)])
    func filterProblem(filter: String, problem: String?) {
        let names = ["host.probe", "vgic_init.v3.redist_regions"]
        #expect(LabOptions.filterProblem(filter, scenarioNames: names) == problem)
    }

    @Test("--timeout accepts one second to one day")
    func timeoutRange() {
        #expect(LabOptions.timeoutRange == 1...86_400)
    }

    @Test("the package root is found from a subfolder and from the executable's folder")
    func repoRoot() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("labhost-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: base) }
        let lab = base.appendingPathComponent("Scripts/lab")
        try FileManager.default.createDirectory(at: lab, withIntermediateDirectories: true)
        try Data().write(to: base.appendingPathComponent("Package.swift"))
        try Data().write(to: lab.appendingPathComponent("boot.sh"))
        let binary = base.appendingPathComponent(".build/debug/kvm-gic")
        try FileManager.default.createDirectory(at: binary.deletingLastPathComponent(), withIntermediateDirectories: true)

        let elsewhere = URL(fileURLWithPath: "/")
        #expect(RepoRoot.locate(currentDirectory: lab, executable: nil)?.path == base.standardizedFileURL.path)
        #expect(RepoRoot.locate(currentDirectory: elsewhere, executable: binary)?.path == base.standardizedFileURL.path)
        #expect(RepoRoot.locate(currentDirectory: elsewhere, executable: nil) == nil)
    }

    @Test("native runs need an arm64 kernel: an x86 /dev/kvm does not count")
    func nativeDecision() {
        #expect(!HostEnvironment.canRunNatively(machine: "x86_64", kvmPath: "/"))
        #expect(HostEnvironment.canRunNatively(machine: "aarch64", kvmPath: "/"))
        #expect(!HostEnvironment.canRunNatively(machine: "aarch64", kvmPath: "/nonexistent/kvm"))
    }

    @Test("script output streams line by line, with the last line returned as the result path")
    func scriptStreaming() throws {
        let script = ScriptProcess(
            executable: URL(fileURLWithPath: "/bin/sh"),
            arguments: ["-c", "echo one; echo two; printf 'partial'; exit 7"],
            workingDirectory: URL(fileURLWithPath: "/"))
        var lines: [String] = []
        let status = try script.run { lines.append($0) }
        #expect(status == 7)
        #expect(lines == ["one", "two", "partial"])

        var earlier: [String] = []
        let (status2, last) = try ScriptProcess(
            executable: URL(fileURLWithPath: "/bin/sh"), arguments: ["-c", "echo progress; echo /x/Image; echo"],
            workingDirectory: URL(fileURLWithPath: "/")
        ).runForLastLine { earlier.append($0) }
        #expect(status2 == 0)
        #expect(last == "/x/Image")
        #expect(earlier == ["progress"])
    }
}
