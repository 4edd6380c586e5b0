/// The architectural width of a GICv3 register.
///
/// Through `DIST_REGS`/`REDIST_REGS` every access is a `__u32`, so a 64-bit register is two accesses, at
/// `offset` (low word) and `offset + 4` (high word) (GICVocabulary.docc/AttributeEncodings.md,
/// GICVocabulary.docc/Pitfalls.md item 1).
public enum AccessWidth: UInt32, Hashable, Sendable {
    case bits32 = 32
    case bits64 = 64

    /// How many 32-bit attr accesses one register (or one 64-bit-per-interrupt field) takes.
    public var wordCount: UInt32 { rawValue / 32 }
}
