import GICVocabulary
import KVM
/// Sizes and alignments of the guest-physical frames each model occupies (VGIC.docc/DeviceLifecycle.md), the
/// KVM counterpart of Apple's `hv_gic_get_*_size` / `_base_alignment` queries.
///
/// Static facts, not questions to the kernel: a VMM lays out its memory map with them before
/// a VM exists, and `VGICConfiguration.validate` checks a layout against them.
extension GICVersion {
    /// Bytes of the distributor frame: 4 KiB (v2), 64 KiB (v3); nil for v5, which has no
    /// addresses in 7.1.
    public var distributorSize: UInt64? {
        switch self {
        case .v2: 0x1000
        case .v3: 0x1_0000
        case .v5: nil
        }
    }

    /// The alignment every frame base of this model needs: 4 KiB (v2), 64 KiB (v3).
    public var frameAlignment: UInt64? {
        switch self {
        case .v2: 0x1000
        case .v3: 0x1_0000
        case .v5: nil
        }
    }

    /// Bytes of one redistributor (RD + SGI frame, `KVM_VGIC_V3_REDIST_SIZE`); v3 only.
    public var redistributorSize: UInt64? {
        self == .v3 ? 0x2_0000 : nil
    }

    /// Bytes of the GICv2 CPU interface (`KVM_VGIC_V2_CPU_SIZE`); v2 only.
    public var cpuInterfaceSize: UInt64? {
        self == .v2 ? 0x2000 : nil
    }

    /// Bytes of the ITS frame, control page plus doorbell page (`KVM_VGIC_V3_ITS_SIZE`).
    public static let itsSize: UInt64 = 0x2_0000
    /// The ITS base alignment (64 KiB).
    public static let itsAlignment: UInt64 = 0x1_0000
}
