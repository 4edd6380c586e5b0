import GICModel
import GICSnapshot
import GICVocabulary
import KVM
import KVMSimulation
import Testing
import VGIC

/// The README's "Testing your VMM on x86" example, verbatim, with its asserts as expectations:
/// if the API drifts from the documentation, this stops compiling or fails.
@Suite("README simulated kernel example")
struct ReadmeSimulationTests {
    @Test("GIC setup, an injection and a migration of a VMM, on the simulated kernel")
    func example() throws {
        let kernel = SimulatedKernel(host: .qemuMax, kernel: .debian6_12)
        let kvm = try KVM.open(interface: .simulated(kernel))
        let layout = VGICConfiguration.v3(distributor: 0x0800_0000, redistributors: .legacy(base: 0x080A_0000))

        let vm = try kvm.createVM()                     // the VMM's own code from here...
        var vcpus = VCPUSet()
        for id: UInt32 in 0..<2 { try vcpus.insert(try vm.createVCPU(id: id)) }
        let gic = try VGIC.create(on: vm, configuration: layout, vcpus: vcpus.identities)
        try gic.setLevel(try SPI(intid: 40), true)
        let saved = try vcpus.whileStopped { stopped throws(SnapshotError) in try gic.captureSnapshot(stopped) }

        let target = try kvm.createVM()                 // ...and the migration target's
        var targetVCPUs = VCPUSet()
        for id: UInt32 in 0..<2 { try targetVCPUs.insert(try target.createVCPU(id: id)) }
        let targetGIC = try VGIC.create(on: target, configuration: layout, vcpus: targetVCPUs.identities)
        try targetVCPUs.whileStopped { stopped throws(SnapshotError) in try targetGIC.restoreSnapshot(saved, stopped) }

        #expect(kernel.gicv3?.interrupt(40, vcpu: 0).latch == true)   // the target's kernel state
        kernel.faults = [.nth(1, .irqLine, errno: .EBUSY)]             // the VMM's error path
        #expect(throws: VGICError.vcpusRunning(.kernel(.EBUSY, Attempt(.irqLine, argument: 0x0100_0029)))) {
            try targetGIC.setLevel(try SPI(intid: 41), true)
        }
    }
}
