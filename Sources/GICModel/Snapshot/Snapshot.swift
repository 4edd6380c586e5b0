import GICVocabulary

/// The whole userspace-visible state of a vgic: every location of `GICv3Model.stateLocations`
/// with what reading it gave. `Equatable`, and two snapshots of the same configuration diff into
/// `StateDifference`s that name register, vCPU and INTID.
///
/// The model produces one from itself; the checked device produces one by reading the kernel at
/// the same locations, so "the kernel and the model agree" is `kernel == model.snapshot()`.
public struct Snapshot: Hashable, Sendable {
    /// One location and what it read.
    public struct Entry: Hashable, Sendable {
        public var location: RegisterLocation
        public var outcome: AccessOutcome
        public init(location: RegisterLocation, outcome: AccessOutcome) {
            self.location = location
            self.outcome = outcome
        }
    }

    /// The entries, in the order of the locations they were read at.
    public var entries: [Entry]

    public init(entries: [Entry]) {
        self.entries = entries
    }

    /// The differences from `expected` (typically the model's) to `self` (typically the
    /// kernel's), interpreted by `model` (for names, vCPU ids and per-INTID fields). Entries are
    /// paired by position; a location missing on either side is reported as such.
    public func differences(from expected: Snapshot, model: GICv3Model) -> [StateDifference] {
        var result: [StateDifference] = []
        let count = Swift.max(entries.count, expected.entries.count)
        for i in 0..<count {
            if i < entries.count, i < expected.entries.count,
                entries[i].location == expected.entries[i].location
            {
                result += model.differences(
                    at: entries[i].location, expected: expected.entries[i].outcome, actual: entries[i].outcome)
            } else if i < expected.entries.count {
                result += model.differences(
                    at: expected.entries[i].location, expected: expected.entries[i].outcome, actual: .done)
            } else {
                result += model.differences(at: entries[i].location, expected: .done, actual: entries[i].outcome)
            }
        }
        return result
    }
}

extension GICv3Model {
    /// The model's own snapshot at every state location.
    public func snapshot(_ coverage: Coverage = .state) -> Snapshot {
        Snapshot(entries: stateLocations(coverage).map { Snapshot.Entry(location: $0, outcome: read($0)) })
    }
}
