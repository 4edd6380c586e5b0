import GICModel
import GICVocabulary
import KVM
import KVMSimulation
import Testing
import VGIC

/// After CTRL_INIT every register access is the model's, through the uAPI's bytes: the value
/// the VMM reads, the refusal it gets, the kernel line's differences.
@Suite("Simulated vgic-v3 registers")
struct GICv3RegisterTests {
    @Test("a write lands in the kernel's model and reads back as the model says (priority keeps 5 bits)")
    func writeThenRead() throws {
        let machine = try Machine()
        let gic = try machine.gicv3()
        try gic.setDistributorRegister(.gicdIPRIORITYR, index: 10, to: 0xFFFF_FFFF)
        #expect(machine.kernel.gicv3?.interrupt(40, vcpu: 0).priority == 0xF8)
        #expect(try gic.distributorRegister(.gicdIPRIORITYR, index: 10) == 0xF8F8_F8F8)
        try gic.setSystemRegister(ICCRegister.iccPMR, of: machine.vcpus[1], to: 0xA0)
        #expect(machine.kernel.gicv3?.redistributors[1].cpuInterface.pmr == 0xA0)
    }

    @Test("GICD_TYPER2 changed after CTRL_INIT: EINVAL on Debian 6.12, EBUSY on Linux 7.x", arguments: KernelBehaviour.allCases)
    func kernelLine(line: KernelBehaviour) throws {
        let machine = try Machine(SimulatedKernel(kernel: line))
        let gic = try machine.gicv3()
        let errno = errno { () throws(VGICError) in try gic.setDistributorRegister(.gicdTYPER2, to: 1 << 8) }
        #expect(errno?.rawValue == line.typer2ChangeErrno.rawValue)
        #expect(errno == (line == .debian6_12 ? .EINVAL : .EBUSY))
        try gic.setDistributorRegister(.gicdTYPER2, to: 0)
    }

    @Test("GICR_PROPBASER resets to 0 and a write of that 0 reads 0x180: why restore writes it only when it differs")
    func propbaserResetIsNotSanitised() throws {
        let machine = try Machine()
        let gic = try machine.gicv3()
        let vcpu = machine.vcpus[0]
        #expect(try gic.redistributorRegister(.gicrPROPBASER, of: vcpu) == 0)
        try gic.setRedistributorRegister(.gicrPROPBASER, of: vcpu, to: 0)
        #expect(try gic.redistributorRegister(.gicrPROPBASER, of: vcpu) == 0x180, "inner nCnB becomes RaWb")
        // PENDBASER's reset value, INITIAL_PENDBASER_VALUE, is already what sanitising makes of it.
        #expect(try gic.redistributorRegister(.gicrPENDBASER, of: vcpu) == 0x580)
        try gic.setRedistributorRegister(.gicrPENDBASER, of: vcpu, to: 0x580)
        #expect(try gic.redistributorRegister(.gicrPENDBASER, of: vcpu) == 0x580)
    }

    @Test("the host's CPU interface is what ICC_CTLR_EL1 reports, and decides the APRs")
    func host() throws {
        let host = HostCPUInterface(priorityBits: 7, idBits: 0, seis: true, a3v: false)
        let machine = try Machine(SimulatedKernel(host: .gicv3(host)))
        let gic = try machine.gicv3()
        #expect(HostCPUInterface(iccCTLR: try gic.systemRegister(ICCRegister.iccCTLR, of: machine.vcpus[0])) == host)
        _ = try gic.systemRegister(ICCRegister.iccAP1R3, of: machine.vcpus[0])
        let qemu = try Machine()
        let narrow = try qemu.gicv3()
        #expect(errno { () throws(VGICError) in try narrow.systemRegister(ICCRegister.iccAP1R3, of: qemu.vcpus[0]) } == .EINVAL)
    }

    @Test("a vCPU in KVM_RUN makes every register access EBUSY, and nothing changes")
    func vcpuRunning() throws {
        let machine = try Machine()
        let gic = try machine.gicv3()
        let before = machine.kernel.gicv3
        machine.kernel.vcpuInKVMRun = true
        #expect(errno { () throws(VGICError) in try gic.setDistributorRegister(.gicdCTLR, to: 2) } == .EBUSY)
        #expect(errno { () throws(VGICError) in try gic.systemRegister(ICCRegister.iccPMR, of: machine.vcpus[0]) } == .EBUSY)
        #expect(machine.kernel.gicv3 == before)
        machine.kernel.vcpuInKVMRun = false
        try gic.setDistributorRegister(.gicdCTLR, to: 2)
        #expect(machine.kernel.gicv3?.distributor.enabled == true)
    }

    @Test("a VMM that sets MPIDR_EL1 itself: the vgic selects that vCPU by the new affinity")
    func ownMPIDR() throws {
        let kernel = SimulatedKernel()
        let kvm = try KVM.open(interface: .simulated(kernel))
        let vm = try kvm.createVM()
        let vcpu = try vm.createVCPU(id: 0)
        #expect(try vcpu.mpidr() == Affinity.kvmResetDefaultMPIDR(vcpuID: 0))
        try vcpu.set(.mpidr, to: 1 << 31 | 0x0102_03)
        let identity = try VCPUIdentity(reading: vcpu)
        #expect(identity.affinity == Affinity(aff2: 1, aff1: 2, aff0: 3))
        let gic = try VGIC.create(on: vm, configuration: Machine.layout, vcpus: [identity])
        #expect(try gic.redistributorRegister(.gicrTYPER, of: identity) >> 32 == 0x01_0203)
        #expect(kernel.gicv3?.configuration.vcpuAffinities == [identity.affinity])
    }

    @Test("sparse vCPU ids: GICR_TYPER reports each vCPU's own id")
    func sparseIDs() throws {
        let machine = try Machine(vcpuIDs: [0, 5, 10])
        let gic = try machine.gicv3()
        for vcpu in machine.vcpus {
            #expect(try gic.redistributorRegister(.gicrTYPER, of: vcpu) >> 8 & 0xFFFF == UInt64(vcpu.id))
        }
    }
}
