/// One GICv3 distributor or redistributor register (or bank of per-interrupt registers) as KVM's
/// `DIST_REGS`/`REDIST_REGS` attributes expose it.
///
/// All the facts live in one place, `GICv3Register+Table.swift`, so a reader finds any register's
/// offset, width, per-interrupt layout and userspace behaviour there (style.md). Identity is
/// (frame, offset).
public struct GICv3Register: Sendable {
    /// The architectural name; for a bank, the name without the index (e.g. "GICD_ISENABLER").
    public let name: StaticString
    /// Which frame the register is in.
    public let frame: GICv3Frame
    /// The attr offset of the first byte: relative to the distributor base, or to RD_base for both
    /// redistributor frames (so SGI-frame offsets include 0x10000).
    public let offset: UInt32
    /// Bytes covered, as in the kernel's region table: 4 or 8 for a single register, the whole bank
    /// for per-interrupt registers (e.g. 0x80 for GICD_ISENABLER, 0x2000 for GICD_IROUTER).
    public let length: UInt32
    /// The architectural register width. 64-bit ones take two 32-bit accesses.
    public let width: AccessWidth
    /// Bits of state per INTID (1, 2, 8 or 64), or 0 for a register that is not per-interrupt.
    public let bitsPerInterrupt: UInt32
    /// What userspace reads and writes do.
    public let uaccess: UAccessBehaviour
    /// For a per-interrupt bank, the state of each INTID it shows; nil for the rest, and for the
    /// RAZ/WI banks that show no state (ITARGETSR, IGRPMODR, NSACR).
    public let field: InterruptField?
    /// The bits a userspace write stores and a read returns (before any sanitising): for a
    /// bank, the bits of every 32-bit word (0xF8F8_F8F8 for IPRIORITYR: five priority bits per
    /// byte); for a 64-bit register, all 64. Zero where a write changes nothing the register
    /// shows (RAZ/WI, read-only, the private ICFGR, checked-write registers' fixed fields).
    public let storedBits: UInt64
    /// What the register reads as after CTRL_INIT, before any write.
    public let reset: GICv3Reset
    /// How a snapshot saves and restores it.
    public let restore: RestoreRule

    init(_ name: StaticString, _ frame: GICv3Frame, offset: UInt32, length: UInt32 = 4,
         width: AccessWidth = .bits32, bitsPerInterrupt: UInt32 = 0, uaccess: UAccessBehaviour,
         field: InterruptField? = nil, stored: UInt64, reset: GICv3Reset, restore: RestoreRule) {
        self.name = name
        self.frame = frame
        self.offset = offset
        self.length = length
        self.width = width
        self.bitsPerInterrupt = bitsPerInterrupt
        self.uaccess = uaccess
        self.field = field
        self.storedBits = stored
        self.reset = reset
        self.restore = restore
    }

    /// The offset within the register's own 64 KiB frame (the architectural offset, e.g. 0x0100 for
    /// GICR_ISENABLER0 whose attr offset is 0x10100).
    public var frameOffset: UInt32 { offset &- frame.attrOffsetBase }

    /// The attr offsets the register occupies: `offset..<offset + length`.
    public var offsets: Range<UInt32> { offset..<(offset + length) }

    /// True for registers with per-interrupt fields.
    public var isPerInterrupt: Bool { bitsPerInterrupt != 0 }

    /// The stored bits of the 32-bit word at `offset` (a 64-bit register's high word at +4).
    public func storedBits(ofWordAt offset: UInt32) -> UInt32 {
        let isHighWord = width == .bits64 && (offset - self.offset) & 4 != 0
        return UInt32(truncatingIfNeeded: isHighWord ? storedBits >> 32 : storedBits)
    }

    /// For the clear half of a set/clear pair, the set register of the same frame that shows the
    /// same field (GICD_ICENABLER → GICD_ISENABLER); nil for every other register.
    public var setPartner: GICv3Register? {
        guard uaccess == .clearBits, let field else { return nil }
        return Self.all.first { $0.frame == frame && $0.uaccess == .setBits && $0.field == field }
    }
}

extension GICv3Register: Hashable {
    public static func == (lhs: GICv3Register, rhs: GICv3Register) -> Bool {
        lhs.frame == rhs.frame && lhs.offset == rhs.offset
    }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(frame)
        hasher.combine(offset)
    }
}
