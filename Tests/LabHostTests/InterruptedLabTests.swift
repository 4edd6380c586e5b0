import Foundation
import LabTestSupport
import Testing

@testable import LabHost

@Suite("An interrupted lab run reports what it saw")
struct InterruptedLabTests {
    @Test("SIGTERM during a boot: QEMU's group ends, the scenarios so far are kept with lab.interrupted, later kernels never start")
    func duringBoot() throws {
        let stub = try StubLab(boot: StubLab.hangingBoot)
        defer { stub.remove() }
        let interruption = LabInterruption()
        let lines = Locked<[String]>([])
        let lab = ConformanceLab(root: stub.root, interruption: interruption, console: { line in
            lines.set(lines.value + [line])
            if line.contains("PASS host.probe") { interruption.interrupt(by: SIGTERM) }
        }, diagnostic: { _ in })

        let result = try lab.runInQEMU(options: LabOptions(kernels: [.v6_12, .latest]))

        #expect(result.interruptedBy == SIGTERM)
        #expect(!result.succeeded)
        #expect(result.kernels.map(\.label) == ["6.12"])
        let scenarios = try #require(result.kernels.first).scenarios
        #expect(scenarios.map(\.name) == ["host.probe", "lab.interrupted"])
        #expect(scenarios.map(\.status) == [.pass, .fail])
        #expect(scenarios[1].detail == "interrupted by SIGTERM during the boot of kernel 6.12: QEMU was ended; the results are partial")
        #expect(!lines.value.contains { $0.contains("kernel latest") })
        #expect(ConsoleFormat.report(result).last == "1 passed, 1 failed, 0 skipped")
        #expect(ProcessGroup.processStat(try stub.pid("sleeper")).map { $0.state == "Z" } ?? true)
    }

    @Test("SIGINT during the runner build: the compiler's group ends and the first kernel carries the record, not booted")
    func duringBuild() throws {
        let stub = try StubLab(
            boot: "echo booted > booted.txt",
            buildRunner: "sleep 300 >/dev/null 2>&1 & echo $! > compiler.pid; echo building; echo still building; wait")
        defer { stub.remove() }
        let interruption = LabInterruption()
        let lab = ConformanceLab(root: stub.root, interruption: interruption, console: { line in
            if line == "  building" { interruption.interrupt(by: SIGINT) }
        }, diagnostic: { _ in })

        let result = try lab.runInQEMU(options: LabOptions(kernels: [.v6_12, .latest]))

        #expect(result.interruptedBy == SIGINT)
        #expect(result.kernels.count == 1)
        let kernel = try #require(result.kernels.first)
        #expect(kernel.bootToVerdictMilliseconds == nil)
        #expect(kernel.scenarios == [ScenarioRecord(
            name: "lab.interrupted", status: .fail,
            detail: "interrupted by SIGINT during the runner build: nothing was booted; the results are partial")])
        #expect(!FileManager.default.fileExists(atPath: stub.root.appendingPathComponent("booted.txt").path))
        #expect(ProcessGroup.processStat(try stub.pid("compiler")).map { $0.state == "Z" } ?? true)
    }

    @Test("without a signal the stub lab runs every kernel to its verdict")
    func uninterrupted() throws {
        let stub = try StubLab(boot: """
            echo "@@BEGIN\tstub-$(basename "$1")\t1"
            echo "@@SCENARIO\thost.probe\tpass\tstub"
            echo "@@END\t1\t0\t0"
            """)
        defer { stub.remove() }
        let result = try ConformanceLab(root: stub.root, console: { _ in }, diagnostic: { _ in })
            .runInQEMU(options: LabOptions(kernels: [.v6_12, .latest]))
        #expect(result.interruptedBy == nil)
        #expect(result.succeeded)
        #expect(result.kernels.map(\.release) == ["stub-Image-6.12", "stub-Image-latest"])
    }

    @Test("an interrupted run never counts as a success, even with nothing failed")
    func interruptedIsNotSuccess() {
        #expect(!LabResult(kernels: [], interruptedBy: SIGINT).succeeded)
        #expect(LabResult(kernels: []).succeeded)
    }
}
