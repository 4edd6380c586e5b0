/// One named, independent check against the running kernel: one behaviour, one expected
/// outcome (the shape of the kernel's own vgic selftests).
///
/// The body sets up everything it needs and releases it before returning, so scenarios can
/// run in any order and a filter can pick any subset. It returns an `Outcome` rather than
/// throwing: an unexpected `KVMError` is a failure the body describes, not a crash of the run.
public struct Scenario: Sendable {
    /// Dotted, stable, tab-free name (`host.probe`, `vgic_init.redist_overlap`): reports and CI
    /// history key on it.
    public let name: String
    public let body: @Sendable (inout ScenarioContext) -> Outcome

    public init(_ name: String, _ body: @escaping @Sendable (inout ScenarioContext) -> Outcome) {
        self.name = name
        self.body = body
    }
}
