import GICSnapshot
import GICVocabulary
import KVM
import Testing
import VGIC

/// The proof of stopped vCPUs comes only from a set that owns them.
@Suite("VCPUSet and StoppedVCPUs")
struct VCPUSetTests {
    @Test("insert reads each vCPU's MPIDR_EL1 from the kernel; the proof lists them in order")
    func identitiesFromMPIDR() throws {
        let sim = SyscallSimulator()
        sim.mpidrForVCPU = { id in (1 << 31) | UInt64(id + 1) << 8 | 3 }
        let kvm = try KVM.open(interface: .simulated(sim))
        let vm = try kvm.createVM()
        var set = VCPUSet()
        for id: UInt32 in [4, 2] { try set.insert(try vm.createVCPU(id: id)) }
        #expect(sim.calls(.getOneReg).count == 2)
        let listed = set.whileStopped { stopped in stopped.vcpus }
        #expect(listed == [
            VCPUIdentity(id: 4, affinity: Affinity(aff1: 5, aff0: 3)),
            VCPUIdentity(id: 2, affinity: Affinity(aff1: 3, aff0: 3)),
        ])
    }

    @Test("a second vCPU with the same affinity is refused")
    func duplicateAffinity() throws {
        let sim = SyscallSimulator()
        sim.mpidrForVCPU = { _ in 1 << 31 }
        let kvm = try KVM.open(interface: .simulated(sim))
        let vm = try kvm.createVM()
        var set = VCPUSet()
        try set.insert(try vm.createVCPU(id: 0))
        let second = try vm.createVCPU(id: 1)
        do throws(VCPUSetError) {
            try set.insert(second)
            Issue.record("a duplicate affinity was accepted")
        } catch {
            #expect(error == .duplicate(
                held: VCPUIdentity(id: 0, affinity: Affinity(aff0: 0)), offered: VCPUIdentity(id: 1, affinity: Affinity(aff0: 0))))
        }
        #expect(set.count == 1)
    }

    @Test("remove hands the vCPU back and takes it out of the proof; withVCPU lends it")
    func removeAndLend() throws {
        let sim = SyscallSimulator()
        let kvm = try KVM.open(interface: .simulated(sim))
        let vm = try kvm.createVM()
        var set = VCPUSet()
        for id: UInt32 in 0..<3 { try set.insert(try vm.createVCPU(id: id)) }
        let lent = set.withVCPU(id: 2) { vcpu in vcpu.id }
        #expect(lent == 2)
        #expect(set.withVCPU(id: 9) { vcpu in vcpu.id } == nil)
        guard let removed = set.remove(id: 1) else {
            Issue.record("vCPU 1 was not handed back")
            return
        }
        let removedID = removed.id
        #expect(removedID == 1)
        #expect(set.identities.map(\.id) == [0, 2])
        switch set.remove(id: 1) {
        case .some: Issue.record("vCPU 1 handed back twice")
        case .none: break
        }
        // Back in: a paused vCPU thread returns its vCPU.
        try set.insert(removed)
        #expect(set.identities.map(\.id) == [0, 2, 1])
    }

    @Test("the vCPU fds close when the set goes away")
    func closesOnDrop() throws {
        let sim = SyscallSimulator()
        let kvm = try KVM.open(interface: .simulated(sim))
        let vm = try kvm.createVM()
        do {
            var set = VCPUSet()
            try set.insert(try vm.createVCPU(id: 0))
            #expect(sim.closed.isEmpty)
        }
        #expect(sim.closed.count == 1)
        #expect(sim.liveMappings == 0)
    }
}
