import DeviceTree
import GICVocabulary
import VGIC

/// Why a GIC or a machine cannot be described to a guest.
public enum GICDescriptionError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The layout itself is wrong: the problem `VGIC.create` would refuse it for.
    case configuration(VGICProblem)
    /// A GICv5 has no frames in KVM 7.1 and no binding of this shape.
    case noDeviceTreeBinding(GICVersion)
    /// EL2 guests need a GICv3: KVM's nested virtualisation has no GICv2 interface.
    case el2NeedsGICv3
    /// A phandle of 0 or 0xFFFF_FFFF, or the GIC's and the ITS's equal.
    case phandle(UInt32)
    /// The machine lists a different number of vCPUs from the GIC's.
    case vcpuCount(machine: Int, gic: Int)
    /// Two vCPUs with one affinity: their cpu nodes would share a `reg`.
    case duplicateAffinity(Affinity)
    /// The machine has no memory node.
    case noMemory
    /// The tree cannot be written (a VMM's added node, a bootargs with NUL, a blob too large).
    case deviceTree(DeviceTreeError)

    public var description: String {
        switch self {
        case .configuration(let problem): "the GIC layout is invalid: \(problem)"
        case .noDeviceTreeBinding(let version): "\(version) has no device-tree description here"
        case .el2NeedsGICv3: "a guest with EL2 needs a GICv3"
        case .phandle(let value): "phandle \(value) is reserved or used twice"
        case .vcpuCount(let machine, let gic): "the machine has \(machine) vCPUs but the GIC was described for \(gic)"
        case .duplicateAffinity(let affinity):
            "two vCPUs have affinity \(affinity.aff3).\(affinity.aff2).\(affinity.aff1).\(affinity.aff0)"
        case .noMemory: "the machine has no memory"
        case .deviceTree(let error): "the device tree cannot be written: \(error)"
        }
    }
}
