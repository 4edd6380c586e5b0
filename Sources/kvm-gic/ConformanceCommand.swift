import ArgumentParser
import Conformance
import Foundation
import LabHost

/// `kvm-gic conformance`: runs the conformance scenarios against real arm64 KVM and reports.
///
/// On an arm64 host with `/dev/kvm` the scenarios run in this process. Anywhere else the lab
/// boots Debian arm64 kernels under QEMU (emulated EL2 + GICv3) with the Embedded Swift
/// runner as `/init`, installing and fetching what it needs first.
///
/// A Unix tool: arguments and report paths are checked before any work (usage errors 64, a
/// report that cannot be written 2); progress and results go to stdout, ending with
/// `N passed, N failed, N skipped`; errors go to stderr, one line each. On SIGINT or SIGTERM
/// it ends QEMU and the lab scripts, reports what it saw with a `lab.interrupted` record,
/// prints the summary, writes the reports and exits 130 or 143.
struct ConformanceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conformance",
        abstract: "Run the vgic conformance scenarios against real arm64 KVM (natively, or in the QEMU lab).",
        discussion: """
            Prints one line per scenario (PASS|FAIL|SKIP  <kernel>  <name>  <detail>) with its \
            figures, the boot-to-verdict time per kernel, and a closing \
            'N passed, N failed, N skipped' line on stdout; errors go to stderr. Arguments and \
            report paths are checked before anything runs (missing report folders are created). \
            Ctrl-C or SIGTERM ends QEMU and the lab scripts, then still reports the scenarios \
            seen so far with a failed 'lab.interrupted' record, the summary line and the reports.

            \(ToolExit.helpText) For conformance: 1 when a scenario failed or a kernel did not \
            boot or finish; 2 also when the lab could not run (a lab script failed) or a report \
            could not be written.
            """
    )

    static let commandName = "kvm-gic conformance"

    @Option(name: .long, help: "Kernels to boot in the lab: 6.12, latest, gicv5 (the GICv5 guest lab on QEMU 11, no kernel) or all.")
    var kernel: ConformanceKernelSelection = .all

    @Option(name: .long, help: "The QEMU that emulates the kernels' arm64 host: 11 (trixie-backports, in the cache; the default) or 7.2 (the host system's).")
    var qemu: LabQEMU = .standard

    @Option(name: .long, help: "Write the JSON report to this file (missing folders are created).")
    var report: String?

    @Option(name: .long, help: "Write a JUnit XML report to this file (missing folders are created).")
    var junit: String?

    @Option(
        name: .long, parsing: .unconditional,
        help: "Seconds one kernel boot may take before it is killed (1...\(LabOptions.timeoutRange.upperBound)).")
    var timeout: Int = 300

    @Option(name: .long, help: "Only scenarios whose name contains this (see --list).")
    var filter: String?

    @Flag(name: .long, help: "Print the scenario names (those --filter selects, if given), one per line, and exit.")
    var list = false

    func run() throws {
        let names = ScenarioCatalog.all.map(\.name) + GICv5GuestLab.scenarioNames
        try checkArguments(scenarioNames: names)
        if list {
            for name in names where filter.map({ name.contains($0) }) ?? true { ConformanceLab.printLine(name) }
            return
        }
        let reports = try openReports()

        let interruption = LabInterruption()
        let trap = SignalTrap([SIGINT, SIGTERM]) { signal in
            ToolExit.printError(
                "\(Self.commandName): interrupted by \(LabInterruption.name(of: signal)), ending QEMU and the lab scripts")
            interruption.interrupt(by: signal)
        }
        defer { trap.cancel() }

        let result: LabResult
        do {
            result = try runLab(interruption: interruption)
        } catch {
            reports.forEach { $0.file.discard() }
            throw ToolExit.fail(Self.commandName, "\(error)", ToolExit.badInput)
        }

        ConformanceLab.printLine("")
        for line in ConsoleFormat.report(result) { ConformanceLab.printLine(line) }
        let reportsWritten = writeReports(result, to: reports)
        if let signal = result.interruptedBy { throw ExitCode(ToolExit.interrupted(by: signal)) }
        if !reportsWritten { throw ExitCode(ToolExit.badInput) }
        if !result.succeeded { throw ExitCode(ToolExit.differences) }
    }

    /// Usage errors, before anything runs: one line on stderr, exit 64.
    func checkArguments(scenarioNames: [String]) throws {
        guard LabOptions.timeoutRange.contains(timeout) else {
            throw ToolExit.fail(
                Self.commandName,
                "--timeout must be between \(LabOptions.timeoutRange.lowerBound) and "
                    + "\(LabOptions.timeoutRange.upperBound) seconds, not \(timeout)",
                ToolExit.usage)
        }
        if let filter, let problem = LabOptions.filterProblem(filter, scenarioNames: scenarioNames) {
            throw ToolExit.fail(
                Self.commandName, problem + "; '\(Self.commandName) --list' prints the scenario names", ToolExit.usage)
        }
        if let report, let junit, report == junit {
            throw ToolExit.fail(Self.commandName, "--report and --junit both name \(report)", ToolExit.usage)
        }
    }

    /// A report asked for: its open file and how to render a result into it.
    struct Report {
        let file: ReportFile
        let render: (LabResult) throws -> Data
    }

    /// Opens the report files now, creating missing folders; a path that cannot be written is
    /// bad input (exit 2) before any work.
    func openReports() throws -> [Report] {
        let requested: [(option: String, path: String?, render: (LabResult) throws -> Data)] = [
            ("--report", report, { try JSONReport($0).encoded() }),
            ("--junit", junit, { Data(JUnitReport.xml($0).utf8) }),
        ]
        var opened: [Report] = []
        for (option, path, render) in requested {
            guard let path else { continue }
            do {
                opened.append(Report(file: try ReportFile(option: option, path: path), render: render))
            } catch {
                opened.forEach { $0.file.discard() }
                throw ToolExit.fail(Self.commandName, "\(error)", ToolExit.badInput)
            }
        }
        return opened
    }

    /// Runs natively on an arm64 KVM host, else in the QEMU lab.
    func runLab(interruption: LabInterruption) throws -> LabResult {
        let options = LabOptions(kernels: kernel.kernels, timeoutSeconds: timeout, filter: filter, qemu: qemu)
        let diagnostic = { (line: String) in ToolExit.printError("\(Self.commandName): \(line)") }
        if HostEnvironment.canRunNatively() {
            let lab = ConformanceLab(
                root: URL(fileURLWithPath: FileManager.default.currentDirectoryPath), interruption: interruption,
                diagnostic: diagnostic)
            // A scenario cannot be stopped half-way: after a signal the rest are passed over.
            let scenarios = ScenarioCatalog.all.map { scenario in
                Scenario(scenario.name, requires: scenario.requirements) { context in
                    interruption.signal == nil ? scenario.body(&context) : .skip(LabInterruption.notRunDetail)
                }
            }
            return lab.runNative(options: options) { filter, emit in
                _ = ConformanceRun.run(scenarios, kernelRelease: HostEnvironment.kernelRelease, filter: filter, emit: emit)
            }
        }
        guard let root = RepoRoot.locate() else {
            throw LabError.repositoryNotFound(searchedFrom: FileManager.default.currentDirectoryPath)
        }
        return try ConformanceLab(root: root, interruption: interruption, diagnostic: diagnostic).runInQEMU(options: options)
    }

    /// Writes every requested report; each failure is one line on stderr. True when all were written.
    func writeReports(_ result: LabResult, to reports: [Report]) -> Bool {
        var written = true
        for report in reports {
            do {
                try report.file.write(report.render(result))
            } catch let error as ReportFileError {
                ToolExit.printError("\(Self.commandName): \(error)")
                written = false
            } catch {
                report.file.discard()
                ToolExit.printError("\(Self.commandName): \(report.file.option) \(report.file.path): cannot encode it: \(error)")
                written = false
            }
        }
        return written
    }
}
