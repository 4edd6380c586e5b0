import GICDescription
import GICSnapshot
import KVM
import VGIC

/// Why the minimal VMM could not build, boot, pause or migrate a machine.
public enum MachineError: Error, Sendable, CustomStringConvertible {
    /// A KVM-layer call failed; `step` says which part of the machine it was for.
    case kernel(step: String, KVMError)
    /// The vgic refused.
    case gic(step: String, VGICError)
    /// The devicetree could not be built.
    case deviceTree(GICDescriptionError)
    /// Loading the kernel, initramfs or devicetree failed.
    case boot(BootError)
    /// Not every vCPU thread parked in time.
    case pauseTimedOut(milliseconds: Int64)
    /// GIC capture or restore refused.
    case snapshot(step: String, SnapshotError)
    /// Restoring a vCPU register failed.
    case register(vcpu: UInt32, OneRegister, KVMError)
    /// A vCPU set refused a vCPU.
    case vcpuSet(VCPUSetError)
    /// Anything else, described.
    case other(String)

    public var description: String {
        switch self {
        case .kernel(let step, let error): "\(step): \(error)"
        case .gic(let step, let error): "\(step): \(error)"
        case .deviceTree(let error): "devicetree: \(error)"
        case .boot(let error): "loading the guest: \(error)"
        case .pauseTimedOut(let milliseconds): "the vCPU threads did not all stop within \(milliseconds) ms"
        case .snapshot(let step, let error): "\(step): \(error)"
        case .register(let vcpu, let register, let error): "vCPU \(vcpu) \(register): \(error)"
        case .vcpuSet(let error): "vCPU set: \(error)"
        case .other(let text): text
        }
    }
}
