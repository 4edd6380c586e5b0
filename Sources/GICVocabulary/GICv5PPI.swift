/// A GICv5 PPI number, 0–127.
///
/// GICv5 has 128 PPIs; the first 64 are architected (GICVocabulary.docc/GICv5Interrupts.md). This is the raw
/// PPI number: it is what `KVM_IRQ_LINE` carries in `irq_id` for a GICv5 guest (the kernel adds the TYPE
/// field itself, GICVocabulary.docc/InterruptNumbers.md), and it is *not* a GICv3 PPI INTID (16–31). The
/// architected names are constants in `GICv5PPI+Architected.swift`, listed as data in
/// `GICv5ArchitectedPPI.table`.
///
/// KVM 7.1 keeps only 64 PPIs (`VGIC_V5_NR_PRIVATE_IRQS`) and lets userspace drive only the SW_PPI, so
/// most values here will be refused by the kernel at `KVM_IRQ_LINE` time; that is a property of the
/// running VM (its `USERSPACE_PPIS` mask), not of the number.
public struct GICv5PPI: Hashable, Comparable, Sendable {
    /// Every PPI number.
    public static let ids: ClosedRange<UInt32> = 0...127
    /// The architected PPIs, 0–63.
    public static let architectedIDs: ClosedRange<UInt32> = 0...63

    /// The PPI number, 0–127.
    public let id: UInt32

    /// Accepts 0–127; anything else throws `.outOfRange(field: .gicv5PPI, …)`.
    public init(id: UInt32) throws(GICValueError) {
        try require(id, in: Self.ids, .gicv5PPI)
        self.id = id
    }

    /// For the architected constants, whose numbers are literals in range.
    init(architected id: UInt32) {
        self.id = id
    }

    /// The full GICv5 INTID, `0x2000_0000 | id`.
    public var interruptID: GICv5InterruptID { .ppi(self) }

    /// True for PPIs 0–63, the architected half.
    public var isArchitected: Bool { Self.architectedIDs.contains(id) }

    /// The architected PPI with this number, if the architecture assigns one.
    public var architected: GICv5ArchitectedPPI? {
        GICv5ArchitectedPPI.table.first { $0.ppi == self }
    }

    public static func < (lhs: GICv5PPI, rhs: GICv5PPI) -> Bool { lhs.id < rhs.id }
}
