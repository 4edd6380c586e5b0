import KVM

/// One device fd of a simulated VM: what it is and which VM it belongs to.
public struct SimulatedDevice: Hashable, Sendable {
    /// The vgic device types the simulated kernel implements.
    public enum Kind: Hashable, Sendable {
        case gicv3, its, gicv5

        init?(_ type: DeviceType) {
            switch type {
            case .vgicV3: self = .gicv3
            case .vgicITS: self = .its
            case .vgicV5: self = .gicv5
            default: return nil
            }
        }

        /// The uAPI device type (`KVM_DEV_TYPE_ARM_VGIC_*`).
        var deviceType: DeviceType {
            switch self {
            case .gicv3: .vgicV3
            case .its: .vgicITS
            case .gicv5: .vgicV5
            }
        }
    }

    public let kind: Kind
    /// The VM's key in `SimulatedKernel.vms`.
    public let vm: Int32
}
