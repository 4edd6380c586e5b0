/// A value type a device attribute's `addr` can point at.
///
/// Only the types below conform, and each attribute group picks exactly one of them
/// (see `DeviceAttribute`), so a buffer of the wrong width cannot be handed to the kernel.
public protocol AttributeValue: BitwiseCopyable, Equatable, Sendable {
    /// The all-zero value, used as the buffer the kernel fills.
    init()
}

/// DIST_REGS, REDIST_REGS, CPU_REGS, LEVEL_INFO, NR_IRQS, MAINT_IRQ: `__u32`.
extension UInt32: AttributeValue {}
/// CPU_SYSREGS, ADDR, ITS_REGS: `__u64`.
extension UInt64: AttributeValue {}

/// The two `__u64` words of `KVM_DEV_ARM_VGIC_USERSPACE_PPIS` (GICv5, Linux 7.1): bit n of
/// `low` is PPI n (0...63), bit n of `high` is PPI 64+n.
public struct PPIMaskWords: AttributeValue, Hashable {
    public var low: UInt64
    public var high: UInt64

    public init() {
        low = 0
        high = 0
    }

    public init(low: UInt64, high: UInt64) {
        self.low = low
        self.high = high
    }

    /// Whether PPI `number` (0...127) is in the mask; false outside that range.
    public func contains(_ number: Int) -> Bool {
        switch number {
        case 0..<64: low & (1 << UInt64(number)) != 0
        case 64..<128: high & (1 << UInt64(number - 64)) != 0
        default: false
        }
    }
}

/// CTRL attributes (INIT, ITS save/restore, SAVE_PENDING_TABLES, ITS reset): no payload; the
/// kernel ignores `addr`.
public struct NoPayload: AttributeValue, Hashable {
    public init() {}
}
