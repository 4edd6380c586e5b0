import GICVocabulary

/// ICC_ICSR_EL1: the answer to `GIC CDRCFG`, an interrupt's configuration and state.
///
/// Layout (GICv5Model.docc/GICv5Architecture.md, QEMU `FIELD(ICSR, …)`): F 0, Enabled 1, Pending 2, IRM 3,
/// Active 4, HM 5, Priority [15:11], IAFFID [47:32]; every other bit RES0. F = 1 says the request failed (an
/// ID the IRS cannot reach, or a PPI) and the other fields are then 0.
public struct InterruptConfigStatus: Hashable, Sendable {
    /// The bits that carry a field; KVM's userspace accessor masks the rest away (RES0).
    public static let definedBits: UInt64 = 0x0000_FFFF_0000_F83F

    /// The answer for a request that failed: only F set.
    public static let failed = InterruptConfigStatus(rawValue: 1)

    /// The register value, RES0 bits clear.
    public let rawValue: UInt64

    /// From a register value; RES0 bits are dropped.
    public init(rawValue: UInt64) {
        self.rawValue = rawValue & Self.definedBits
    }

    /// The value for a successful request describing `state`.
    public init(_ state: IRSInterrupt) {
        var value: UInt64 = 0
        if state.enabled { value |= 1 << 1 }
        if state.pending { value |= 1 << 2 }
        if state.routing == .oneOfN { value |= 1 << 3 }
        if state.active { value |= 1 << 4 }
        if state.handlingMode == .level { value |= 1 << 5 }
        value |= UInt64(state.priority & 0x1F) << 11
        value |= UInt64(state.target) << 32
        self.init(rawValue: value)
    }

    /// F: the request failed.
    public var failed: Bool { rawValue & 1 != 0 }
    public var enabled: Bool { rawValue & (1 << 1) != 0 }
    public var pending: Bool { rawValue & (1 << 2) != 0 }
    public var routing: GICv5RoutingMode { rawValue & (1 << 3) != 0 ? .oneOfN : .targeted }
    public var active: Bool { rawValue & (1 << 4) != 0 }
    public var handlingMode: GICv5HandlingMode { GICv5HandlingMode(hmBit: rawValue & (1 << 5) != 0) }
    public var priority: UInt8 { UInt8(truncatingIfNeeded: rawValue >> 11) & 0x1F }
    public var target: UInt16 { UInt16(truncatingIfNeeded: rawValue >> 32) }
}
