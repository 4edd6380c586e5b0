import GICModel
import GICVocabulary
import KVM
import KVMSimulation
import Testing
import VGIC

/// The vgic-v3 before CTRL_INIT: NR_IRQS, the frame addresses, CTRL_INIT and the vCPUs, each
/// refusal with the errno the kernel gives (`GICv3Setup`).
@Suite("Simulated vgic-v3 setup")
struct GICv3SetupTests {
    @Test("VGIC.create runs to CTRL_INIT and the kernel's model holds the VM's vCPUs, NR_IRQS and layout")
    func create() throws {
        let machine = try Machine(vcpuIDs: [0, 1, 2])
        let gic = try machine.gicv3()
        let model = try #require(machine.kernel.gicv3)
        #expect(model.interruptCount == 128)
        #expect(model.configuration.vcpuAffinities == (0..<3).map { Affinity.kvmResetDefault(vcpuID: $0) })
        #expect(model.configuration.kernel == .linux7)
        #expect(!model.configuration.hasITS)
        // What the VMM reads comes from that model.
        #expect(try gic.distributorRegister(.gicdTYPER) == UInt64(model.readDistributor(offset: 0x4)))
        #expect(try gic.interruptCount() == 128)
    }

    @Test("NR_IRQS: EINVAL outside 64...1023 or off a multiple of 32, EBUSY once set", arguments: [
        (UInt32(32), Errno.EINVAL), (1024, .EINVAL), (100, .EINVAL), (96, nil),
    ] as [(UInt32, Errno?)])
    func interruptCount(count: UInt32, expected: Errno?) throws {
        let machine = try Machine()
        let gic = try VGIC.createUninitialised(on: machine.vm, version: .v3)
        #expect(errno { () throws(VGICError) in try gic.setInterruptCount(count) } == expected)
        if expected == nil {
            #expect(errno { () throws(VGICError) in try gic.setInterruptCount(128) } == .EBUSY)
            #expect(try gic.interruptCount() == count)
        } else {
            #expect(try gic.interruptCount() == 32, "nr_spis 0 until set: 32 private INTIDs")
        }
    }

