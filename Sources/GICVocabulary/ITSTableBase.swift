/// A GITS_BASER<n> or GITS_CBASER value read as the table it describes (GICv3 §12.19, IHI 0069;
/// `GITS_BASER_*` and `GITS_CBASER_ADDRESS` in `include/linux/irqchip/arm-gic-v3.h`;
/// GICVocabulary.docc/ITSTables.md).
public struct ITSTableBase: Hashable, Sendable {
    /// The register value.
    public var rawValue: UInt64

    public init(rawValue: UInt64) { self.rawValue = rawValue }

    /// Valid (bit 63).
    public var isValid: Bool { rawValue >> 63 == 1 }
    /// Indirect (bit 62): a two-level table (GITS_BASER only).
    public var isIndirect: Bool { rawValue >> 62 & 1 == 1 }
    /// Type (58:56): 1 devices, 4 collections (GITS_BASER only).
    public var type: UInt8 { UInt8(rawValue >> 56 & 7) }
    /// Entry_Size + 1 (52:48), in bytes (GITS_BASER only).
    public var entrySize: Int { Int(rawValue >> 48 & 0x1F) + 1 }
    /// The table's address with KVM's 64 KiB pages: bits 47:16, and 51:48 from bits 15:12
    /// (`GITS_BASER_ADDR_48_to_52`).
    public var tableAddress: UInt64 { rawValue & 0x0000_FFFF_FFFF_0000 | (rawValue >> 12 & 0xF) << 48 }
    /// The table's size: (Size + 1) 64 KiB pages (`GITS_BASER_NR_PAGES`).
    public var tableBytes: Int { (Int(rawValue & 0xFF) + 1) * 0x1_0000 }

    /// The command queue's address (GITS_CBASER bits 51:12).
    public var queueAddress: UInt64 { rawValue & 0x000F_FFFF_FFFF_F000 }
    /// The command queue's size: (Size + 1) 4 KiB pages (`ITS_CMD_BUFFER_SIZE`).
    public var queueBytes: Int { (Int(rawValue & 0xFF) + 1) << 12 }

    /// GITS_BASER's Type values.
    public static let deviceTableType: UInt8 = 1
    public static let collectionTableType: UInt8 = 4
}

/// GICR_PROPBASER and GICR_PENDBASER read as the LPI tables they describe (GICv3 §12.11.27/23;
/// `GICR_PROPBASER_ADDRESS`, `GICR_PENDBASER_ADDRESS`; GICVocabulary.docc/ITSTables.md).
public enum LPITableBase {
    /// The property table's address (PROPBASER bits 51:12).
    public static func propertyTable(_ propbaser: UInt64) -> UInt64 { propbaser & 0x000F_FFFF_FFFF_F000 }
    /// IDbits + 1 (PROPBASER 4:0): the LPI INTIDs the table covers are below 2^min(that, 16)
    /// (`max_lpis_propbaser` with `INTERRUPT_ID_BITS_ITS`).
    public static func lpiLimit(_ propbaser: UInt64) -> UInt32 {
        let bits = Swift.min(Int(propbaser & 0x1F) + 1, 16)
        return UInt32(1) << UInt32(bits)
    }
    /// The pending table's address (PENDBASER bits 51:16).
    public static func pendingTable(_ pendbaser: UInt64) -> UInt64 { pendbaser & 0x000F_FFFF_FFFF_0000 }
    /// PENDBASER.PTZ (bit 62): the pending table is known to be zero, so enabling LPIs does not read it.
    public static let pendingTableZero: UInt64 = 1 << 62
    /// A property byte: priority (7:2) and enable (0) (`LPI_PROP_PRIORITY`, `LPI_PROP_ENABLE_BIT`).
    public static func priority(ofProperty byte: UInt8) -> UInt8 { byte & 0xFC }
    public static func isEnabled(property byte: UInt8) -> Bool { byte & 1 == 1 }
}
