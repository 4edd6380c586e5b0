/// Where one INTID's field sits in a per-interrupt GICv3 register bank, in the 32-bit words that
/// `DIST_REGS`/`REDIST_REGS` transfer.
///
/// For a field of `bitWidth` bits, INTID n starts at bit `n × bitWidth` of the bank, so the word is at
/// `bank offset + 4 × ⌊n × bitWidth / 32⌋` and the field at bit `(n × bitWidth) mod 32` of it: ISENABLER
/// INTID n is word `n / 32`, bit `n % 32`; IPRIORITYR INTID n is byte n; ICFGR 2 bits per INTID;
/// IROUTER INTID n is the 64-bit register at `0x6000 + 8n`, i.e. two words.
public struct InterruptFieldLocation: Hashable, Sendable {
    /// The INTID the field belongs to.
    public let intid: UInt32
    /// The 4-aligned attr offset of the (first) 32-bit word holding the field.
    public let offset: UInt32
    /// The bit position of the field's least significant bit in that word (0 for 64-bit fields).
    public let shift: UInt32
    /// The field width: the register's bits per interrupt (1, 2, 8 or 64).
    public let bitWidth: UInt32

    /// 2 for a 64-bit field (low word at `offset`, high word at `offset + 4`), else 1.
    public var wordCount: UInt32 { bitWidth > 32 ? 2 : 1 }

    /// The bits of the (first) word that belong to this INTID.
    public var mask: UInt32 {
        bitWidth >= 32 ? UInt32.max : ((1 << bitWidth) &- 1) << shift
    }

    /// This INTID's field, taken out of a word read at `offset` (for fields up to 32 bits; for a 64-bit
    /// field, the low half).
    public func extract(from word: UInt32) -> UInt32 {
        (word & mask) >> shift
    }

    /// `word` with this INTID's field replaced by `value` (excess high bits of `value` are dropped).
    public func insert(_ value: UInt32, into word: UInt32) -> UInt32 {
        (word & ~mask) | ((value << shift) & mask)
    }
}
