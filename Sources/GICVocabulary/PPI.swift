/// A GICv3 Private Peripheral Interrupt: INTID 16–31.
///
/// PPIs are per-vCPU, so every use of one (a `KVM_IRQ_LINE` word, a redistributor register) also needs the
/// vCPU. Their *index* (INTID − 16, 0–15) is what the Device Tree `interrupts` cell carries for PPIs; the
/// INTID is what the GIC and `KVM_IRQ_LINE` use (GICVocabulary.docc/InterruptNumbers.md: "PPI, irq_id between
/// 16 and 31"). Keeping both spellings on one type stops the two spaces being confused
/// (GICVocabulary.docc/Pitfalls.md item 9). GICv5 PPIs are a different space entirely: see `GICv5PPI`.
public struct PPI: Hashable, Comparable, Sendable {
    /// The architectural PPI INTIDs (`VGIC_NR_PPIS` = 16, following the 16 SGIs).
    public static let intids: ClosedRange<UInt32> = 16...31
    /// The PPI indices, INTID − 16.
    public static let indices: ClosedRange<UInt32> = 0...15

    /// The INTID, 16–31.
    public let intid: UInt32

    /// Accepts INTIDs 16–31; anything else throws `.outOfRange(field: .ppi, …)`.
    public init(intid: UInt32) throws(GICValueError) {
        try require(intid, in: Self.intids, .ppi)
        self.intid = intid
    }

    /// Builds the PPI from its index 0–15 (INTID − 16); anything else throws
    /// `.outOfRange(field: .ppiIndex, …)`.
    public init(index: UInt32) throws(GICValueError) {
        try require(index, in: Self.indices, .ppiIndex)
        self.intid = index + Self.intids.lowerBound
    }

    /// The PPI index, INTID − 16 (0–15): the Device Tree cell for a PPI.
    public var index: UInt32 { intid - Self.intids.lowerBound }

    public static func < (lhs: PPI, rhs: PPI) -> Bool { lhs.intid < rhs.intid }
}
