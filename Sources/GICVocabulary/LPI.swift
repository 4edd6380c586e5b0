/// A GICv3 Locality-specific Peripheral Interrupt: INTID 8192 and up (`VGIC_MIN_LPI`).
///
/// The architectural ceiling is set by GICD_TYPER.IDbits, which is a property of the (virtual) GIC, not of
/// the number: KVM advertises 16 ID bits with an ITS (`INTERRUPT_ID_BITS_ITS`, so LPIs 8192–65535) and no
/// LPIs without one (GICVocabulary.docc/GICv3RegisterMap.md, GICVocabulary.docc/InterruptNumbers.md). This type
/// therefore accepts 8192…`UInt32.max`, the widest space an INTID can name; checking against a VM's IDbits is
/// the caller's job.
public struct LPI: Hashable, Comparable, Sendable {
    /// Every INTID that can be an LPI under some IDbits value.
    public static let intids: ClosedRange<UInt32> = 8192...UInt32.max

    /// The INTID, 8192 or more.
    public let intid: UInt32

    /// Accepts INTIDs 8192…UInt32.max; anything lower throws `.outOfRange(field: .lpi, …)`.
    public init(intid: UInt32) throws(GICValueError) {
        try require(intid, in: Self.intids, .lpi)
        self.intid = intid
    }

    public static func < (lhs: LPI, rhs: LPI) -> Bool { lhs.intid < rhs.intid }
}
