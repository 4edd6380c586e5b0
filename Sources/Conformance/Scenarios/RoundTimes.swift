/// The rounds one side of an overhead figure took, in ns, and the two summaries the figure
/// reports: the fastest round (the least disturbed) and the median (the typical one).
///
/// Integers only, like every figure (Embedded Swift cannot format floating point).
struct RoundTimes: Equatable {
    /// Each round's duration, in measuring order.
    private(set) var rounds: [Int64] = []

    mutating func append(_ nanoseconds: Int64) {
        rounds.append(nanoseconds)
    }

    /// The fastest round; 0 before any round.
    var minimum: Int64 { rounds.min() ?? 0 }

    /// The middle round once sorted; for an even count the lower of the two middle ones, so
    /// the median is always a round that was measured. 0 before any round.
    var median: Int64 {
        let sorted = rounds.sorted()
        return sorted.isEmpty ? 0 : sorted[(sorted.count - 1) / 2]
    }

    /// `numerator / denominator` in per-mille (1050 = 1.05); 0 when the denominator is not positive.
    static func permille(_ numerator: Int64, over denominator: Int64) -> Int64 {
        denominator > 0 ? numerator * 1000 / denominator : 0
    }

    /// A per-mille value as a decimal with three places (`1050` → `"1.050"`).
    static func decimal(permille: Int64) -> String {
        let digits = String(permille % 1000)
        return "\(permille / 1000)." + String(repeating: "0", count: max(0, 3 - digits.count)) + digits
    }
}
