import GICVocabulary

/// The 64-bit result of `GICR CDIA` / `GICR CDNMIA`: the INTID in [31:0] (ID [23:0], TYPE [31:29])
/// and VALID in bit 32; 0 when nothing was acknowledged (GICv5Model.docc/GICv5Architecture.md,
/// `GICV5_GICR_CDIA_VALID`). ICC_HPPIR_EL1 has the same layout, with HPPIV in bit 32.
public struct AcknowledgeResult: Hashable, Sendable {
    public static let validBit: UInt64 = 1 << 32
    /// Nothing acknowledged.
    public static let none = AcknowledgeResult(rawValue: 0)

    public let rawValue: UInt64

    public init(rawValue: UInt64) {
        self.rawValue = rawValue
    }

    /// The result naming `id`, VALID set.
    public init(acknowledged id: GICv5InterruptID) {
        rawValue = UInt64(id.rawValue) | Self.validBit
    }

    public var isValid: Bool { rawValue & Self.validBit != 0 }

    /// The acknowledged interrupt, when VALID.
    public var interruptID: GICv5InterruptID? {
        guard isValid else { return nil }
        return try? GICv5InterruptID(rawValue: UInt32(truncatingIfNeeded: rawValue))
    }
}
