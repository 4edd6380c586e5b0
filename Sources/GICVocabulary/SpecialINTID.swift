/// The four GICv3 special INTIDs, 1020–1023.
///
/// These never name an interrupt: they are what an acknowledge (ICC_IAR*_EL1 / ICC_HPPIR*_EL1) returns
/// when there is nothing, or nothing this exception level may take. `VGIC_MAX_RESERVED` (1023) is why
/// KVM rejects `NR_IRQS` above 1023 and why SPIs stop at 1019 (GICVocabulary.docc/InterruptNumbers.md).
public enum SpecialINTID: UInt32, Hashable, Comparable, Sendable, CaseIterable {
    /// 1020: the highest-priority pending interrupt is Secure Group 1 (only seen at EL3).
    case secureGroup1 = 1020
    /// 1021: the highest-priority pending interrupt is Non-secure Group 1 (only seen at EL3).
    case nonSecureGroup1 = 1021
    /// 1022: reserved for legacy operation.
    case legacy = 1022
    /// 1023: spurious; no pending interrupt the reader may acknowledge.
    case spurious = 1023

    /// The special INTIDs.
    public static let intids: ClosedRange<UInt32> = 1020...1023

    /// The INTID, 1020–1023.
    public var intid: UInt32 { rawValue }

    public static func < (lhs: SpecialINTID, rhs: SpecialINTID) -> Bool { lhs.rawValue < rhs.rawValue }
}
