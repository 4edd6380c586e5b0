import GICVocabulary

/// An interrupt that is a candidate for acknowledge, and its priority: the result of a highest
/// priority pending interrupt (HPPI) search.
public struct PendingInterrupt: Hashable, Sendable {
    public var id: GICv5InterruptID
    public var priority: UInt8

    public init(id: GICv5InterruptID, priority: UInt8) {
        self.id = id
        self.priority = priority
    }

    /// Whether `self` beats `other`: strictly higher priority (lower value). Ties keep the earlier candidate,
    /// so the order in which candidates are offered is the tie-break policy; that choice is IMPLEMENTATION
    /// DEFINED (R_VVBPS, divergence 12 in GICModel.docc/AttributeView.md) and never asserted against
    /// hardware.
    func beats(_ other: PendingInterrupt?) -> Bool {
        guard let other else { return true }
        return priority < other.priority
    }
}
