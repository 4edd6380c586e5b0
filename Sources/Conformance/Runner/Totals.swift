/// How many scenarios passed, failed and were skipped: in one run, on one kernel, or (summed
/// with `+`) over the whole lab. The lab host reads them from `@@END` and counts its records
/// with them too (LabHost adds the JSON form).
public struct Totals: Sendable, Equatable {
    public var passed: Int
    public var failed: Int
    public var skipped: Int

    public init(passed: Int = 0, failed: Int = 0, skipped: Int = 0) {
        self.passed = passed
        self.failed = failed
        self.skipped = skipped
    }

    /// Counts one outcome.
    public mutating func count(_ outcome: Outcome) {
        switch outcome {
        case .pass: passed += 1
        case .fail: failed += 1
        case .skip: skipped += 1
        }
    }

    public static func + (lhs: Totals, rhs: Totals) -> Totals {
        Totals(passed: lhs.passed + rhs.passed, failed: lhs.failed + rhs.failed, skipped: lhs.skipped + rhs.skipped)
    }
}

#if !hasFeature(Embedded)
/// The lab host's JSON report carries totals as they are: `{ "passed", "failed", "skipped" }`
/// (`LabHost/JSONReport.swift`). Host builds only: Embedded Swift has no `Codable`.
extension Totals: Codable {}
#endif
