/// A GICv5 INTID: TYPE in bits 31:29, ID in bits 23:0, bits 28:24 RES0.
///
/// Layout from `include/linux/irqchip/arm-gic-v5.h` (`GICV5_HWIRQ_TYPE` GENMASK(31,29), `GICV5_HWIRQ_ID`
/// GENMASK(23,0)) and the architecture (R_TJPHS: 28:24 reserved), GICVocabulary.docc/GICv5Interrupts.md.
/// So PPI n is `0x2000_0000 | n`, LPI n `0x4000_0000 | n`, SPI n `0x6000_0000 | n`; the EL1 physical timer
/// PPI 30 is `0x2000_001E`.
///
/// The PPI, LPI and SPI spaces are separate ("PPI 1 and SPI 1 are different interrupts"). A PPI ID is
/// further limited to 0–127 because GICv5 has exactly 128 PPIs; LPI and SPI IDs may use all 24 bits
/// (how many a given IRS implements is a runtime property: KVM 7.1 reports 16 ID bits).
public struct GICv5InterruptID: Hashable, Sendable {
    /// Bits 31:29.
    public static let typeShift: UInt32 = 29
    /// Bits 23:0.
    public static let idMask: UInt32 = 0x00FF_FFFF
    /// Bits 28:24, RES0.
    public static let reservedMask: UInt32 = 0x1F00_0000
    /// The ID values the 24-bit ID field can hold.
    public static let ids: ClosedRange<UInt32> = 0...idMask

    /// Which space the ID belongs to.
    public let type: GICv5InterruptType
    /// The ID within that space: 0–127 for a PPI, 0–0xFF_FFFF otherwise.
    public let id: UInt32

    /// Builds an INTID from its parts. An ID wider than 24 bits throws
    /// `.outOfRange(field: .gicv5ID, …)`; a PPI ID above 127 throws `.outOfRange(field: .gicv5PPI, …)`.
    public init(type: GICv5InterruptType, id: UInt32) throws(GICValueError) {
        if type == .ppi {
            try require(id, in: GICv5PPI.ids, .gicv5PPI)
        } else {
            try require(id, in: Self.ids, .gicv5ID)
        }
        self.type = type
        self.id = id
    }

    /// Decodes a raw 32-bit INTID. Checked in this order: bits 28:24 set throws
    /// `.reservedBitsSet(field: .gicv5INTID, value: rawValue, reservedMask: 0x1F00_0000)`; TYPE 0 or 4–7
    /// throws `.outOfRange(field: .gicv5Type, …)`; a PPI ID above 127 throws
    /// `.outOfRange(field: .gicv5PPI, …)`.
    public init(rawValue: UInt32) throws(GICValueError) {
        try requireClear(UInt64(rawValue), mask: UInt64(Self.reservedMask), .gicv5INTID)
        let type = try GICv5InterruptType(field: rawValue >> Self.typeShift)
        try self.init(type: type, id: rawValue & Self.idMask)
    }

    /// The 32-bit INTID, as `vgic_v5_make_ppi/spi/lpi` build it.
    public var rawValue: UInt32 { type.rawValue << Self.typeShift | id }

    /// The INTID of a GICv5 PPI.
    public static func ppi(_ ppi: GICv5PPI) -> GICv5InterruptID {
        GICv5InterruptID(checkedType: .ppi, id: ppi.id)
    }

    /// The INTID of GICv5 SPI `id`; an ID wider than 24 bits throws `.outOfRange(field: .gicv5ID, …)`.
    public static func spi(id: UInt32) throws(GICValueError) -> GICv5InterruptID {
        try GICv5InterruptID(type: .spi, id: id)
    }

    /// The INTID of GICv5 LPI `id`; an ID wider than 24 bits throws `.outOfRange(field: .gicv5ID, …)`.
    public static func lpi(id: UInt32) throws(GICValueError) -> GICv5InterruptID {
        try GICv5InterruptID(type: .lpi, id: id)
    }

    /// For callers that already hold a validated ID.
    init(checkedType type: GICv5InterruptType, id: UInt32) {
        self.type = type
        self.id = id
    }
}
