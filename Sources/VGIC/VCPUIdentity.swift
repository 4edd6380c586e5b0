import GICVocabulary
import KVM

/// The two numbers that name a vCPU to the vgic: its id (what `KVM_IRQ_LINE` targets) and its
/// affinity (what REDIST_REGS, CPU_SYSREGS and LEVEL_INFO select by).
///
/// They differ in general (KVM packs ids 16 per Aff0, and a VMM may set MPIDR_EL1 itself), so
/// build the affinity from MPIDR_EL1 read back from the kernel, never from the id
/// (GICVocabulary.docc/Pitfalls.md item 4: Cloud Hypervisor #8638).
public struct VCPUIdentity: Hashable, Sendable {
    /// The id passed to `KVM_CREATE_VCPU`.
    public let id: UInt32
    /// The affinity from the vCPU's MPIDR_EL1.
    public let affinity: Affinity

    public init(id: UInt32, affinity: Affinity) {
        self.id = id
        self.affinity = affinity
    }

    /// Reads the vCPU's MPIDR_EL1 (`KVM_GET_ONE_REG`) and keeps its affinity.
    public init(reading vcpu: borrowing VCPU) throws(VGICError) {
        let mpidr: UInt64
        do throws(KVMError) {
            mpidr = try vcpu.mpidr()
        } catch {
            throw .kernel(error)
        }
        self.init(id: vcpu.id, affinity: Affinity(mpidr: mpidr))
    }

    /// The id as the `KVM_IRQ_LINE` word carries it (0...4095).
    public func lineIndex() throws(VGICError) -> VCPUIndex {
        do throws(GICValueError) {
            return try VCPUIndex(id)
        } catch {
            throw .configuration(.invalidValue(error))
        }
    }
}
