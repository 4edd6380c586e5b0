/// A GICv3 Software Generated Interrupt: INTID 0–15.
///
/// SGIs are private to each PE and banked in the redistributor SGI frame. KVM makes them enabled and
/// edge-triggered at reset, and they cannot be raised through `KVM_IRQ_LINE` or irqfd
/// (GICVocabulary.docc/InterruptNumbers.md): the guest raises them by writing ICC_SGI1R_EL1.
public struct SGI: Hashable, Comparable, Sendable {
    /// The architectural SGI INTIDs (`VGIC_NR_SGIS` = 16).
    public static let intids: ClosedRange<UInt32> = 0...15

    /// The INTID, 0–15. For SGIs the INTID and the SGI number coincide.
    public let intid: UInt32

    /// Accepts 0–15; anything else throws `.outOfRange(field: .sgi, …)`.
    public init(intid: UInt32) throws(GICValueError) {
        try require(intid, in: Self.intids, .sgi)
        self.intid = intid
    }

    public static func < (lhs: SGI, rhs: SGI) -> Bool { lhs.intid < rhs.intid }
}