    @Test("addresses: EEXIST twice, EINVAL off 64 KiB, E2BIG beyond the IPA space, ENXIO of a GICv2 type")
    func addresses() throws {
        let machine = try Machine()
        let gic = try VGIC.createUninitialised(on: machine.vm, version: .v3)
        #expect(errno { () throws(VGICError) in try gic.setDistributorBase(0x1000) } == .EINVAL)
        #expect(errno { () throws(VGICError) in try gic.setDistributorBase(1 << 40) } == .E2BIG)
        #expect(errno { () throws(VGICError) in try gic.setAddress(.v2Distributor, 0) } == .ENXIO)
        try gic.setDistributorBase(0x0800_0000)
        #expect(errno { () throws(VGICError) in try gic.setDistributorBase(0x0900_0000) } == .EEXIST)
        #expect(try gic.address(.v3Distributor) == 0x0800_0000)
        #expect(try gic.address(.v3Redistributor) == UInt64.max, "VGIC_ADDR_UNDEF until set")
        try gic.setRedistributorBase(0x080A_0000)
        #expect(errno { () throws(VGICError) in try gic.setRedistributorBase(0x0810_0000) } == .EEXIST)
        let region = try RedistributorRegion(count: 1, base: 0x0900_0000, index: 1)
        #expect(errno { () throws(VGICError) in try gic.addRedistributorRegion(region) } == .EINVAL,
            "regions after a legacy block mix the layouts")
    }

    @Test("redistributor regions: index order, no overlap, ENOENT past the last on read")
    func regions() throws {
        let machine = try Machine()
        let gic = try VGIC.createUninitialised(on: machine.vm, version: .v3)
        try gic.setDistributorBase(0x0800_0000)
        let first = try RedistributorRegion(count: 2, base: 0x0900_0000, index: 0)
        #expect(errno { () throws(VGICError) in try gic.addRedistributorRegion(try! RedistributorRegion(count: 1, base: 0x0A00_0000, index: 1)) } == .EINVAL)
        try gic.addRedistributorRegion(first)
        #expect(errno { () throws(VGICError) in try gic.addRedistributorRegion(try! RedistributorRegion(count: 1, base: 0x0902_0000, index: 1)) } == .EINVAL,
            "overlaps region 0's second redistributor")
        #expect(errno { () throws(VGICError) in try gic.addRedistributorRegion(try! RedistributorRegion(count: 1, base: 0x0800_0000, index: 1)) } == .EINVAL,
            "collides with the distributor")
        #expect(try gic.redistributorRegion(index: 0) == first)
        #expect(errno { () throws(VGICError) in try gic.redistributorRegion(index: 1) } == .ENOENT)
    }

    @Test("CTRL_INIT fixes the vCPUs: KVM_CREATE_VCPU is then EBUSY; an id twice is EEXIST, one past the limit EINVAL")
    func vcpuCreation() throws {
        let machine = try Machine(vcpuIDs: [0])
        #expect(kvmErrno { () throws(KVMError) in try machine.vm.createVCPU(id: 0) } == .EEXIST)
        #expect(kvmErrno { () throws(KVMError) in try machine.vm.createVCPU(id: 512) } == .EINVAL)
        _ = try machine.gicv3()
        #expect(kvmErrno { () throws(KVMError) in try machine.vm.createVCPU(id: 1) } == .EBUSY)
        #expect(machine.kernel.vmsInOrder.first?.vcpus.map(\.id) == [0])
    }

    @Test("register groups before CTRL_INIT are EBUSY (a selector naming no vCPU is EINVAL first); HAS needs no init")
    func registersBeforeInit() throws {
        let machine = try Machine()
        let gic = try VGIC.createUninitialised(on: machine.vm, version: .v3)
        #expect(errno { () throws(VGICError) in try gic.distributorRegister(.gicdCTLR) } == .EBUSY)
        #expect(errno { () throws(VGICError) in try gic.redistributorRegister(.gicrCTLR, of: machine.vcpus[1]) } == .EBUSY)
        let nobody = VCPUIdentity(id: 9, affinity: Affinity(aff1: 3, aff0: 1))
        #expect(errno { () throws(VGICError) in try gic.redistributorRegister(.gicrCTLR, of: nobody) } == .EINVAL)
        let ctlr = try RegisterAttr(affinity: Affinity(aff0: 0), offset: 0)
        let has = try gic.withDevice { device throws(KVMError) in try device.has(.distributorRegister(ctlr)) }
        #expect(has)
    }

    @Test("GICR_TYPER.Last: none before any redistributor address, then by the regions added after CTRL_INIT")
    func lastAfterInitialisation() throws {
        let machine = try Machine(vcpuIDs: [0, 3, 1, 2])
        var gic = try VGIC.createUninitialised(on: machine.vm, version: .v3)
        try gic.initialise()
        func typer(_ position: Int) throws -> UInt64 {
            try gic.redistributorRegister(.gicrTYPER, of: machine.vcpus[position]) & 0xFFFF_FFFF
        }
        #expect(try (0..<4).map(typer) == [0x000, 0x300, 0x100, 0x200], "no redistributor placed: no Last")
        try gic.addRedistributorRegion(try RedistributorRegion(count: 2, base: 0x20_0000, index: 0))
        #expect(try (0..<4).map(typer) == [0x000, 0x310, 0x100, 0x200], "vCPUs 0 and 3 (created first) fill region 0")
        try gic.addRedistributorRegion(try RedistributorRegion(count: 10, base: 0x2_0000, index: 1))
        #expect(try (0..<4).map(typer) == [0x000, 0x310, 0x100, 0x210], "vCPU 2 is the last used slot of region 1")
    }

    @Test("GICD_TYPER2 and GICD_IIDR before CTRL_INIT: EBUSY on 6.12; on 7.x read and written, the revision kept", arguments: KernelBehaviour.allCases)
    func identificationBeforeInit(line: KernelBehaviour) throws {
        let machine = try Machine(SimulatedKernel(kernel: line))
        var gic = try VGIC.createUninitialised(on: machine.vm, version: .v3)
        guard line == .linux7 else {
            #expect(errno { () throws(VGICError) in try gic.distributorRegister(.gicdTYPER2) } == .EBUSY)
            #expect(errno { () throws(VGICError) in try gic.setDistributorRegister(.gicdIIDR, to: 0x4B00_243B) } == .EBUSY)
            return
        }
        #expect(try gic.distributorRegister(.gicdTYPER2) == 0)
        try gic.setDistributorRegister(.gicdTYPER2, to: 0)
        #expect(errno { () throws(VGICError) in try gic.setDistributorRegister(.gicdTYPER2, to: 1 << 8) } == .EINVAL)
        #expect(errno { () throws(VGICError) in try gic.distributorRegister(.gicdCTLR) } == .EBUSY)
        try gic.setDistributorRegister(.gicdIIDR, to: 0x4B00_243B)
        try gic.setRedistributorBase(0x080A_0000)
        try gic.setDistributorBase(0x0800_0000)
        try gic.initialise()
        #expect(try gic.distributorRegister(.gicdIIDR) == 0x4B00_243B)
        #expect(try gic.redistributorRegister(.gicrCTLR, of: machine.vcpus[0]) == 0, "revision 2: no IR, no CES")
    }

    @Test("DIST_REGS acts as the first vCPU: on a VM without vCPUs it is EINVAL, before the init check")
    func distributorWithoutVCPUs() throws {
        let machine = try Machine(vcpuIDs: [])
        let gic = try VGIC.createUninitialised(on: machine.vm, version: .v3)
        #expect(errno { () throws(VGICError) in try gic.distributorRegister(.gicdTYPER2) } == .EINVAL)
        #expect(errno { () throws(VGICError) in try gic.distributorRegister(.gicdCTLR) } == .EINVAL)
    }

    @Test("one vgic per VM: a second vgic-v3 (or a vgic-v5) is EEXIST or ENODEV; CREATE_DEVICE_TEST creates nothing")
    func oneVGIC() throws {
        let machine = try Machine()
        #expect(try VGIC.isSupported(.v3, on: machine.vm))
        #expect(try !VGIC.isSupported(.v5, on: machine.vm))
        #expect(try !VGIC.isSupported(.v2, on: machine.vm), "QEMU's max CPU has no GICv2 compatibility")
        #expect(machine.kernel.devices.isEmpty)
        _ = try machine.gicv3()
        #expect(errno { () throws(VGICError) in try VGIC.createUninitialised(on: machine.vm, version: .v3) } == .EEXIST)
        #expect(errno { () throws(VGICError) in try VGIC.createUninitialised(on: machine.vm, version: .v5) } == .ENODEV)
    }

    @Test("an ITS created before CTRL_INIT shows in GICD_TYPER (LPIS) and GICR_TYPER (PLPIS); its address follows the frame rules")
    func its() throws {
        let machine = try Machine()
        let layout = VGICConfiguration.v3(
            distributor: 0x0800_0000, redistributors: .legacy(base: 0x080A_0000), its: 0x0808_0000)
        let gic = try machine.gicv3(layout)
        let hasITS = gic.hasITS
        #expect(hasITS)
        #expect(machine.kernel.gicv3?.configuration.hasITS == true)
        #expect(try gic.distributorRegister(.gicdTYPER) & (1 << 17) != 0)
        #expect(try gic.redistributorRegister(.gicrTYPER, of: machine.vcpus[0]) & 1 == 1)
        let its = try #require(machine.kernel.vmsInOrder.first?.its.values.first)
        #expect(its.base == 0x0808_0000 && its.isInitialised)
        let second = try machine.vm.createDevice(.vgicITS)
        #expect(kvmErrno { () throws(KVMError) in try second.set(.address(.its), to: 0x0808_1000) } == .EINVAL)
        try second.set(.address(.its), to: 0x0820_0000)
        #expect(kvmErrno { () throws(KVMError) in try second.set(.address(.its), to: 0x0840_0000) } == .EEXIST)
        #expect(try second.get(.address(.its)) == 0x0820_0000)
    }

    @Test("the model's ADDR types are the uAPI's")
    func addressTypes() {
        #expect(GICv3Setup.AddressType.distributor.rawValue == AddressType.v3Distributor.rawValue)
        #expect(GICv3Setup.AddressType.redistributor.rawValue == AddressType.v3Redistributor.rawValue)
        #expect(GICv3Setup.AddressType.redistributorRegion.rawValue == AddressType.v3RedistributorRegion.rawValue)
    }
}
