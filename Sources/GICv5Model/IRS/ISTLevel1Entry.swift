import GICVocabulary

/// A level-1 IST entry of a two-level table: VALID bit 0, the L2 table's address in bits [55:12]
/// (Linux `GICV5_ISTL1E_VALID`, `GICV5_ISTL1E_L2_ADDR_MASK`; QEMU `L1_ISTE`). VALID is set by the
/// IRS in answer to IRS_MAP_L2_ISTR, never by software.
public struct ISTLevel1Entry: Hashable, Sendable {
    public static let validBit: UInt64 = 1
    public static let addressMask: UInt64 = 0x00FF_FFFF_FFFF_F000
    public static let reservedMask: UInt64 = ~(addressMask | validBit)

    public var valid: Bool
    /// The L2 table's physical address; 4 KiB aligned.
    public var level2Address: UInt64

    /// An entry for `level2Address`, which must be 4 KiB aligned and below 2^56.
    public init(valid: Bool, level2Address: UInt64) throws(GICv5ModelError) {
        guard level2Address & ~Self.addressMask == 0 else {
            throw .reservedBitsSet(what: .istLevel1Address, value: level2Address,
                                   reservedMask: ~Self.addressMask)
        }
        self.valid = valid
        self.level2Address = level2Address
    }

    /// Decodes a 64-bit entry; bits [11:1] or [63:56] set throw.
    public init(rawValue: UInt64) throws(GICv5ModelError) {
        guard rawValue & Self.reservedMask == 0 else {
            throw .reservedBitsSet(what: .istLevel1Entry, value: rawValue, reservedMask: Self.reservedMask)
        }
        valid = rawValue & Self.validBit != 0
        level2Address = rawValue & Self.addressMask
    }

    public var rawValue: UInt64 { level2Address | (valid ? Self.validBit : 0) }
}
