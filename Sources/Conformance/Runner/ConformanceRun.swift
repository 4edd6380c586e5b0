import CKVM
import KVM

/// Runs scenarios one after another and prints the line protocol (`LineProtocol`).
///
/// The same code runs as the lab's `/init` (Embedded Swift, serial console) and natively on
/// an arm64 KVM host (`kvm-gic conformance`), so both produce the same records.
public struct ConformanceRun {
    /// Runs the scenarios whose name contains `filter` (all when nil) against `kernel` (the live
    /// kernel unless told otherwise) at `budget`, timing each, and hands every output line to
    /// `emit` as soon as it exists, so a run that dies mid-way has already reported everything
    /// before the scenario that killed it.
    ///
    /// Per scenario: a progress line (`conformance: running <name>`), `@@SCENARIO`, then its
    /// figures and `duration_us` as `@@FIGURE`s. Ends with `@@END` and the totals.
    public static func run(
        _ scenarios: [Scenario], kernelRelease: String, kernel: KernelInterface = .live, budget: ScenarioBudget = .full,
        filter: String?, emit: (String) -> Void
    ) -> Totals {
        var selected: [Scenario] = []
        for scenario in scenarios where ScenarioFilter.matches(scenario.name, filter) {
            selected.append(scenario)
        }
        emit(LineProtocol.begin(kernelRelease: kernelRelease, scenarioCount: selected.count))
        var totals = Totals()
        for scenario in selected {
            emit("conformance: running " + LineProtocol.field(scenario.name))
            var context = ScenarioContext(kernelRelease: kernelRelease, kernel: kernel, budget: budget)
            let start = ckvm_monotonic_ns()
            let outcome = scenario.body(&context)
            let elapsed = ckvm_monotonic_ns() - start
            context.record("duration_us", elapsed / 1000, unit: "us")
            totals.count(outcome)
            emit(LineProtocol.scenario(scenario.name, outcome))
            for figure in context.figures {
                emit(LineProtocol.figure(scenario.name, figure))
            }
        }
        emit(LineProtocol.end(totals))
        return totals
    }
}
