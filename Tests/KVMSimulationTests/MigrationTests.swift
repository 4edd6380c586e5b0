import GICModel
import GICSnapshot
import GICVocabulary
import KVM
import KVMSimulation
import Testing
import VGIC

/// One simulated kernel holds many VMs, each with its own vgic: the source and the target of a
/// migration, or a VMM's several guests.
@Suite("Simulated migration")
struct MigrationTests {
    @Test("two VMs on one kernel keep separate vgics; a duplicated VM fd reaches the same VM")
    func separateVMs() throws {
        let kernel = SimulatedKernel()
        let first = try Machine(kernel)
        let second = try Machine(kernel, vcpuIDs: [0])
        let firstGIC = try first.gicv3()
        let secondGIC = try second.gicv3(.v3(distributor: 0x0800_0000, redistributors: .legacy(base: 0x080A_0000)))
        try firstGIC.setLevel(try SPI(intid: 40), true)   // VGIC injects through its own duplicate of the VM fd
        let vms = kernel.vmsInOrder
        #expect(vms.count == 2)
        #expect(vms[0].gicv3?.interrupt(40, vcpu: 0).latch == true)
        #expect(vms[1].gicv3?.interrupt(40, vcpu: 0).latch == false)
        #expect(vms[0].gicv3?.interruptCount == 128 && vms[1].gicv3?.interruptCount == 256)
        #expect(try secondGIC.interruptCount() == 256)
    }

    @Test("capture on one VM, restore on another: the target's model state equals the source's", arguments: KernelBehaviour.allCases)
    func roundTrip(line: KernelBehaviour) throws {
        let kernel = SimulatedKernel(kernel: line)
        let kvm = try KVM.open(interface: .simulated(kernel))
        let vm = try kvm.createVM()
        var vcpus = VCPUSet()
        for id: UInt32 in 0..<2 { try vcpus.insert(try vm.createVCPU(id: id)) }
        let gic = try VGIC.create(on: vm, configuration: Machine.layout, vcpus: vcpus.identities)
        try gic.setDistributorRegister(.gicdCTLR, to: 2)
        try gic.setDistributorRegister(.gicdISENABLER, index: 1, to: 0xFF00)
        try gic.setLevel(try SPI(intid: 44), true)
        try gic.setSystemRegister(ICCRegister.iccPMR, of: vcpus.identities[1], to: 0xF0)
        let saved = try vcpus.whileStopped { stopped throws(SnapshotError) in try gic.captureSnapshot(stopped) }

        let target = try kvm.createVM()
        var targetVCPUs = VCPUSet()
        for id: UInt32 in 0..<2 { try targetVCPUs.insert(try target.createVCPU(id: id)) }
        let targetGIC = try VGIC.create(on: target, configuration: Machine.layout, vcpus: targetVCPUs.identities)
        let decoded = try GICSnapshot(decoding: try saved.encoded())
        try targetVCPUs.whileStopped { stopped throws(SnapshotError) in try targetGIC.restoreSnapshot(decoded, stopped) }
        let models = kernel.vmsInOrder.map(\.gicv3)
        #expect(models[0] != nil && models[0]?.snapshot() == models[1]?.snapshot())
        #expect(models[1]?.interrupt(44, vcpu: 0).latch == true)
        #expect(models[1]?.redistributors[1].cpuInterface.pmr == 0xF0)
    }
}
