import GICVocabulary
import KVM
import VGIC

/// The kernel side of `HostAction`: each operation through the public VGIC API, as a VMM would,
/// selecting vCPUs by the affinity the kernel reported (never by index).
extension GuestMachine: HostBackend {
    func setLine(_ word: IRQLineWord, level: Bool) throws(HostFailure) {
        try kernel { () throws(VGICError) in try gic.setLine(word, level) }
    }

    func register(_ register: GICv3Register, vcpu: Int, index: UInt32) throws(HostFailure) -> UInt64 {
        try kernel { () throws(VGICError) -> UInt64 in
            register.frame == .distributor
                ? try gic.distributorRegister(register, index: index)
                : try gic.redistributorRegister(register, index: index, of: identity(vcpu))
        }
    }

    func setRegister(_ register: GICv3Register, vcpu: Int, index: UInt32, _ value: UInt64) throws(HostFailure) {
        try kernel { () throws(VGICError) in
            if register.frame == .distributor {
                try gic.setDistributorRegister(register, index: index, to: value)
            } else {
                try gic.setRedistributorRegister(register, index: index, of: identity(vcpu), to: value)
            }
        }
    }

    func lineLevels(covering intid: UInt32, vcpu: Int) throws(HostFailure) -> UInt32 {
        try kernel { () throws(VGICError) -> UInt32 in try gic.lineLevels(try VGIC.levelSelector(covering: intid, of: identity(vcpu))) }
    }

    func setLineLevels(covering intid: UInt32, vcpu: Int, _ word: UInt32) throws(HostFailure) {
        try kernel { () throws(VGICError) in try gic.setLineLevels(try VGIC.levelSelector(covering: intid, of: identity(vcpu)), to: word) }
    }

    func systemRegister(_ register: ICCRegister, vcpu: Int) throws(HostFailure) -> UInt64 {
        try kernel { () throws(VGICError) -> UInt64 in try gic.systemRegister(register, of: identity(vcpu)) }
    }

    func setSystemRegister(_ register: ICCRegister, vcpu: Int, _ value: UInt64) throws(HostFailure) {
        try kernel { () throws(VGICError) in try gic.setSystemRegister(register, of: identity(vcpu), to: value) }
    }

    func vcpuID(_ vcpu: Int) -> UInt32 { identity(vcpu).id }

    func affinity(_ vcpu: Int) -> Affinity { identity(vcpu).affinity }

    /// The identity of scenario vCPU `vcpu`. A scenario naming a vCPU the VM lacks is a scenario
    /// defect; the kernel then gets a selector that names no vCPU and answers for itself.
    private func identity(_ vcpu: Int) -> VCPUIdentity {
        identities.indices.contains(vcpu) ? identities[vcpu] : VCPUIdentity(id: UInt32(truncatingIfNeeded: vcpu), affinity: Affinity(aff0: 0xFF))
    }

    /// A VGIC call's failure as the trace records it: the kernel's errno, or the library's
    /// refusal before any ioctl.
    private func kernel<Value>(_ body: () throws(VGICError) -> Value) throws(HostFailure) -> Value {
        do throws(VGICError) {
            return try body()
        } catch {
            if let errno = error.errno { throw .refused(errno) }
            throw .rejected("\(error)")
        }
    }
}
