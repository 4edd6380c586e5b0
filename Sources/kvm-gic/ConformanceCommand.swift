import ArgumentParser
import Conformance
import Foundation
import LabHost

/// `kvm-gic conformance`: runs the conformance scenarios against real arm64 KVM and reports.
///
/// On an arm64 host with `/dev/kvm` the scenarios run in this process. Anywhere else the lab
/// boots Debian arm64 kernels under QEMU (emulated EL2 + GICv3) with the Embedded Swift
/// runner as `/init`, installing and fetching what it needs first. Either way the output ends
/// with `N passed, N failed, N skipped`, and the exit status is non-zero on any failure,
/// timeout, panic or unfinished run.
struct ConformanceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conformance",
        abstract: "Run the vgic conformance scenarios against real arm64 KVM (natively, or in the QEMU lab).",
        discussion: """
            Prints one line per scenario (PASS|FAIL|SKIP  <kernel>  <name>  <detail>) with its \
            figures, the boot-to-verdict time per kernel, and a closing \
            'N passed, N failed, N skipped' line.
            """
    )

    @Option(name: .long, help: "Kernels to boot in the lab: 6.12, latest or all.")
    var kernel: ConformanceKernelSelection = .all

    @Option(name: .long, help: "Write the JSON report to this file.")
    var report: String?

    @Option(name: .long, help: "Write a JUnit XML report to this file.")
    var junit: String?

    @Option(name: .long, help: "Seconds one kernel boot may take before it is killed.")
    var timeout: Int = 300

    @Option(name: .long, help: "Only scenarios whose name contains this.")
    var filter: String?

    func validate() throws {
        guard timeout > 0 else { throw ValidationError("--timeout must be positive") }
        if let filter, filter.contains(where: { $0.isWhitespace || $0 == "\"" }) {
            throw ValidationError("--filter is a substring of scenario names, which have no spaces or quotes")
        }
    }

    func run() throws {
        let options = LabOptions(kernels: kernel.kernels, timeoutSeconds: timeout, filter: filter)
        let result: LabResult
        if HostEnvironment.canRunNatively() {
            let lab = ConformanceLab(root: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            result = lab.runNative(options: options) { filter, emit in
                _ = ConformanceRun.run(
                    ScenarioCatalog.all, kernelRelease: HostEnvironment.kernelRelease, filter: filter, emit: emit)
            }
        } else {
            guard let root = RepoRoot.locate() else {
                throw LabError.repositoryNotFound(searchedFrom: FileManager.default.currentDirectoryPath)
            }
            do {
                result = try ConformanceLab(root: root).runInQEMU(options: options)
            } catch {
                ConformanceLab.printLine("conformance: \(error)")
                throw ExitCode(2)
            }
        }
        try writeReports(result)
        ConformanceLab.printLine("")
        for line in ConsoleFormat.report(result) { ConformanceLab.printLine(line) }
        if !result.succeeded { throw ExitCode.failure }
    }

    func writeReports(_ result: LabResult) throws {
        if let report {
            try JSONReport(result).encoded().write(to: URL(fileURLWithPath: report))
        }
        if let junit {
            try Data(JUnitReport.xml(result).utf8).write(to: URL(fileURLWithPath: junit))
        }
    }
}
