import GICSnapshot
import SnapshotFuzzSupport
import SnapshotTools
import Testing
import TestSupport

/// The deterministic twin of the libFuzzer target (Fuzz/SnapshotFuzz): over 100,000 damaged
/// binary and JSON snapshots, every consumer keeps `SnapshotTotality`'s promise. Needs no
/// fuzzer runtime; a failure names the seed and input number, which replay exactly.
@Suite("Snapshot consumers are total over damaged input")
struct MutationTotalityTests {
    static let seeds: [UInt64] = Array(0..<10)
    // 10 seeds × (9,000 + 1,000) = 100,000 inputs.
    static let binaryInputsPerSeed = 9_000
    static let jsonInputsPerSeed = 1_000

    static func base(_ seed: UInt64) -> GICSnapshot {
        var random = SeededRandom(seed: 0x70_7A1 &+ seed)
        return syntheticSnapshot(&random, interruptCounts: [64, 96], maximumVCPUs: 2)
    }

    @Test("damaged binary and JSON snapshots: a one-line refusal, or a snapshot every consumer handles", arguments: seeds)
    func mutations(seed: UInt64) throws {
        let reference = Self.base(seed)
        let bytes = try reference.encoded()
        let document = SnapshotDocument(reference)
        var source = SnapshotMutator.Source(seed: seed)
        let mutator = SnapshotMutator()
        var tally: [SnapshotTotality.Outcome: Int] = [:]
        for input in 0..<Self.binaryInputsPerSeed {
            let outcome = SnapshotTotality.check(mutator.binary(bytes, &source), reference: reference)
            if case .violation(let what) = outcome { Issue.record("seed \(seed) binary input \(input): \(what)") }
            tally[outcome, default: 0] += 1
        }
        for input in 0..<Self.jsonInputsPerSeed {
            let outcome = SnapshotTotality.check(mutator.json(document, &source), reference: reference)
            if case .violation(let what) = outcome { Issue.record("seed \(seed) JSON input \(input): \(what)") }
            tally[outcome, default: 0] += 1
        }
        // Both paths must be exercised: some damage is refused, some survives to the consumers.
        #expect(tally[.refused, default: 0] > 0)
        #expect(tally[.accepted, default: 0] > 0)
    }
}

extension SnapshotTotality.Outcome: Hashable {
    public func hash(into hasher: inout Hasher) {
        switch self {
        case .refused: hasher.combine(0)
        case .accepted: hasher.combine(1)
        case .violation(let text): hasher.combine(text)
        }
    }
}
