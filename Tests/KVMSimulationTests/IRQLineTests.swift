import GICModel
import GICVocabulary
import KVM
import KVMSimulation
import Testing
import VGIC

/// `KVM_IRQ_LINE` reaches the kernel's model: what a raised line does there, and each refusal.
@Suite("Simulated KVM_IRQ_LINE")
struct IRQLineTests {
    @Test("an SPI raised on an edge line latches pending; a level line follows the wire")
    func spi() throws {
        let machine = try Machine()
        let gic = try machine.gicv3()
        try gic.setLevel(try SPI(intid: 40), true)
        #expect(machine.kernel.gicv3?.interrupt(40, vcpu: 0).latch == true)
        try gic.setDistributorRegister(.gicdICFGR, index: 2, to: 0)
        try gic.setLevel(try SPI(intid: 41), true)
        #expect(machine.kernel.gicv3?.interrupt(41, vcpu: 0).line == true)
        #expect(try gic.lineLevel(of: 41, on: machine.vcpus[0]))
        try gic.setLevel(try SPI(intid: 41), false)
        #expect(try !gic.lineLevel(of: 41, on: machine.vcpus[0]))
    }

    @Test("a PPI goes to the vCPU its id names, not the vCPU at that position")
    func ppiByID() throws {
        let machine = try Machine(vcpuIDs: [0, 7])
        let gic = try machine.gicv3()
        try gic.setLevel(try PPI(intid: 20), on: machine.vcpus[1], true)
        #expect(machine.kernel.gicv3?.interrupt(20, vcpu: 1).line == true)
        #expect(machine.kernel.gicv3?.interrupt(20, vcpu: 0).line == false)
    }

    @Test("refusals: EBUSY before CTRL_INIT, EINVAL at or above NR_IRQS or for a vCPU id the VM lacks, ENXIO for a CPU line")
    func refusals() throws {
        let machine = try Machine()
        var gic = try VGIC.createUninitialised(on: machine.vm, version: .v3)
        let spi40 = IRQLineWord.spi(try SPI(intid: 40))
        #expect(kvmErrno { () throws(KVMError) in try machine.vm.setIRQLine(spi40, level: true) } == .EBUSY)
        try gic.setDistributorBase(0x0800_0000)
        try gic.setRedistributorBase(0x080A_0000)
        try gic.initialise()
        try machine.vm.setIRQLine(spi40, level: true)
        let beyond = IRQLineWord.spi(try SPI(intid: 256))
        #expect(kvmErrno { () throws(KVMError) in try machine.vm.setIRQLine(beyond, level: true) } == .EINVAL)
        let stranger = IRQLineWord.ppi(try PPI(intid: 20), vcpu: try VCPUIndex(9))
        #expect(kvmErrno { () throws(KVMError) in try machine.vm.setIRQLine(stranger, level: true) } == .EINVAL)
        let cpu = IRQLineWord.cpu(.irq, vcpu: .zero)
        #expect(kvmErrno { () throws(KVMError) in try machine.vm.setIRQLine(cpu, level: true) } == .ENXIO)
    }

    @Test("a VM without an in-kernel GIC: PPI and SPI lines are ENXIO, CPU lines are the VMM's own")
    func noGIC() throws {
        let machine = try Machine()
        let spi = IRQLineWord.spi(try SPI(intid: 40))
        #expect(kvmErrno { () throws(KVMError) in try machine.vm.setIRQLine(spi, level: true) } == .ENXIO)
        try machine.vm.setIRQLine(.cpu(.irq, vcpu: .zero), level: true)
    }
}
