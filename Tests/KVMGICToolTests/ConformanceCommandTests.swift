import Foundation
import LabTestSupport
import Testing

/// `kvm-gic conformance` as a user runs it. Bad arguments and report paths must fail before any
/// lab work, so those tests are fast; the others run the real lab pipeline on a stub package
/// (see `StubLab`), never QEMU.
@Suite("kvm-gic conformance: a Unix tool")
struct ConformanceCommandTests {
    /// The one stderr line of a refused invocation, after checking nothing went to stdout (no
    /// lab work started: the lab's first output is "== host packages").
    func refusal(_ arguments: [String], status: Int32) throws -> String {
        let run = try ToolRun.run(["conformance"] + arguments)
        #expect(run.status == status)
        #expect(run.stdout.isEmpty)
        #expect(run.errorLines.count == 1)
        return String(try #require(run.errorLines.first))
    }

    @Test("an empty --filter is a usage error (64) on stderr")
    func emptyFilter() throws {
        let line = try refusal(["--filter", ""], status: 64)
        #expect(line == "kvm-gic conformance: --filter is empty: give part of a scenario name; "
            + "'kvm-gic conformance --list' prints the scenario names")
    }

    @Test("a --filter that matches no scenario name is a usage error naming the filter and --list")
    func nonMatchingFilter() throws {
        let line = try refusal(["--filter", "no_such_scenario"], status: 64)
        #expect(line == "kvm-gic conformance: --filter 'no_such_scenario' matches no scenario name; "
            + "'kvm-gic conformance --list' prints the scenario names")
    }

    @Test("--timeout -5 is read as a value and refused as out of range (64)", arguments: ["-5", "0", "86401"])
    func timeoutOutOfRange(value: String) throws {
        let line = try refusal(["--timeout", value], status: 64)
        #expect(line == "kvm-gic conformance: --timeout must be between 1 and 86400 seconds, not \(value)")
    }

    @Test("a report path that cannot be opened fails at once (2), naming the path and why", arguments: ["--report", "--junit"])
    func unwritableReport(option: String) throws {
        let line = try refusal([option, "/proc/x.json", "--filter", "host.probe"], status: 2)
        #expect(line == "kvm-gic conformance: \(option) /proc/x.json: cannot open it for writing: No such file or directory")
    }

    @Test("--qemu takes 7.2 or 11; anything else is a usage error (64)")
    func qemuVersion() throws {
        let run = try ToolRun.run(["conformance", "--qemu", "9", "--list"])
        #expect(run.status == 64)
        #expect(run.stdout.isEmpty)
        for version in ["7.2", "11"] {
            #expect(try ToolRun.run(["conformance", "--qemu", version, "--list", "--filter", "host.probe"]).status == 0)
        }
    }

    @Test("--list names the GICv5 guest lab's scenarios, and --kernel gicv5 is accepted")
    func gicv5Names() throws {
        let run = try ToolRun.run(["conformance", "--list", "--filter", "gicv5_guest."])
        #expect(run.status == 0)
        let names = run.stdout.split(separator: "\n")
        #expect(names.count >= 32)
        #expect(names.contains("gicv5_guest.differential.cd_sequences"))
        #expect(try ToolRun.run(["conformance", "--kernel", "gicv5", "--list", "--filter", "gicv5_guest.lpi."]).status == 0)
    }

    @Test("usage is checked before report paths: a bad filter with a bad report path is a usage error")
    func usageFirst() throws {
        let line = try refusal(["--filter", "", "--report", "/proc/x.json"], status: 64)
        #expect(line.hasPrefix("kvm-gic conformance: --filter is empty"))
    }

    @Test("--list prints the scenario names, one per line, on stdout; --filter narrows it")
    func list() throws {
        let all = try ToolRun.run(["conformance", "--list"])
        #expect(all.status == 0)
        #expect(all.stderr.isEmpty)
        let names = all.stdout.split(separator: "\n")
        #expect(names.first == "host.probe")
        #expect(names.count > 20)
        #expect(names.allSatisfy { !$0.contains(" ") })
        #expect(Set(names).count == names.count)

        let some = try ToolRun.run(["conformance", "--list", "--filter", "vgic_init."])
        #expect(some.status == 0)
        let selected = some.stdout.split(separator: "\n")
        #expect(!selected.isEmpty && selected.count < names.count)
        #expect(selected.allSatisfy { $0.hasPrefix("vgic_init.") })
    }

    @Test("--help documents the exit statuses and the interruption")
    func help() throws {
        let run = try ToolRun.run(["conformance", "--help"])
        #expect(run.status == 0)
        let text = run.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(text.contains("Exit status: 0 success; 1"))
        #expect(text.contains("64 usage error; 130/143 interrupted by SIGINT/SIGTERM"))
        #expect(text.contains("'lab.interrupted' record"))
    }

    // MARK: Runs on a stub lab

    @Test(
        "Ctrl-C or SIGTERM: the lab's processes end, the partial results and summary are printed, the report is written, exit 130/143",
        .enabled(if: !StubLab.runsNatively, "an arm64 KVM host runs the scenarios natively, without the lab"),
        arguments: [(SIGINT, Int32(130), "SIGINT"), (SIGTERM, 143, "SIGTERM")])
    func interrupted(signal: Int32, status: Int32, name: String) throws {
        let stub = try StubLab(boot: StubLab.hangingBoot)
        defer { stub.remove() }
        let report = stub.root.appendingPathComponent("not-yet/conformance.json")
        let tool = try RunningTool(["conformance", "--kernel", "all", "--report", report.path], in: stub.root)
        defer { tool.stop() }
        try tool.waitForOutput("PASS host.probe")
        let sleeper = try stub.pid("sleeper")
        defer { if StubLab.running(sleeper) { kill(sleeper, SIGKILL) } }

        tool.signalGroup(signal)  // as the terminal does: the tool's own process group
        let run = try tool.finish()

        #expect(run.status == status)
        #expect(!StubLab.running(sleeper))
        let lines = run.stdout.split(separator: "\n")
        #expect(lines.contains { $0.hasPrefix("PASS  stub-kernel  host.probe  stub") })
        #expect(lines.contains(
            "FAIL  stub-kernel  lab.interrupted  interrupted by \(name) during the boot of kernel 6.12: QEMU was ended; the results are partial"))
        #expect(!run.stdout.contains("kernel latest"))
        #expect(lines.last == "1 passed, 1 failed, 0 skipped")
        #expect(run.errorLines.contains("kvm-gic conformance: interrupted by \(name), ending QEMU and the lab scripts"))
        let json = try String(contentsOf: report, encoding: .utf8)
        #expect(json.contains(#""name" : "lab.interrupted""#))
    }

    @Test(
        "missing report folders are created; a finished run writes both reports and exits 0",
        .enabled(if: !StubLab.runsNatively, "an arm64 KVM host runs the scenarios natively, without the lab"))
    func reportsInNewFolders() throws {
        let stub = try StubLab(boot: StubLab.passingBoot)
        defer { stub.remove() }
        let report = stub.root.appendingPathComponent(".build-lab/conformance.json")
        let junit = stub.root.appendingPathComponent("out/junit/conformance.xml")
        let run = try ToolRun.run(
            ["conformance", "--kernel", "6.12", "--report", report.path, "--junit", junit.path], workingDirectory: stub.root)
        #expect(run.status == 0)
        #expect(run.stdout.split(separator: "\n").last == "1 passed, 0 failed, 0 skipped")
        #expect(try String(contentsOf: report, encoding: .utf8).contains(#""name" : "host.probe""#))
        #expect(try String(contentsOf: junit, encoding: .utf8).contains(#"<testcase classname="stub-kernel" name="host.probe""#))
    }

    @Test(
        "a report that fails to write at the end: the summary is still printed, then the error, exit 2",
        .enabled(if: !StubLab.runsNatively, "an arm64 KVM host runs the scenarios natively, without the lab"))
    func reportWriteFailsAtEnd() throws {
        let stub = try StubLab(boot: StubLab.passingBoot)
        defer { stub.remove() }
        let run = try ToolRun.run(["conformance", "--kernel", "6.12", "--report", "/dev/full"], workingDirectory: stub.root)
        #expect(run.status == 2)
        #expect(run.stdout.split(separator: "\n").last == "1 passed, 0 failed, 0 skipped")
        #expect(run.errorLines.last == "kvm-gic conformance: --report /dev/full: cannot write it: No space left on device")
    }

    @Test(
        "a lab step that fails is one line on stderr and exit 2; progress stays on stdout",
        .enabled(if: !StubLab.runsNatively, "an arm64 KVM host runs the scenarios natively, without the lab"))
    func labStepFails() throws {
        let stub = try StubLab(boot: StubLab.passingBoot, buildRunner: "echo 'build-runner: no swiftc' >&2; exit 1")
        defer { stub.remove() }
        let run = try ToolRun.run(["conformance", "--kernel", "6.12"], workingDirectory: stub.root)
        #expect(run.status == 2)
        #expect(run.stdout.hasPrefix("== host packages"))
        #expect(run.errorLines.contains("build-runner: no swiftc"))
        #expect(run.errorLines.last == "kvm-gic conformance: build-runner.sh failed with exit status 1")
    }
}

extension StubLab {
    /// On an arm64 host with /dev/kvm the tool runs natively and never reads `Scripts/lab`.
    static var runsNatively: Bool {
        #if arch(arm64)
        FileManager.default.fileExists(atPath: "/dev/kvm")
        #else
        false
        #endif
    }
}
