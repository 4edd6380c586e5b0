import Conformance

/// One scenario's result on one kernel, as parsed from the runner's output (or synthesised by
/// the lab for a run that could not report, e.g. `lab.runner` "runner did not finish").
public struct ScenarioRecord: Sendable, Equatable {
    public var name: String
    public var status: ScenarioStatus
    public var detail: String
    public var figures: [Figure]

    public init(name: String, status: ScenarioStatus, detail: String, figures: [Figure] = []) {
        self.name = name
        self.status = status
        self.detail = detail
        self.figures = figures
    }

    /// The scenario's own `duration_us` figure, when the runner timed it.
    public var durationMicroseconds: Int64? {
        figures.first { $0.name == "duration_us" }?.value
    }
}
