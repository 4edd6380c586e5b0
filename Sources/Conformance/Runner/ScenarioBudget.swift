/// How much of each repeated workload a run does: the knob between the lab's full counts and a
/// quick pass in `swift test`.
///
/// The large families repeat one check many times — `differential.v3.fuzz` 200 sequences,
/// `snapshot.v3.round_trip_random` 200 states, `reliability.create_destroy_cycles` 1000 VM
/// lifetimes, `reliability.set_level_threads` 2000 calls per thread. Those counts are what the
/// lab's figures mean, and under QEMU each repetition is an ioctl-bound trip through a real
/// kernel. Against the simulated kernel in a debug build the same loops would dominate the test
/// run, while a few repetitions already run every code path of the scenario. So each such count
/// is written as its full value and scaled here; nothing else about the scenario changes (the
/// same seeds from the same first one, the same checks, the same verdict rule), and the
/// figures a scenario records are the counts it actually ran.
public struct ScenarioBudget: Sendable, Equatable, CustomStringConvertible {
    /// Of each full count, how many per mille run (1000: all of them).
    public let permille: Int

    /// A budget of `permille` per mille of every full count; at least 1 and at most 1000.
    public init(permille: Int) {
        self.permille = Swift.min(Swift.max(permille, 1), 1000)
    }

    /// Every repetition: the lab, and any native run on an arm64 host.
    public static let full = ScenarioBudget(permille: 1000)
    /// One per cent, at least one repetition: `swift test` against the simulated kernel.
    public static let smoke = ScenarioBudget(permille: 10)

    /// How many of a workload's `full` repetitions to run: scaled down, never below `minimum`
    /// (nor above `full`), so a loop always runs at least once.
    public func count(_ full: Int, minimum: Int = 1) -> Int {
        Swift.min(full, Swift.max(minimum, full * permille / 1000))
    }

    public var description: String {
        permille == 1000 ? "full" : "\(permille)/1000"
    }
}
