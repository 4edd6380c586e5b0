import Foundation

/// The lab pipeline behind `kvm-gic conformance`.
///
/// In QEMU (any x86 or arm64 machine): host packages, the Embedded Swift runner, the
/// initramfs, then per kernel fetch and boot, streaming the serial console and parsing the
/// runner's records as they arrive. Natively (arm64 with `/dev/kvm`): the caller's in-process
/// runner, through the same parser, so both paths produce the same `LabResult`.
///
/// Each step is one of the verified scripts in `Scripts/lab` (see its README); this type only
/// sequences them, measures, and turns exit statuses into failed records. A kernel that cannot
/// be fetched or booted fails on its own and the next kernel still runs.
///
/// Every script runs in a process group of its own. When `interruption` is told of SIGINT or
/// SIGTERM, the running group (QEMU, the runner build, …) is ended, nothing new starts, and the
/// result holds what was seen so far plus a failed `lab.interrupted` record saying so.
public struct ConformanceLab {
    /// The package root (`RepoRoot.locate()`).
    public let root: URL
    /// Where progress lines go as they happen.
    public let console: (String) -> Void
    /// Where problems the records do not carry go (a script that could not be started).
    public let diagnostic: (String) -> Void
    /// Ctrl-C and SIGTERM, as the caller's signal handler reports them.
    public let interruption: LabInterruption

    public init(
        root: URL, interruption: LabInterruption = LabInterruption(),
        console: @escaping (String) -> Void = ConformanceLab.printLine,
        diagnostic: @escaping (String) -> Void = ConformanceLab.printErrorLine
    ) {
        self.root = root
        self.interruption = interruption
        self.console = console
        self.diagnostic = diagnostic
    }

    /// The name of the record an interrupted run ends with.
    public static let interruptedRecordName = "lab.interrupted"

