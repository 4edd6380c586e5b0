import GICVocabulary
import KVM

/// Everything a VMM decides about its vgic before creating it: model, frame addresses and
/// interrupt count (Apple's `hv_gic_config_*`, for KVM).
///
/// A plain value: build it, `validate` it against the VM, then hand it to `VGIC.create`, which
/// validates again before the first ioctl, so a layout the kernel would only reject at the
/// first `KVM_RUN` (when the VM is already dead) is refused while it is still cheap.
public struct VGICConfiguration: Hashable, Sendable {
    public var version: GICVersion
    /// Distributor base (v2, v3).
    public var distributorBase: UInt64?
    /// Redistributor placement (v3).
    public var redistributors: Redistributors?
    /// CPU interface base (v2).
    public var cpuInterfaceBase: UInt64?
    /// ITS base (v3); nil for no ITS.
    public var itsBase: UInt64?
    /// NR_IRQS: SGIs + PPIs + SPIs, a multiple of 32 in 64...992; nil keeps the kernel's 256.
    public var interruptCount: UInt32?

    public init(
        version: GICVersion, distributorBase: UInt64? = nil, redistributors: Redistributors? = nil,
        cpuInterfaceBase: UInt64? = nil, itsBase: UInt64? = nil, interruptCount: UInt32? = nil
    ) {
        self.version = version
        self.distributorBase = distributorBase
        self.redistributors = redistributors
        self.cpuInterfaceBase = cpuInterfaceBase
        self.itsBase = itsBase
        self.interruptCount = interruptCount
    }

    /// A GICv3 layout.
    public static func v3(
        distributor: UInt64, redistributors: Redistributors, its: UInt64? = nil, interruptCount: UInt32? = nil
    ) -> VGICConfiguration {
        VGICConfiguration(
            version: .v3, distributorBase: distributor, redistributors: redistributors, itsBase: its,
            interruptCount: interruptCount)
    }

    /// A GICv2 layout.
    public static func v2(distributor: UInt64, cpuInterface: UInt64, interruptCount: UInt32? = nil) -> VGICConfiguration {
        VGICConfiguration(version: .v2, distributorBase: distributor, cpuInterfaceBase: cpuInterface, interruptCount: interruptCount)
    }

    /// A GICv5 (7.1 has no addresses and no interrupt count).
    public static var v5: VGICConfiguration { VGICConfiguration(version: .v5) }

    /// The NR_IRQS values the kernel accepts: multiples of 32 in this range
    /// (GICVocabulary.docc/InterruptNumbers.md; the doc says 1024, the code rejects anything above 1023).
    public static let interruptCounts: ClosedRange<UInt32> = 64...992
    /// What the kernel uses when NR_IRQS is not set.
    public static let defaultInterruptCount: UInt32 = 256

    /// Whether `count` is an NR_IRQS value the kernel accepts.
    public static func isValidInterruptCount(_ count: UInt32) -> Bool {
        interruptCounts.contains(count) && count % 32 == 0
    }
}
