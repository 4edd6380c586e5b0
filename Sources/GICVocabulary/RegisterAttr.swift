/// The attr for GICv3 `KVM_DEV_ARM_VGIC_GRP_DIST_REGS` / `_REDIST_REGS`: `affinity[63:32] | offset[31:0]`.
///
/// GICVocabulary.docc/AttributeEncodings.md: the selector is the packed affinity (`Affinity.attrBits`); the
/// offset is relative to the frame base, and for the redistributor the SGI frame follows at RD_base + 0x10000
/// (so GICR_ISENABLER0 is offset 0x10100). Only aligned 32-bit accesses exist (`vgic_v3_has_attr_regs`: "We
/// only support aligned 32-bit accesses", ENXIO otherwise), and a 64-bit register is two accesses at `offset`
/// and `offset + 4`. DIST_REGS ignores the affinity and uses vCPU 0, but the kernel still has to find a vCPU
/// with that affinity.
///
/// The offsets of every register, and the word that holds a given INTID, are in `GICv3Register`.
public struct RegisterAttr: Hashable, Sendable {
    /// `KVM_DEV_ARM_VGIC_OFFSET_MASK`.
    public static let offsetMask: UInt64 = 0xFFFF_FFFF
    /// Accesses are 32 bits wide and aligned.
    public static let offsetAlignment: UInt32 = 4

    /// The vCPU whose redistributor is meant (ignored for DIST_REGS).
    public let affinity: Affinity
    /// Byte offset in the frame pair, 4-aligned.
    public let offset: UInt32

    /// Accepts a 4-aligned offset (a `UInt32`, so below 2^32 by type); otherwise throws
    /// `.misaligned(field: .registerOffset, value:, alignment: 4)`.
    public init(affinity: Affinity, offset: UInt32) throws(GICValueError) {
        try requireAligned(UInt64(offset), to: UInt64(Self.offsetAlignment), .registerOffset)
        self.affinity = affinity
        self.offset = offset
    }

    /// The attr for the word of `register` that holds `intid`'s field (see `GICv3Register.location(of:)`).
    public init(affinity: Affinity, register: GICv3Register, intid: UInt32) throws(GICValueError) {
        let location = try register.location(of: intid)
        self.affinity = affinity
        self.offset = location.offset
    }

    /// The attr for the first word of `register` (its only word for a 32-bit, non-per-interrupt one).
    public init(affinity: Affinity, register: GICv3Register) {
        self.affinity = affinity
        self.offset = register.offset
    }

    /// Decodes an attr; a misaligned offset throws `.misaligned(field: .registerOffset, …)`.
    public init(rawValue: UInt64) throws(GICValueError) {
        try self.init(affinity: Affinity(attr: rawValue),
                      offset: UInt32(truncatingIfNeeded: rawValue & Self.offsetMask))
    }

    /// The attr value.
    public var rawValue: UInt64 { affinity.attrBits | UInt64(offset) }
}