    /// Writes one line to stdout unbuffered, so progress is visible at once through pipes
    /// (CI logs, `tee`). All of the command's output goes through here, keeping the order.
    public static func printLine(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    /// Writes one line to stderr.
    public static func printErrorLine(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// Build products and the initramfs (git-ignored: `.build*/`).
    var workDirectory: URL { root.appendingPathComponent(".build-lab") }

    // MARK: Native

    /// Runs the conformance scenarios in this process on the running kernel.
    ///
    /// - Parameter runner: runs the scenarios with a name filter and hands each protocol line
    ///   to the closure it is given (`ConformanceRun.run(ScenarioCatalog.all, ...)`). A scenario
    ///   cannot be stopped half-way, so after an interruption the runner should pass over the
    ///   rest with `LabInterruption.notRunDetail` as skip reason; those records are dropped.
    public func runNative(
        options: LabOptions, runner: (_ filter: String?, _ emit: (String) -> Void) -> Void
    ) -> LabResult {
        let label = "native"
        console("== native run on \(HostEnvironment.kernelRelease) (arm64 KVM on this host)")
        var parser = ProtocolParser()
        let clock = ContinuousClock()
        let start = clock.now
        var verdictAt: ContinuousClock.Instant?
        runner(options.filter) { line in
            stream(parser.feed(line), label: label)
            if verdictAt == nil && parser.hasVerdict { verdictAt = clock.now }
        }
        let output = parser.finish()
        var scenarios = output.scenarios.filter(options.keeps)
        let signal = interruption.signal
        if let signal {
            scenarios.removeAll { $0.detail == LabInterruption.notRunDetail }
            scenarios.append(Self.interruptedRecord(signal, during: "the native run", ended: "the scenarios after it were not run"))
        }
        let kernel = KernelResult(
            label: label, release: output.kernelRelease ?? HostEnvironment.kernelRelease, mode: .native,
            bootToVerdictMilliseconds: milliseconds((verdictAt ?? clock.now) - start),
            scenarios: scenarios)
        return LabResult(kernels: [kernel], interruptedBy: signal)
    }

    // MARK: QEMU

    /// Prepares the lab once, then boots each requested kernel.
    ///
    /// - Throws: `LabError` when a step every kernel needs fails (packages, runner build,
    ///   initramfs); per-kernel problems are failed records in the result instead. Never
    ///   `.interrupted`: an interrupted run is a result (`interruptedBy`), with the
    ///   `lab.interrupted` record in the kernel it stopped (the first one when it stopped before
    ///   any boot); kernels after it are left out.
    public func runInQEMU(options: LabOptions) throws(LabError) -> LabResult {
        let initramfs = workDirectory.appendingPathComponent("initramfs.cpio.gz")
        var stage = "the host package check"
        let needsRunner = options.kernels.contains { $0 != .gicv5 }
        do throws(LabError) {
            console("== host packages")
            try step("install-host-packages.sh", [])
            guard needsRunner else { throw LabError.missingOutput(step: "") }
            stage = "the runner build"
            console("== conformance runner (Embedded Swift, aarch64)")
            let runnerDirectory = workDirectory.appendingPathComponent("runner")
            let initPath = try stepForPath("build-runner.sh", [runnerDirectory.path])
            stage = "the initramfs build"
            console("== initramfs")
            try step("make-initramfs.sh", [initPath, initramfs.path])
        } catch {
            if case .missingOutput(let step) = error, step.isEmpty, !needsRunner {
                // Only the GICv5 lab: no runner, no initramfs.
                return runKernels(options: options, initramfs: initramfs)
            }
            guard case .interrupted(let signal) = error else { throw error }
            let label = options.kernels.first?.rawValue ?? "lab"
            let kernel = KernelResult(
                label: label, release: label, mode: .qemu, bootToVerdictMilliseconds: nil,
                scenarios: [Self.interruptedRecord(signal, during: stage, ended: "nothing was booted")])
            return LabResult(kernels: [kernel], interruptedBy: signal)
        }

        return runKernels(options: options, initramfs: initramfs)
    }

    /// Boots each requested kernel in turn (the GICv5 lab for `.gicv5`), stopping at an interruption.
    func runKernels(options: LabOptions, initramfs: URL) -> LabResult {
        var kernels: [KernelResult] = []
        for kind in options.kernels {
            kernels.append(kind == .gicv5 ? runGICv5(options: options) : runKernel(kind, initramfs: initramfs, options: options))
            if let signal = interruption.signal { return LabResult(kernels: kernels, interruptedBy: signal) }
        }
        return LabResult(kernels: kernels)
    }

    /// `lab.interrupted`: which signal stopped the run, in which stage, and what that ended.
    static func interruptedRecord(_ signal: Int32, during stage: String, ended: String) -> ScenarioRecord {
        ScenarioRecord(
            name: interruptedRecordName, status: .fail,
            detail: "interrupted by \(LabInterruption.name(of: signal)) during \(stage): \(ended); the results are partial")
    }

    /// Fetches and boots one kernel; never throws: every problem becomes a failed record, an
    /// interruption a `lab.interrupted` one.
    func runKernel(_ kind: KernelKind, initramfs: URL, options: LabOptions) -> KernelResult {
        let label = options.qemu == .standard ? kind.rawValue : kind.rawValue + " (QEMU \(options.qemu.rawValue))"
        var qemu = "qemu-system-aarch64"
        if options.qemu == .v11 {
            console("== kernel \(label): QEMU 11")
            do {
                qemu = try stepForPath("fetch-qemu.sh", [])
            } catch .interrupted(let signal) {
                return KernelResult(
                    label: label, release: label, mode: .qemu, bootToVerdictMilliseconds: nil,
                    scenarios: [Self.interruptedRecord(signal, during: "the fetch of QEMU 11", ended: "nothing was booted")])
            } catch {
                return KernelResult(
                    label: label, release: label, mode: .qemu, bootToVerdictMilliseconds: nil,
                    scenarios: [ScenarioRecord(name: "lab.kernel", status: .fail, detail: "fetching QEMU 11: \(error)")])
            }
        }
        console("== kernel \(label): fetch")
        let image: String
        do {
            image = try stepForPath("fetch-kernel.sh", [kind.rawValue])
        } catch .interrupted(let signal) {
            return KernelResult(
                label: label, release: label, mode: .qemu, bootToVerdictMilliseconds: nil,
                scenarios: [Self.interruptedRecord(signal, during: "the fetch of kernel \(label)", ended: "nothing was booted")])
        } catch {
            return KernelResult(
                label: label, release: label, mode: .qemu, bootToVerdictMilliseconds: nil,
                scenarios: [ScenarioRecord(name: "lab.kernel", status: .fail, detail: "fetching kernel \(label): \(error)")])
        }
        let sidecarRelease = (try? String(contentsOfFile: image + ".version", encoding: .utf8))?
            .split(separator: "\n").first.map(String.init)
        console("== kernel \(label): boot \(sidecarRelease ?? image) (timeout \(options.timeoutSeconds) s)")

        var parser = ProtocolParser()
        let clock = ContinuousClock()
        let start = clock.now
        var verdictAt: ContinuousClock.Instant?
        var status: Int32
        var interruptedBy: Int32?
        do {
            status = try script("boot.sh", [image, initramfs.path, String(options.timeoutSeconds), options.filter ?? "", qemu]).run { line in
                stream(parser.feed(line), label: label)
                if verdictAt == nil && parser.hasVerdict { verdictAt = clock.now }
            }
        } catch .interrupted(let signal) {
            interruptedBy = signal
            status = 128 + signal
        } catch {
            diagnostic("[\(label)] \(error)")
            status = 127
        }
        let elapsed = milliseconds((verdictAt ?? clock.now) - start)
        let boot = BootOutcome(status: status, timeoutSeconds: options.timeoutSeconds)
        let output = parser.finish()
        var scenarios = output.scenarios.filter(options.keeps)
        if let signal = interruptedBy {
            // The runner did not finish because QEMU was ended: say that, not "did not finish".
            if !output.finished, let index = scenarios.lastIndex(where: { $0.name == ProtocolParser.runnerRecordName }) {
                scenarios.remove(at: index)
            }
            scenarios.append(Self.interruptedRecord(
                signal, during: "the boot of kernel \(label)",
                ended: output.finished ? "QEMU was ended after the verdict" : "QEMU was ended"))
        } else if let problem = boot.problem {
            if let index = scenarios.lastIndex(where: { $0.name == ProtocolParser.runnerRecordName }), !output.finished {
                scenarios[index].detail += ": " + problem
            } else {
                scenarios.append(ScenarioRecord(name: "lab.boot", status: .fail, detail: problem))
            }
        }
        return KernelResult(
            label: label, release: output.kernelRelease ?? sidecarRelease ?? label, mode: .qemu,
            bootToVerdictMilliseconds: elapsed, scenarios: scenarios)
    }

    // MARK: Streaming

    /// One console line per meaningful event: scenario verdicts as they arrive, the runner's
    /// and the kernel's own text (indented, labelled). Figures wait for the final report.
    func stream(_ event: ProtocolEvent, label: String) {
        switch event {
        case .begin(let release, let count):
            console("  [\(label)] runner started on \(release): \(count) scenarios")
        case .scenario(let name, let status, let detail):
            console("  [\(label)] \(status.label) \(name)  \(detail)")
        case .figure:
            break
        case .end(let totals):
            console("  [\(label)] verdict: \(totals.passed) pass / \(totals.failed) fail / \(totals.skipped) skip")
        case .text(let line):
            if !line.isEmpty { console("  [\(label)] | \(line)") }
        }
    }

    // MARK: Scripts

    func script(_ name: String, _ arguments: [String]) -> ScriptProcess {
        ScriptProcess(
            executable: root.appendingPathComponent("Scripts/lab").appendingPathComponent(name),
            arguments: arguments, workingDirectory: root, interruption: interruption)
    }

    /// Runs a script whose stdout is progress; fails the lab when it fails.
    func step(_ name: String, _ arguments: [String]) throws(LabError) {
        let status = try script(name, arguments).run { console("  " + $0) }
        if status != 0 { throw LabError.stepFailed(step: name, status: status) }
    }

    /// Runs a script that prints a path as its last stdout line, and returns that path.
    func stepForPath(_ name: String, _ arguments: [String]) throws(LabError) -> String {
        let (status, last) = try script(name, arguments).runForLastLine { console("  " + $0) }
        if status != 0 { throw LabError.stepFailed(step: name, status: status) }
        guard let last else { throw LabError.missingOutput(step: name) }
        return last
    }

    func milliseconds(_ duration: Duration) -> Int {
        let parts = duration.components
        return Int(parts.seconds) * 1000 + Int(parts.attoseconds / 1_000_000_000_000_000)
    }
}
