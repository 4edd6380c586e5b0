/// How many scenarios passed, failed and were skipped in one run.
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
}
