/// A measured number a scenario reports (a limit, a count, a duration), printed by the runner
/// (`@@FIGURE`), parsed by the lab host and carried into its reports (LabHost adds the JSON
/// form), never asserted.
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

#if !hasFeature(Embedded)
/// The lab host's JSON report carries figures as they are: `{ "name", "value", "unit" }`
/// (`LabHost/JSONReport.swift`). Host builds only: Embedded Swift has no `Codable`.
extension Figure: Codable {}
#endif
