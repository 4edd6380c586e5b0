/// A vCPU as the simulated kernel holds it: the id `KVM_CREATE_VCPU` was given and the
/// MPIDR_EL1 it reports (KVM's reset value unless the VMM set it with `KVM_SET_ONE_REG`).
public struct SimulatedVCPU: Hashable, Sendable {
    public let id: UInt32
    public internal(set) var mpidr: UInt64
}
