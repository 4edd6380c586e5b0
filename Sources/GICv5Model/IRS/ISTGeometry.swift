import GICVocabulary

/// The shape of an interrupt state table, as IRS_IST_CFGR describes it, and where an ID's entry
/// lives in it.
///
/// IRS_IST_CFGR (Linux `GICV5_IRS_IST_CFGR_*`, QEMU `IRS_IST_CFGR`): LPI_ID_BITS [4:0], L2SZ [6:5]
/// (0 = 4 KiB, 1 = 16 KiB, 2 = 64 KiB L2 tables), ISTSZ [8:7] (0 = 4, 1 = 8, 2 = 16-byte entries),
/// STRUCTURE bit 16 (0 linear, 1 two-level). The value 3 of L2SZ and ISTSZ is reserved; QEMU treats
/// it as the smallest size, the model refuses it. In a two-level table the low
/// `log2(L2 size) − log2(entry size)` bits of an ID index the L2 table and the remaining high bits
/// the L1 table of 8-byte entries (QEMU `l1_iste_addr`, `get_l2_iste_addr`).
public struct ISTGeometry: Hashable, Sendable {
    public enum Structure: UInt8, Hashable, Sendable {
        case linear = 0
        case twoLevel = 1
    }

    /// Where an ID's entry lives.
    public struct Location: Hashable, Sendable {
        /// The L1 entry's index, for a two-level table; nil for a linear one.
        public var level1Index: UInt32?
        /// Byte offset of the L2 entry within its L2 table (or within the linear table).
        public var byteOffset: UInt64
    }

    public var structure: Structure
    /// How many ID bits the table covers, 1–24.
    public var idBits: UInt8
    /// Entry size in bytes: 4, 8 or 16.
    public var entrySize: UInt64
    /// L2 table size in bytes: 4096, 16384 or 65536 (ignored for a linear table).
    public var level2Size: UInt64

    /// Decodes IRS_IST_CFGR. Reserved sizes (3) and LPI_ID_BITS 0 throw `.outOfRange`; set bits
    /// outside the fields throw `.reservedBitsSet`.
    public init(configRegister value: UInt32) throws(GICv5ModelError) {
        let defined: UInt32 = 0x1_01FF
        guard value & ~defined == 0 else {
            throw .reservedBitsSet(what: .istConfig, value: UInt64(value), reservedMask: UInt64(~defined))
        }
        let idBits = UInt8(value & 0x1F)
        let l2sz = (value >> 5) & 0x3
        let istsz = (value >> 7) & 0x3
        guard (1...24).contains(idBits) else {
            throw .outOfRange(what: .istIDBits, value: UInt64(idBits), allowed: 1...24)
        }
        guard l2sz < 3 else { throw .outOfRange(what: .istLevel2Size, value: UInt64(l2sz), allowed: 0...2) }
        guard istsz < 3 else { throw .outOfRange(what: .istEntrySize, value: UInt64(istsz), allowed: 0...2) }
        self.structure = value & (1 << 16) != 0 ? .twoLevel : .linear
        self.idBits = idBits
        self.entrySize = 4 << UInt64(istsz)
        self.level2Size = 4096 << UInt64(2 * l2sz)
    }

    /// The IRS_IST_CFGR value.
    public var configRegister: UInt32 {
        let istsz = UInt32(entrySize.trailingZeroBitCount - 2)
        let l2sz = UInt32((level2Size.trailingZeroBitCount - 12) / 2)
        return UInt32(idBits) | l2sz << 5 | istsz << 7 | UInt32(structure.rawValue) << 16
    }

    /// How many low ID bits index an L2 table: log2(L2 size) − log2(entry size).
    public var level2IndexBits: UInt32 {
        UInt32(level2Size.trailingZeroBitCount - entrySize.trailingZeroBitCount)
    }

    /// Number of L1 entries of a two-level table (at least 1); 0 for a linear table.
    public var level1EntryCount: UInt64 {
        guard structure == .twoLevel else { return 0 }
        let bits = UInt32(idBits)
        return bits > level2IndexBits ? 1 << UInt64(bits - level2IndexBits) : 1
    }

    /// Where `id`'s entry lives, or nil when the table does not cover it (id ≥ 2^idBits).
    public func location(of id: UInt32) -> Location? {
        guard UInt64(id) < 1 << UInt64(idBits) else { return nil }
        switch structure {
        case .linear:
            return Location(level1Index: nil, byteOffset: UInt64(id) * entrySize)
        case .twoLevel:
            let l2Bits = level2IndexBits
            let l2Index = UInt64(id) & ((1 << UInt64(l2Bits)) - 1)
            return Location(level1Index: id >> l2Bits, byteOffset: l2Index * entrySize)
        }
    }
}
