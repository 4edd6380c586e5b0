import GICModel
import GICVocabulary
import GuestHarness

/// One guest-side scenario: a name, the scenario as data, and the checks its outcome must pass.
///
/// Data first, so the same case runs three ways: on the kernel in the lab (`GuestLab`), on the
/// reference model in the lab beside it (whose trace must equal the kernel's), and on the model
/// alone in `swift test` (whose outcome must pass the same checks: the model predicts what the
/// guest sees). The checks take the kernel line, so a behaviour that differs between 6.12 and
/// 7.x is one check with a `KernelBehaviour` property, not two scenarios.
struct GuestCase: Sendable {
    /// `guest.<family>.<case>`.
    let name: String
    /// Builds the scenario (programs are checked here).
    let build: @Sendable () throws(GuestProgramError) -> GuestScenario
    /// The verdict on an outcome.
    let check: @Sendable (GuestOutcome, GuestCheckContext) -> Outcome
    /// Figures derived from a passing outcome (latencies in guest ticks, counts).
    var figures: @Sendable (GuestOutcome) -> [Figure] = { _ in [] }

    init(
        _ name: String, build: @escaping @Sendable () throws(GuestProgramError) -> GuestScenario,
        check: @escaping @Sendable (GuestOutcome, GuestCheckContext) -> Outcome
    ) {
        self.name = name
        self.build = build
        self.check = check
    }

    /// The conformance scenario that runs this case on the kernel under test.
    var scenario: Scenario {
        let guestCase = self
        return Scenario(name, requires: [.guestExecution]) { context in GuestLab.run(guestCase, &context) }
    }
}

/// What a guest case's checks may depend on besides the outcome.
struct GuestCheckContext: Sendable {
    /// The kernel line the outcome came from (or that the model predicted for).
    let kernel: KernelBehaviour
    /// Each vCPU's affinity as the kernel reported it (MPIDR_EL1 is `0x8000_0000 | packed`).
    let affinities: [Affinity]
}
