import CheckedVGIC
import GICModel
import GICVocabulary
import KVM
import KVMSimulation
import Testing
import VGIC

/// The checked device against a model-backed stand-in kernel: what it learns, what it compares,
/// and exactly which differences it reports.
@Suite("Checked vgic")
struct CheckedVGICTests {
    @Test("the model learns NR_IRQS from GICD_TYPER and the host CPU interface from ICC_CTLR_EL1")
    func learnsFromKernel() throws {
        let host = HostCPUInterface(priorityBits: 7, idBits: 0, seis: true, a3v: false)
        let checked = try makeChecked(on: SimulatedKernel(host: .gicv3(host)), interruptCount: 128)
        #expect(checked.model.configuration.interruptCount == 128)
        #expect(checked.model.configuration.host == host)
        #expect(checked.model.configuration.vcpuAffinities == (0..<4).map { Affinity.kvmResetDefault(vcpuID: $0) })
    }

    @Test("a faithful kernel verifies clean right after CTRL_INIT, exhaustively")
    func cleanAfterInit() throws {
        var checked = try makeChecked(on: SimulatedKernel())
        #expect(checked.verify(.exhaustive) == [])
    }

    @Test("verify() names every field the kernel holds differently: register, vCPU, INTID, expected, actual")
    func reportsTamperedState() throws {
        let kernel = tamperedKernel { model in
            var cpu1 = model.redistributors[1].cpuInterface
            cpu1.pmr = 0xF0
            model.setCPUInterface(vcpu: 1, to: cpu1)
            var spi = model.interrupt(40, vcpu: 0)
            spi.enabled = true
            model.setInterrupt(40, to: spi)
            var ppi = model.interrupt(20, vcpu: 2)
            ppi.line = true
            model.setInterrupt(20, vcpu: 2, to: ppi)
        }
        var checked = try makeChecked(on: kernel)
        let differences = checked.verify()
        #expect(differences.map(\.description) == [
            "GICD_ISENABLER INTID 40: expected 0x0, actual 0x1",
            "GICD_ICENABLER INTID 40: expected 0x0, actual 0x1",
            "ICC_PMR_EL1 vCPU 1: expected 0x0, actual 0xf0",
            "LEVEL_INFO vCPU 2 INTID 20: expected 0x0, actual 0x1",
        ])
        #expect(differences.map(\.intid) == [40, 40, nil, 20])
        #expect(differences.map(\.vcpu) == [nil, nil, 1, 2])
    }

    @Test("a refusal the model does not make is an outcome difference, and the typed call throws the kernel's error")
    func outcomeDifference() throws {
        let kernel = SimulatedKernel()
        var checked = try makeChecked(on: kernel)
        kernel.failures = [(.setDeviceAttr, .distributorRegisters, .EBUSY)]
        #expect(throws: VGICError.vcpusRunning(.kernel(.EBUSY, Attempt(
            .setDeviceAttr, attribute: AttributeAddress(group: .distributorRegisters, attr: 0))))) {
            try checked.setDistributorRegister(.gicdCTLR, to: 2)
        }
        let differences = checked.takeDifferences()
        #expect(differences.count == 1)
        #expect(differences.first?.register == "GICD_CTLR write")
        #expect(differences.first?.expected == .done)
        #expect(differences.first?.actual == .refused(.EBUSY))
        #expect(checked.takeDifferences() == [])
    }

    @Test("refusals both sides make agree: no difference for an SPI beyond NR_IRQS or a selector no vCPU has")
    func identicalRefusals() throws {
        var checked = try makeChecked(on: SimulatedKernel())
        let beyond = try checked.perform(.setLine(IRQLineWord(rawValue: 0x0100_0100), level: true))
        #expect(beyond.kernel == .refused(.EINVAL) && beyond.agrees)
        let nobody = Affinity(aff2: 7, aff0: 1)
        let selector = try checked.perform(.writeRedistributor(.gicrISENABLER0, index: 0, vcpu: nobody, value: 1))
        #expect(selector.kernel == .refused(.EINVAL) && selector.agrees)
        #expect(checked.read(.redistributor(.gicrISENABLER0, index: 0, vcpu: nobody)) == .refused(.EINVAL))
        #expect(checked.recordedDifferences == [])
    }

    @Test("typed operations reach both sides: an SPI line, a PPI on a vCPU, an ICC write")
    func typedOperations() throws {
        var checked = try makeChecked(on: SimulatedKernel())
        try checked.setDistributorRegister(.gicdICFGR, index: 2, to: 0)
        try checked.setLevel(try SPI(intid: 33), true)
        try checked.setLevel(try PPI(intid: 27), on: checked.vcpus[3], true)
        try checked.setSystemRegister(ICCRegister.iccPMR, of: checked.vcpus[2], to: 0xF8)
        #expect(checked.model.interrupt(33, vcpu: 0).line)
        #expect(checked.model.interrupt(27, vcpu: 3).line)
        #expect(checked.verify() == [])
        #expect(checked.takeDifferences() == [])
    }

    @Test("verify(affectedBy:) reads only the registers the operation can change")
    func targetedReads() throws {
        let kernel = SimulatedKernel()
        var checked = try makeChecked(on: kernel)
        let operation = GICv3Operation.setLine(IRQLineWord(rawValue: 0x0100_0041), level: true)
        try checked.perform(operation)
        kernel.clearCalls()
        #expect(checked.verify(affectedBy: operation) == [])
        let reads = kernel.calls(.getDeviceAttr).compactMap(\.attempt.attribute)
        #expect(reads == [
            AttributeAddress(group: .levelInfo, attr: 64),
            AttributeAddress(group: .distributorRegisters, attr: 0x208),
        ])
    }

    @Test("a 64-bit element costs two kernel accesses, low word first")
    func sixtyFourBitAccesses() throws {
        let kernel = SimulatedKernel()
        var checked = try makeChecked(on: kernel)
        let before = checked.kernelAccesses
        kernel.clearCalls()
        try checked.perform(.writeDistributor(.gicdIROUTER, index: 40, value: 0x1_0000_0003))
        #expect(kernel.calls(.setDeviceAttr).map(\.attempt.attribute?.attr) == [0x6140, 0x6144])
        #expect(checked.kernelAccesses == before + 2)
        #expect(checked.read(.distributor(.gicdIROUTER, index: 40)) == .value(3))
    }
}
