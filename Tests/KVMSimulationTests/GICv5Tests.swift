import GICv5Model
import GICVocabulary
import KVM
import KVMSimulation
import Testing
import VGIC

/// The vgic-v5 of a simulated GICv5 host on Linux 7.1: CTRL_INIT builds the kernel's `GICv5VM`,
/// the USERSPACE_PPIS mask is the model's, and SW_PPI lines reach the model.
@Suite("Simulated vgic-v5")
struct GICv5Tests {
    @Test("VGIC.create(.v5): the model holds every vCPU and the drivable PPIs are SW_PPI alone")
    func create() throws {
        let machine = try Machine(SimulatedKernel(host: .gicv5Linux7_1), vcpuIDs: [0, 1, 2])
        let gic = try VGIC.create(on: machine.vm, configuration: .v5, vcpus: machine.vcpus)
        let model = try #require(machine.kernel.gicv5)
        #expect(model.vcpus.count == 3)
        #expect(model.userspacePPIs == [.swPPI])
        let drivable = gic.drivablePPIs
        #expect(drivable == [.swPPI])
        let spis = gic.acceptsGICv5SPIs
        #expect(!spis)
    }

    @Test("SW_PPI raised on vCPU 1 latches in that vCPU's model state; a timer PPI is EINVAL")
    func swPPI() throws {
        let machine = try Machine(SimulatedKernel(host: .gicv5Linux7_1))
        let gic = try VGIC.create(on: machine.vm, configuration: .v5, vcpus: machine.vcpus)
        try gic.setLevel(.swPPI, on: machine.vcpus[1], true)
        let state = try #require(machine.kernel.gicv5)
        #expect(state.vcpus[1][.swPPI].isPending)
        #expect(!state.vcpus[0][.swPPI].isPending)
        let timer = IRQLineWord.gicv5PPI(.cntv, vcpu: .zero)
        #expect(errno { () throws(VGICError) in try gic.setLine(timer, true) } == .EINVAL)
    }

    @Test("ID_AA64PFR2_EL1.GCIE reads 1 from a vCPU on a GICv5 host, with or without a vgic-v5, and 0 on a GICv3 host")
    func gcie() throws {
        let pfr2 = OneRegister.systemRegister(try SysRegEncoding(op0: 3, op1: 0, crn: 0, crm: 4, op2: 2))
        func gcie(_ kernel: SimulatedKernel, withVGIC: Bool) throws -> UInt64 {
            let vm = try KVM.open(interface: .simulated(kernel)).createVM()
            if withVGIC { _ = try VGIC.createUninitialised(on: vm, version: .v5) }
            let vcpu = try vm.createVCPU(id: 0)
            try vcpu.initialize(try vm.preferredTarget())
            return try vcpu.get(pfr2) >> 12 & 0xF
        }
        #expect(try gcie(SimulatedKernel(host: .gicv5Linux7_1), withVGIC: false) == 1)
        #expect(try gcie(SimulatedKernel(host: .gicv5Linux7_1), withVGIC: true) == 1)
        #expect(try gcie(SimulatedKernel(host: .qemuMax), withVGIC: false) == 0)
    }

    @Test("before CTRL_INIT the mask is empty (a PPI is EINVAL) and an SPI is EBUSY; other groups are ENXIO")
    func beforeInit() throws {
        let machine = try Machine(SimulatedKernel(host: .gicv5Linux7_1))
        let gic = try VGIC.createUninitialised(on: machine.vm, version: .v5)
        #expect(kvmErrno { () throws(KVMError) in try machine.vm.setIRQLine(.gicv5PPI(.swPPI, vcpu: .zero), level: true) } == .EINVAL)
        #expect(kvmErrno { () throws(KVMError) in try machine.vm.setIRQLine(.gicv5SPI(id: 1), level: true) } == .EBUSY)
        let mask = try gic.withDevice { device throws(KVMError) in try device.get(.userspacePPIs) }
        #expect(mask == GICv5PPISet())
        #expect(kvmErrno { () throws(KVMError) in try gic.withDevice { device throws(KVMError) in try device.get(.nrIRQs) } } == .ENXIO)
        #expect(kvmErrno { () throws(KVMError) in try gic.withDevice { device throws(KVMError) in try device.set(.address(.v3Distributor), to: 0) } } == .ENXIO)
    }

    @Test("an IRS with SPIs (a later kernel): HAS(NR_IRQS) says so and an SPI reaches the IRS wire")
    func spis() throws {
        let host = SimulatedHost.gicv5(GICv5VMConfiguration(spiCount: 64))
        let machine = try Machine(SimulatedKernel(host: host))
        let gic = try VGIC.create(on: machine.vm, configuration: .v5, vcpus: machine.vcpus)
        let accepts = gic.acceptsGICv5SPIs
        #expect(accepts)
        try gic.setLevel(gicv5SPI: 5, true)
        #expect(machine.kernel.gicv5?.irs.spis[5].lineLevel == true)
        #expect(errno { () throws(VGICError) in try gic.setLevel(gicv5SPI: 64, true) } == .EINVAL)
    }

    @Test("a GICv5-only host has no vgic-v3")
    func noGICv3() throws {
        let machine = try Machine(SimulatedKernel(host: .gicv5Linux7_1))
        #expect(try !VGIC.isSupported(.v3, on: machine.vm))
        #expect(try VGIC.isSupported(.v5, on: machine.vm))
    }
}
