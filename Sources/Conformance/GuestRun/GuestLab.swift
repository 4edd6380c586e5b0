import GICModel
import GICVocabulary
import GuestHarness
import KVM
import VGIC

/// Runs a guest case on the kernel under test and hands its outcome to the case's checks: the
/// glue between `GuestCase` and a conformance `Scenario`.
enum GuestLab {
    /// Opens the kernel, builds the machine, runs the programs, checks the outcome for this
    /// kernel's line and records the case's figures; a host without arm64 KVM is a skip, a
    /// setup failure a failure.
    static func run(_ guestCase: GuestCase, _ context: inout ScenarioContext) -> Outcome {
        let scenario: GuestScenario
        do throws(GuestProgramError) { scenario = try guestCase.build() } catch { return .fail("program: \(error)") }
        guard let kernel = KernelBehaviour(release: context.kernelRelease) else {
            return .fail("kernel release \(context.kernelRelease) names no kernel line")
        }
        let run: KernelRun
        do throws(ScenarioFailure) { run = try KernelRun(scenario, context) } catch { return error.outcome(prefix: "setup") }
        let verdict = guestCase.check(run.outcome, GuestCheckContext(kernel: kernel, affinities: run.affinities))
        guard case .pass(let detail) = verdict else { return verdict }
        // The model must predict exactly what the kernel did.
        let prediction: GuestOutcome
        do throws(ScenarioFailure) { prediction = try run.prediction(kernel: kernel) } catch { return error.outcome(prefix: "model") }
        let differences = run.outcome.differences(from: prediction)
        guard differences.isEmpty else {
            return .fail("the kernel passed but the model predicted otherwise: " + differences.joined(separator: "; "))
        }
        for figure in guestCase.figures(run.outcome) { context.record(figure.name, figure.value, unit: figure.unit) }
        context.record("trace_events", Int64(run.outcome.trace.events.count), unit: "events")
        return .pass(detail + "; model agrees (\(run.outcome.trace.events.count) events)")
    }

    /// One run of a scenario on the kernel under test, with what the model needs to predict it.
    struct KernelRun {
        let scenario: GuestScenario
        let outcome: GuestOutcome
        let affinities: [Affinity]
        let host: HostCPUInterface

        /// Opens the context's kernel, builds the machine and runs the programs.
        init(_ scenario: GuestScenario, _ context: ScenarioContext) throws(ScenarioFailure) {
            let kvm = try LabKernel.open(context)
            var machine = try GuestMachine.create(on: kvm, for: scenario)
            host = machine.hostCPUInterface()
            outcome = machine.run(scenario)
            affinities = machine.identities.map { $0.affinity }
            self.scenario = scenario
        }

        /// The model's prediction of the same run (with `mutations`, for the mutation check).
        func prediction(kernel: KernelBehaviour, mutations: DeliveryMutation = []) throws(ScenarioFailure) -> GuestOutcome {
            var model = try GuestModelMachine(scenario, kernel: kernel, host: host, mutations: mutations)
            return model.run()
        }
    }
}

/// The checks of a guest case, collected so one verdict names every difference.
struct GuestChecks {
    private(set) var failures: [String] = []
    private(set) var notes: [String] = []

    /// Records `label` when `observed` differs from `expected`.
    mutating func expect<Value: Equatable & CustomStringConvertible>(_ label: String, _ observed: Value, _ expected: Value) {
        if observed != expected { failures.append("\(label): expected \(expected), observed \(observed)") }
    }

    /// `expect` for sequences, printed element by element (Embedded Swift has no generic
    /// description for arrays).
    mutating func expect<Element: Equatable & CustomStringConvertible>(_ label: String, _ observed: [Element], _ expected: [Element]) {
        if observed != expected {
            failures.append("\(label): expected \(GuestChecks.list(expected)), observed \(GuestChecks.list(observed))")
        }
    }

    /// `[a, b, c]`.
    static func list<Element: CustomStringConvertible>(_ elements: [Element]) -> String {
        var text = "["
        for (index, element) in elements.enumerated() { text += (index == 0 ? "" : ", ") + element.description }
        return text + "]"
    }

    /// The run ended with every program done.
    mutating func expectCompleted(_ outcome: GuestOutcome) {
        if outcome.end != .completed { failures.append("run: \(outcome.end)") }
    }

    /// Records a failure when `condition` is false.
    mutating func require(_ label: String, _ condition: Bool) {
        if !condition { failures.append(label) }
    }

    /// Adds a sentence to the pass detail.
    mutating func note(_ text: String) { notes.append(text) }

    /// Pass with `summary` (and the notes), or fail naming every difference.
    func verdict(_ summary: String) -> Outcome {
        if failures.isEmpty { return .pass(([summary] + notes).joined(separator: "; ")) }
        return .fail(failures.joined(separator: "; "))
    }
}
