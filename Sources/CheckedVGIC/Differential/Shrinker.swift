import GICModel
import VGIC

/// Shrinks a failing operation sequence to a short one that still makes kernel and model
/// disagree, by replaying candidates on fresh VMs.
///
/// Delta debugging in its simple form: first cut everything after the step where the first
/// mismatch appeared, then try deleting chunks (halves, quarters, … single operations), keeping a
/// deletion whenever the shorter sequence still disagrees somewhere; a replay that disagrees
/// earlier also truncates the sequence there. Any disagreement counts, not only the original one:
/// each is a real difference, and insisting on the same one would make the search slower.
public struct Shrinker: Sendable {
    /// The most replays to spend (each costs a VM).
    public var budget: Int

    public init(budget: Int) {
        self.budget = budget
    }

    /// The result: a minimal script with the kernel's outcomes, its mismatch, and the replays spent.
    public struct Result: Sendable {
        public let script: [(operation: GICv3Operation, kernel: AccessOutcome)]
        public let mismatch: Mismatch
        public let replays: Int
        public let kernelAccesses: Int
    }

    /// Shrinks `operations`, which disagreed with `mismatch`.
    public func shrink(
        _ operations: [GICv3Operation], mismatch: Mismatch, using fuzzer: DifferentialFuzzer,
        factory: DifferentialFuzzer.Factory
    ) throws(VGICError) -> Result {
        var current = Array(operations.prefix(Swift.min(operations.count, mismatch.step + 1)))
        var best = mismatch
        var bestScript: [(operation: GICv3Operation, kernel: AccessOutcome)]? = nil
        var replays = 0
        var accesses = 0
        var chunk = Swift.max(1, current.count / 2)
        while replays < budget {
            var removed = false
            var start = 0
            while start < current.count && replays < budget {
                var candidate = current
                candidate.removeSubrange(start..<Swift.min(current.count, start + chunk))
                replays += 1
                let outcome = try fuzzer.replay(candidate, factory: factory)
                accesses += outcome.accesses
                if let found = outcome.mismatch {
                    current = Array(candidate.prefix(Swift.min(candidate.count, found.step + 1)))
                    best = found
                    bestScript = outcome.script
                    removed = true
                } else {
                    start += chunk
                }
            }
            if !removed {
                if chunk == 1 { break }
                chunk = Swift.max(1, chunk / 2)
            }
        }
        // The script that goes with `current`: replay once more unless the last success was it.
        if bestScript == nil || bestScript!.count != current.count {
            let outcome = try fuzzer.replay(current, factory: factory)
            replays += 1
            accesses += outcome.accesses
            bestScript = outcome.script
            if let found = outcome.mismatch { best = found }
        }
        return Result(script: bestScript ?? [], mismatch: best, replays: replays, kernelAccesses: accesses)
    }
}
