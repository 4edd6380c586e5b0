/// A measured number a scenario reports (a limit, a count, a duration), printed by the runner
/// and carried into the reports, never asserted.
///
/// Integers only: Embedded Swift cannot format floating point, and fixed units keep reports
/// comparable across runs. Express ratios as per-mille (`unit: "permille"`, 1050 = 1.05),
/// durations in the unit their magnitude needs (`ns`, `us`, `ms`).
public struct Figure: Sendable, Equatable {
    public var name: String
    public var value: Int64
    public var unit: String

    public init(name: String, value: Int64, unit: String) {
        self.name = name
        self.value = value
        self.unit = unit
    }
}
