/// The TYPE field, bits 31:29, of a GICv5 INTID.
///
/// `include/linux/irqchip/arm-gic-v5.h`: `GICV5_HWIRQ_TYPE_PPI` 0x1, `_LPI` 0x2, `_SPI` 0x3
/// (architecture rule R_GYVWB; GICVocabulary.docc/GICv5Interrupts.md). Encodings 0 and 4–7 are not
/// assigned. GICv5 has no SGIs: inter-processor interrupts are LPIs or the SW_PPI.
public enum GICv5InterruptType: UInt32, Hashable, Sendable, CaseIterable {
    case ppi = 1
    case lpi = 2
    case spi = 3

    /// The values the 3-bit TYPE field may take.
    public static let allowed: ClosedRange<UInt32> = 1...3

    /// Decodes a TYPE field value; 0 and 4–7 (or anything wider than 3 bits) throw
    /// `.outOfRange(field: .gicv5Type, value:, allowed: 1...3)`.
    public init(field: UInt32) throws(GICValueError) {
        guard let type = GICv5InterruptType(rawValue: field) else {
            throw .outOfRange(field: .gicv5Type, value: UInt64(field), allowed: 1...3)
        }
        self = type
    }
}
