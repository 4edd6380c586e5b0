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

    @Test("README: migrating a vgic with an ITS, guest RAM declared restored")
    func itsExample() throws {
        let sourceKernel = simulatedKernel()
        let targetKernel = simulatedKernel()
        let (ramBase, ramSize): (UInt64, Int) = (0x4000_0000, 0x20_0000)
        let layout = VGICConfiguration.v3(distributor: 0x0800_0000, redistributors: .legacy(base: 0x080A_0000),
                                          its: 0x0880_0000, interruptCount: 128)
        let kvm = try KVM.open(interface: .simulated(sourceKernel))
        let vm = try kvm.createVM()
        let memory = try vm.allocateGuestMemory(bytes: ramSize)
        try vm.mapMemory(memory, slot: 0, guestAddress: ramBase)
        var vcpus = VCPUSet()
        for id: UInt32 in 0..<2 {
            let vcpu = try vm.createVCPU(id: id)
            try vcpu.initialize(try vm.preferredTarget())
            try vcpus.insert(vcpu)
        }
        let gic = try VGIC.create(on: vm, configuration: layout, vcpus: vcpus.identities)
        // … the guest brings its ITS up, devices send MSIs …
        try ITSSnapshotTests.drive(memory, gic, vcpus.identities, ITSSnapshotTests.commands)   // not in the README
        #expect(try gic.signalMSI(deviceID: 1, eventID: 0) == .delivered(1))                     // nor this

        // Source, vCPUs stopped: capture first, then copy guest RAM (the tables are in it now).
        let snapshot = try vcpus.whileStopped { stopped throws(SnapshotError) in try gic.captureSnapshot(stopped) }
        let bytes = try snapshot.encoded()
        let ram = memory.bytes(at: 0, count: ramSize)!

        // Target: the same layout (ITS frame included); guest RAM back first, then the vgic.
        let targetKVM = try KVM.open(interface: .simulated(targetKernel))   // the README's one `kvm`
        let targetVM = try targetKVM.createVM()
        let targetMemory = try targetVM.allocateGuestMemory(bytes: ramSize)
        try targetVM.mapMemory(targetMemory, slot: 0, guestAddress: ramBase)
        var targetVCPUs = VCPUSet()
        for id: UInt32 in 0..<2 {
            let vcpu = try targetVM.createVCPU(id: id)
            try vcpu.initialize(try targetVM.preferredTarget())
            try targetVCPUs.insert(vcpu)
        }
        let targetGIC = try VGIC.create(on: targetVM, configuration: layout, vcpus: targetVCPUs.identities)
        _ = targetMemory.write(ram, at: 0)
        let restored = RestoredGuestMemory([ramBase..<(ramBase + UInt64(ramSize))])
        let decoded = try GICSnapshot(decoding: bytes)
        try targetVCPUs.whileStopped { stopped throws(SnapshotError) in
            try targetGIC.restoreSnapshot(decoded, stopped, restoredMemory: restored)
        }

        #expect(try targetGIC.signalMSI(deviceID: 2, eventID: 3) == .delivered(1))
        #expect(targetKernel.gicv3?.lpi(8192)?.interrupt.latch == true, "the LPI pending at capture is pending again")
        #expect(targetKernel.gicv3?.lpi(8195)?.target == 1)
    }
}
