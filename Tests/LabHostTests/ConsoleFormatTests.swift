import Conformance
import Testing

@testable import LabHost

@Suite("Console output")
struct ConsoleFormatTests {
    @Test("the summary line is exactly 'N passed, N failed, N skipped'")
    func summary() throws {
        #expect(ConsoleFormat.summaryLine(Totals(passed: 12, failed: 0, skipped: 3)) == "12 passed, 0 failed, 3 skipped")
        let last = try #require(ConsoleFormat.report(sampleResult).last)
        #expect(last == "2 passed, 1 failed, 1 skipped")
        #expect(last.wholeMatch(of: /\d+ passed, \d+ failed, \d+ skipped/) != nil)
    }

    @Test("only the last report line has the summary shape (CI reads that line)")
    func summaryIsUnique() {
        let lines = ConsoleFormat.report(sampleResult)
        let matching = lines.filter { $0.wholeMatch(of: /\d+ passed, \d+ failed, \d+ skipped/) != nil }
        #expect(matching == [lines[lines.count - 1]])
    }

    @Test("per scenario: STATUS  kernel  name  detail, figures indented below")
    func scenarioLines() {
        let lines = ConsoleFormat.report(sampleResult)
        #expect(lines[0] == "PASS  6.12.117+deb12-arm64  host.probe  aarch64, API 12")
        #expect(lines[1] == "      ipa_limit = 52 bits")
        #expect(lines[2] == "      duration_us = 1500042 us")
        #expect(lines[3] == "SKIP  6.12.117+deb12-arm64  vgic.v5  no GICv5 <host>")
        #expect(lines[4] == "boot-to-verdict  6.12.117+deb12-arm64  6234 ms  (QEMU boot)")
        #expect(lines.contains("FAIL  7.3.4+deb13-arm64  lab.runner  runner did not finish: boot timed out after 300 s & \"QEMU\" killed"))
    }

    @Test("a kernel that was never booted says so instead of a time")
    func notBooted() {
        let kernel = KernelResult(label: "latest", release: "latest", mode: .qemu, bootToVerdictMilliseconds: nil, scenarios: [])
        #expect(ConsoleFormat.bootLine(kernel) == "boot-to-verdict  latest  (not booted)")
    }

    @Test("a failed record anywhere makes the lab run fail")
    func succeeded() {
        #expect(!sampleResult.succeeded)
        #expect(LabResult(kernels: [sampleResult.kernels[0]]).succeeded)
    }
}
