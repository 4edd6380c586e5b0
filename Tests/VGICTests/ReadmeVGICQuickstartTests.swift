import GICVocabulary
import KVM
import Testing
import VGIC

/// The README's vgic example, verbatim apart from the simulator: if the API drifts from the
/// documentation, this stops compiling or fails.
@Suite("README vgic example")
struct ReadmeVGICQuickstartTests {
    @Test("the example creates a 4-vCPU vgic-v3, raises an SPI and a PPI, reads registers by affinity")
    func example() throws {
        let sim = SyscallSimulator()
        sim.mpidrForVCPU = { id in 0x8000_0000 | UInt64(id) << 8 }  // Aff1 = id: not the index's Aff0

        let kvm = try KVM.open(interface: .simulated(sim))
        let vm = try kvm.createVM()
        let target = try vm.preferredTarget()
        var vcpus: [VCPUIdentity] = []
        for id: UInt32 in 0..<4 {
            let vcpu = try vm.createVCPU(id: id)
            try vcpu.initialize(target)
            vcpus.append(try VCPUIdentity(reading: vcpu))
        }
        let layout = VGICConfiguration.v3(
            distributor: 0x0800_0000, redistributors: .legacy(base: 0x080A_0000), interruptCount: 128)
        let gic = try VGIC.create(on: vm, configuration: layout, vcpus: vcpus)

        try gic.setLevel(try SPI(intid: 40), true)
        try gic.setLevel(try PPI(intid: 23), on: vcpus[2], true)
        _ = try gic.distributorRegister(.gicdISPENDR, covering: 40)
        _ = try gic.lineLevel(of: 40, on: vcpus[0])
        _ = try gic.redistributorRegister(.gicrTYPER, of: vcpus[3])
        _ = try gic.systemRegister(.iccPMR, of: vcpus[0])

        #expect(sim.calls(.irqLine).map(\.attempt.argument) == [0x0100_0028, 0x0202_0017])
        let reads = sim.calls(.getDeviceAttr).compactMap(\.attempt.attribute)
        #expect(reads.map(\.attr) == [
            0x0000_0000_0000_0204,              // GICD_ISPENDR1, distributor selector
            0x0000_0000_0000_0020,              // LEVEL_INFO (info 0 = line level) of INTIDs 32-63, vCPU 0
            0x0000_0300_0000_0008,              // GICR_TYPER low word of vCPU 3 (Aff1 = 3)
            0x0000_0300_0000_000C,              // and its high word
            0x0000_0000_0000_C230,              // ICC_PMR_EL1 of vCPU 0
        ])
    }
}
