import Conformance

/// The runner's `Totals`, counted from the records the lab parsed or synthesised.
extension Totals {
    /// The counts of `records`' statuses.
    public init(_ records: [ScenarioRecord]) {
        self.init()
        for record in records { count(record.status) }
    }

    /// Counts one status.
    public mutating func count(_ status: ScenarioStatus) {
        switch status {
        case .pass: passed += 1
        case .fail: failed += 1
        case .skip: skipped += 1
        }
    }
}
