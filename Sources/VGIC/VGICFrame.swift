import GICVocabulary
import KVM
/// One guest-physical window a vgic occupies, named for configuration problems.
///
/// Regions carry their index because a layout with several regions needs to say which one is
/// misplaced.
public enum VGICFrame: Hashable, Sendable, CustomStringConvertible {
    case distributor
    /// GICv2 CPU interface.
    case cpuInterface
    /// GICv3 legacy redistributor block (`KVM_VGIC_V3_ADDR_TYPE_REDIST`), one per vCPU.
    case redistributors
    /// GICv3 redistributor region `index` (`KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION`).
    case redistributorRegion(index: UInt32)
    case its

    public var description: String {
        switch self {
        case .distributor: "distributor"
        case .cpuInterface: "CPU interface"
        case .redistributors: "redistributors"
        case .redistributorRegion(let index): "redistributor region \(index)"
        case .its: "ITS"
        }
    }
}
