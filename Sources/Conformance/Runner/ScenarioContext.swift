/// What a scenario sees of the run, and where it records its figures.
///
/// Passed `inout` so a scenario can only add figures, not see or disturb another scenario's:
/// each scenario gets a fresh context.
public struct ScenarioContext {
    /// `uname -r` of the kernel under test, for scenarios whose expectation depends on it.
    public let kernelRelease: String
    /// Figures recorded so far, in recording order.
    public private(set) var figures: [Figure]

    public init(kernelRelease: String) {
        self.kernelRelease = kernelRelease
        self.figures = []
    }

    /// Records a figure; integers only (see `Figure`).
    public mutating func record(_ name: String, _ value: Int64, unit: String) {
        figures.append(Figure(name: name, value: value, unit: unit))
    }
}
