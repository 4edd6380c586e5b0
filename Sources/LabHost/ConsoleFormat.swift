import Conformance

/// The human-readable lines `kvm-gic conformance` prints.
///
/// Kept here (not in the command) so tests pin the exact shapes; CI greps the summary line,
/// which must stay exactly `N passed, N failed, N skipped`, alone on its line.
public enum ConsoleFormat {
    /// `PASS  <kernel>  <name>  <detail>` (status words are all four letters wide).
    public static func scenarioLine(_ scenario: ScenarioRecord, kernel: String) -> String {
        "\(scenario.status.label)  \(kernel)  \(scenario.name)  \(scenario.detail)"
    }

    /// `<name> = <value> <unit>`.
    public static func figureText(_ figure: Figure) -> String {
        "\(figure.name) = \(figure.value) \(figure.unit)"
    }

    /// A figure under its scenario line, indented.
    public static func figureLine(_ figure: Figure) -> String {
        "      " + figureText(figure)
    }

    /// `boot-to-verdict  <kernel>  <ms> ms  (<mode>)`, or why there is no such time.
    public static func bootLine(_ kernel: KernelResult) -> String {
        guard let ms = kernel.bootToVerdictMilliseconds else {
            return "boot-to-verdict  \(kernel.release)  (not booted)"
        }
        let how = kernel.mode == .native ? "native run" : "QEMU boot"
        return "boot-to-verdict  \(kernel.release)  \(ms) ms  (\(how))"
    }

    /// The closing line: `N passed, N failed, N skipped`.
    public static func summaryLine(_ totals: Totals) -> String {
        "\(totals.passed) passed, \(totals.failed) failed, \(totals.skipped) skipped"
    }

    /// Every line of the final report, in print order: per kernel its scenarios with their
    /// figures and its boot-to-verdict time, then the summary line last.
    public static func report(_ result: LabResult) -> [String] {
        var lines: [String] = []
        for kernel in result.kernels {
            for scenario in kernel.scenarios {
                lines.append(scenarioLine(scenario, kernel: kernel.release))
                lines.append(contentsOf: scenario.figures.map(figureLine))
            }
            lines.append(bootLine(kernel))
        }
        lines.append(summaryLine(result.totals))
        return lines
    }
}
