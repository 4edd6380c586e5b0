import Foundation
import Testing

@testable import LabHost

/// A package root whose `Scripts/lab` are stubs: no packages, no compiler, no QEMU. The stubs
/// start long `sleep`s and write their pids to `<root>/<name>.pid`.
struct StubLab {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("labhost-stub-\(UUID().uuidString)")

    init(buildRunner: String = #"echo "$1/init""#, boot: String) throws {
        let lab = root.appendingPathComponent("Scripts/lab")
        try FileManager.default.createDirectory(at: lab, withIntermediateDirectories: true)
        try Data().write(to: root.appendingPathComponent("Package.swift"))
        let scripts = [
            "install-host-packages.sh": "exit 0",
            "build-runner.sh": buildRunner,
            "make-initramfs.sh": "exit 0",
            "fetch-kernel.sh": #"echo "$PWD/Image-$1""#,
            "boot.sh": boot,
        ]
        for (name, body) in scripts {
            try writeExecutable("#!/bin/sh\n" + body + "\n", to: lab.appendingPathComponent(name))
        }
    }

    func pid(_ name: String) throws -> pid_t {
        let text = try String(contentsOf: root.appendingPathComponent(name + ".pid"), encoding: .utf8)
        return try #require(pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)))
    }

    func remove() { try? FileManager.default.removeItem(at: root) }
}

/// A boot that reports one scenario, starts the next and hangs.
let hangingBoot = """
    echo "@@BEGIN\tstub-kernel\t2"
    sleep 300 >/dev/null 2>&1 &
    echo $! > sleeper.pid
    echo "@@SCENARIO\thost.probe\tpass\tstub"
    echo "conformance: running vgic_init.v3.redist_regions"
    wait
    """

@Suite("An interrupted lab run reports what it saw")
struct InterruptedLabTests {
    @Test("SIGTERM during a boot: QEMU's group ends, the scenarios so far are kept with lab.interrupted, later kernels never start")
    func duringBoot() throws {
        let stub = try StubLab(boot: hangingBoot)
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
            buildRunner: "sleep 300 >/dev/null 2>&1 & echo $! > compiler.pid; echo building; echo still building; wait",
            boot: "echo booted > booted.txt")
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

/// Writes an executable file through a descriptor closed on exec, so no child that a parallel
/// test starts meanwhile keeps it open for writing (executing it would then fail: ETXTBSY).
func writeExecutable(_ text: String, to url: URL) throws {
    let descriptor = open(url.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o755)
    guard descriptor >= 0 else { throw CocoaError(.fileWriteUnknown) }
    defer { close(descriptor) }
    let bytes = Array(text.utf8)
    guard write(descriptor, bytes, bytes.count) == bytes.count else { throw CocoaError(.fileWriteUnknown) }
}
