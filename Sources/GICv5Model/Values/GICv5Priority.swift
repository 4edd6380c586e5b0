import GICVocabulary

/// GICv5 priorities: 0–31, lower is higher, 0 is signalled with superpriority
/// (GICv5Model.docc/GICv5Architecture.md).
///
/// A priority is kept as a plain `UInt8` throughout the model; this namespace holds the rules that
/// apply to it, so the masks are written once.
public enum GICv5Priority {
    /// The CPU interface always has 5 priority bits (ICC_IDR0_EL1.PRI_BITS = 0b0100); KVM's
    /// `vgic_v5_reset` sets `num_pri_bits = 5`.
    public static let architectedBits = 5
    /// The lowest priority, 31.
    public static let lowest: UInt8 = 0x1F
    /// The priority signalled with superpriority, and an NMI when SCTLR_ELx.NMI = 1 (R_CSBDX).
    public static let superpriority: UInt8 = 0
    /// What the running priority is called when no priority is active (D_XMBQZ): one past the
    /// lowest priority, so that every real priority is higher. KVM's effective-mask arithmetic uses
    /// the same 32 ("32 then means that there are no active priorities", `vgic-v5.c`).
    public static let idle: UInt8 = 32

    /// The mask that keeps the `implementedBits` high-order bits of a 5-bit priority: the
    /// unimplemented bits are the low-order ones and are ignored (QEMU `gicv5_set_priority`; Linux
    /// `GICV5_IRQ_PRI_MI = 0x1f & GENMASK(4, 5 - pri_bits)`). 5 bits give 0x1F, 4 bits 0x1E.
    /// `implementedBits` outside 1–5 is clamped into that range.
    public static func mask(implementedBits: Int) -> UInt8 {
        let bits = min(max(implementedBits, 1), architectedBits)
        return 0x1F & ~UInt8((1 << (architectedBits - bits)) - 1)
    }

    /// `raw`'s low five bits with the unimplemented low-order bits cleared.
    public static func implemented(_ raw: UInt64, bits: Int = architectedBits) -> UInt8 {
        UInt8(truncatingIfNeeded: raw) & mask(implementedBits: bits)
    }
}
