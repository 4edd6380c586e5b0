/// Everything one runner execution reported, once its output has ended.
///
/// A run that died (panic, timeout, crash) is still a `RunnerOutput`: the records received
/// before it died, `finished == false`, and a failed `lab.runner` record saying so, so no
/// consumer can mistake a truncated run for a clean one.
public struct RunnerOutput: Sendable, Equatable {
    /// `uname -r` from `@@BEGIN`, nil when the runner never got that far.
    public var kernelRelease: String?
    /// The scenario count `@@BEGIN` announced.
    public var announcedCount: Int?
    /// The scenarios in the order reported, each with its figures, plus any `lab.runner`
    /// failure the parser added.
    public var scenarios: [ScenarioRecord]
    /// True when `@@END` arrived.
    public var finished: Bool
}
