import GICVocabulary
import KVM

/// Which in-kernel GIC model a VM gets.
///
/// One value per `KVM_DEV_TYPE_ARM_VGIC_*` model a VMM can ask for. The ITS is not a version:
/// it is an optional companion of a GICv3 (`VGICConfiguration.itsBase`).
public enum GICVersion: Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// GICv2: distributor + CPU interface, at most 8 vCPUs. Many GICv3 hosts cannot emulate it
    /// (no GICv2 compatibility in hardware), so creation may fail with `.unsupportedByHost`.
    case v2
    /// GICv3: distributor + one redistributor per vCPU, optionally an ITS.
    case v3
    /// GICv5 (Linux 7.1): no addresses and no NR_IRQS; only CTRL_INIT and USERSPACE_PPIS.
    case v5

    /// The `KVM_CREATE_DEVICE` type.
    public var deviceType: DeviceType {
        switch self {
        case .v2: .vgicV2
        case .v3: .vgicV3
        case .v5: .vgicV5
        }
    }

    /// The most vCPUs the kernel lets this model serve (`kvm->max_vcpus`, VGIC.docc/DeviceLifecycle.md:
    /// V2 8, V3 512, V5 512, i.e. `VGIC_V{2,3,5}_MAX_CPUS`); more gives E2BIG on create.
    /// The documented fallback: `VGIC.maxVCPUs(_:on:)` prefers what the VM's kernel answers
    /// (a GICv5's limit also depends on the host).
    public var maxVCPUs: Int {
        switch self {
        case .v2: 8
        case .v3, .v5: 512
        }
    }

    public var description: String {
        switch self {
        case .v2: "GICv2"
        case .v3: "GICv3"
        case .v5: "GICv5"
        }
    }
}
