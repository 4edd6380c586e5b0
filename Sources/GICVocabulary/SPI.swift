/// A GICv3 Shared Peripheral Interrupt: INTID 32–1019.
///
/// An SPI has two numbers that are easy to confuse (GICVocabulary.docc/Pitfalls.md item 9):
/// * the **INTID** (32–1019): what the GIC, the distributor registers and `KVM_IRQ_LINE` use
///   (GICVocabulary.docc/InterruptNumbers.md: "SPI, irq_id between 32 and 1019");
/// * the **index** (INTID − 32, 0–987): the irqfd GSI and irqchip routing pin under KVM's default routing,
///   and the Device Tree `interrupts` cell (GICVocabulary.docc/InterruptNumbers.md). `KVM_IRQCHIP_NUM_PINS`
///   is 988, exactly the number of indices.
///
/// Whether a given SPI exists in a VM depends on `NR_IRQS`; that is a runtime check, not part of this
/// value.
public struct SPI: Hashable, Comparable, Sendable {
    /// The architectural SPI INTIDs (`VGIC_MAX_SPI` = 1019).
    public static let intids: ClosedRange<UInt32> = 32...1019
    /// The SPI indices, INTID − 32 (`KVM_IRQCHIP_NUM_PINS` = 988 of them).
    public static let indices: ClosedRange<UInt32> = 0...987

    /// The INTID, 32–1019.
    public let intid: UInt32

    /// Accepts INTIDs 32–1019; anything else throws `.outOfRange(field: .spi, …)`.
    public init(intid: UInt32) throws(GICValueError) {
        try require(intid, in: Self.intids, .spi)
        self.intid = intid
    }

    /// Builds the SPI from its index 0–987 (the irqfd GSI / irqchip pin / DT cell); anything else
    /// throws `.outOfRange(field: .spiIndex, …)`.
    public init(index: UInt32) throws(GICValueError) {
        try require(index, in: Self.indices, .spiIndex)
        self.intid = index + Self.intids.lowerBound
    }

    /// The SPI index, INTID − 32: the irqfd GSI, irqchip pin and DT cell.
    public var index: UInt32 { intid - Self.intids.lowerBound }

    public static func < (lhs: SPI, rhs: SPI) -> Bool { lhs.intid < rhs.intid }
}
