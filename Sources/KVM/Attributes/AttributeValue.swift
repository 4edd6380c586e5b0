import GICVocabulary

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

/// `KVM_DEV_ARM_VGIC_USERSPACE_PPIS` (GICv5, Linux 7.1): two `__u64` words, bit n of the first
/// is PPI n (0...63), bit n of the second PPI 64+n. The vocabulary's set has exactly that layout.
extension GICv5PPISet: AttributeValue {}

/// CTRL attributes (INIT, ITS save/restore, SAVE_PENDING_TABLES, ITS reset): no payload; the
/// kernel ignores `addr`.
public struct NoPayload: AttributeValue, Hashable {
    public init() {}
}
