/// One named, independent check against the kernel under test: one behaviour, one expected
/// outcome (the shape of the kernel's own vgic selftests).
///
/// The body sets up everything it needs and releases it before returning, so scenarios can
/// run in any order and a filter can pick any subset. It opens the kernel through its context
/// (`LabKernel`), never by itself, so the same body runs against the live kernel in the lab and
/// the simulated one in `swift test`. It returns an `Outcome` rather than throwing: an
/// unexpected `KVMError` is a failure the body describes, not a crash of the run.
public struct Scenario: Sendable {
    /// Dotted, stable, tab-free name (`host.probe`, `vgic_init.redist_overlap`): reports and CI
    /// history key on it.
    public let name: String
    /// What the scenario needs of its kernel beyond ioctls; a kernel without one of them skips
    /// it, with the requirement's reason, before the body runs.
    public let requirements: [KernelRequirement]
    /// The check, behind the requirement gate.
    public let body: @Sendable (inout ScenarioContext) -> Outcome

    public init(
        _ name: String, requires requirements: [KernelRequirement] = [],
        _ body: @escaping @Sendable (inout ScenarioContext) -> Outcome
    ) {
        self.name = name
        self.requirements = requirements
        self.body = { context in
            if let reason = context.missing(requirements) { return .skip(reason) }
            return body(&context)
        }
    }
}
