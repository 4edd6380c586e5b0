@testable import Conformance
import Testing

@Suite("overhead.* figures: interleaved rounds, min and median")
struct OverheadFigureTests {
    @Test("min is the fastest round, median the middle one", arguments: [
        ([5, 1, 9, 3, 7], 1, 5),
        ([4, 2], 2, 2),
        ([8], 8, 8),
        ([], 0, 0),
    ] as [([Int64], Int64, Int64)])
    func summaries(rounds: [Int64], minimum: Int64, median: Int64) {
        var times = RoundTimes()
        for round in rounds { times.append(round) }
        #expect(times.rounds == rounds)
        #expect(times.minimum == minimum)
        #expect(times.median == median)
    }

    @Test("one slow round moves the min of neither side and the median not at all")
    func outlier() {
        var quiet = RoundTimes()
        var noisy = RoundTimes()
        for round: Int64 in [100, 101, 102, 103, 104] { quiet.append(round) }
        for round: Int64 in [100, 101, 9_000, 103, 104] { noisy.append(round) }
        #expect(quiet.median == 102 && noisy.median == 103)
        #expect(quiet.minimum == noisy.minimum)
    }

    @Test("per-mille and its three-place decimal", arguments: [
        (1050, 1000, 1050, "1.050"), (881, 1000, 881, "0.881"), (1310, 1000, 1310, "1.310"),
        (2, 1000, 2, "0.002"), (7, 0, 0, "0.000"),
    ] as [(Int64, Int64, Int64, String)])
    func permille(numerator: Int64, denominator: Int64, permille: Int64, text: String) {
        #expect(RoundTimes.permille(numerator, over: denominator) == permille)
        #expect(RoundTimes.decimal(permille: permille) == text)
    }

    @Test("a passing run records min and median of both sides per operation and the ratio of medians")
    func recordedFigures() {
        var swift = RoundTimes()
        var c = RoundTimes()
        for round: Int64 in [1200, 1100, 1300] { swift.append(round) }
        for round: Int64 in [1000, 900, 5000] { c.append(round) }
        var context = ScenarioContext(kernelRelease: "test")
        let outcome = OverheadScenarios.record(.pass("loops"), (swift, c), perOperation: 10, "irq_line", &context)
        #expect(context.figures.map(\.name) == [
            "irq_line_swift_min", "irq_line_swift_median", "irq_line_c_min", "irq_line_c_median",
            "irq_line_ratio", "irq_line_ratio_min",
        ])
        #expect(context.figures.map(\.value) == [110, 120, 90, 100, 1200, 1222])
        #expect(context.figures[4].unit == "permille")
        #expect(outcome == .pass("Swift/C median 1.200, min 1.222 (target <= 1.050): loops"))
    }

    @Test("a failing run records no figure and keeps its detail")
    func failureRecordsNothing() {
        var context = ScenarioContext(kernelRelease: "test")
        let outcome = OverheadScenarios.record(.fail("C loop: EINVAL"), (RoundTimes(), RoundTimes()), perOperation: 10, "x", &context)
        #expect(context.figures.isEmpty)
        #expect(outcome == .fail("C loop: EINVAL"))
    }
}
