import GICVocabulary
import KVM

/// Where a GICv3's redistributors go: the two mutually exclusive uAPI forms.
///
/// The kernel refuses mixing them (EINVAL, VGIC.docc/DeviceLifecycle.md), so the type offers one or the other.
public enum Redistributors: Hashable, Sendable {
    /// One contiguous block at `base`, one 128 KiB redistributor per vCPU
    /// (`KVM_VGIC_V3_ADDR_TYPE_REDIST`); always large enough, by construction.
    case legacy(base: UInt64)
    /// Regions of `count` redistributors each, numbered 0, 1, 2, … in this order
    /// (`KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION`); vCPUs fill them in creation order.
    case regions([RedistributorRegion])

    /// How many vCPUs these redistributors can serve, or nil for "as many as there are".
    public var capacity: Int? {
        switch self {
        case .legacy: nil
        case .regions(let regions): regions.reduce(0) { $0 + Int($1.count) }
        }
    }
}
