/// Counts of passed, failed and skipped scenarios, over one kernel or the whole lab run.
public struct LabTotals: Sendable, Equatable, Codable {
    public var passed: Int
    public var failed: Int
    public var skipped: Int

    public init(passed: Int = 0, failed: Int = 0, skipped: Int = 0) {
        self.passed = passed
        self.failed = failed
        self.skipped = skipped
    }

    public init(_ records: [ScenarioRecord]) {
        self.init()
        for record in records { count(record.status) }
    }

    public mutating func count(_ status: ScenarioStatus) {
        switch status {
        case .pass: passed += 1
        case .fail: failed += 1
        case .skip: skipped += 1
        }
    }

    public static func + (lhs: LabTotals, rhs: LabTotals) -> LabTotals {
        LabTotals(passed: lhs.passed + rhs.passed, failed: lhs.failed + rhs.failed, skipped: lhs.skipped + rhs.skipped)
    }
}
