import GICSnapshot
import GICVocabulary
import KVM
import KVMSimulation
import Testing
import VGIC

/// The README's snapshot example, verbatim apart from the kernel (the simulated kernel) and
/// one raised SPI for the round trip to carry: if the API drifts from the documentation, this
/// stops compiling or fails.
@Suite("README snapshot example")
struct ReadmeSnapshotTests {
    @Test("capture on one VM, encode, decode, restore into a fresh VM with the same layout")
    func example() throws {
        let kernel = SimulatedKernel()
        let kvm = try KVM.open(interface: .simulated(kernel))
        let layout = VGICConfiguration.v3(
            distributor: 0x0800_0000, redistributors: .legacy(base: 0x080A_0000), interruptCount: 128)

        let vm = try kvm.createVM()
        let target = try vm.preferredTarget()
        var vcpus = VCPUSet()                 // owns the vCPUs: none can run while a proof is out
        for id: UInt32 in 0..<4 {
            let vcpu = try vm.createVCPU(id: id)
            try vcpu.initialize(target)
            try vcpus.insert(vcpu)
        }
        let gic = try VGIC.create(on: vm, configuration: layout, vcpus: vcpus.identities)
        try gic.setLevel(try SPI(intid: 40), true)   // not in the README: state worth carrying
        let snapshot = try vcpus.whileStopped { stopped throws(SnapshotError) in try gic.captureSnapshot(stopped) }
        let bytes = try snapshot.encoded()     // stable binary, or a SnapshotValueError; JSON through SnapshotTools

        // Later, on a fresh VM with the same layout:
        let newVM = try kvm.createVM()
        var newVCPUs = VCPUSet()
        for id: UInt32 in 0..<4 {
            let vcpu = try newVM.createVCPU(id: id)
            try vcpu.initialize(target)
            try newVCPUs.insert(vcpu)
        }
        let newGIC = try VGIC.create(on: newVM, configuration: layout, vcpus: newVCPUs.identities)
        let saved = try GICSnapshot(decoding: bytes)
        try newVCPUs.whileStopped { stopped throws(SnapshotError) in try newGIC.restoreSnapshot(saved, stopped) }

        let again = try newVCPUs.whileStopped { stopped throws(SnapshotError) in try newGIC.captureSnapshot(stopped) }
        #expect(again == snapshot)
        // SPI 40 is edge after KVM's reset, so the raise latched it: the latch survives.
        #expect(try newGIC.distributorRegister(.gicdISPENDR, covering: 40) & (1 << 8) != 0)
    }
}
