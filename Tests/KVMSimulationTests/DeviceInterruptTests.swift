import GICModel
import GICVocabulary
import KVM
import KVMSimulation
import Testing
import VGIC

/// The simulated kernel's irqfds, routing, MSIs and ITS registers, on the raw KVM layer: the
/// kernel's errnos and state changes (KVM.docc/InterruptRouting.md, GICVocabulary.docc/ITSRegisterMap.md).
@Suite("Simulated device interrupts")
struct SimulatedDeviceInterruptTests {
    static func kernelErrno(_ body: () throws(KVMError) -> Void) -> Errno? {
        do throws(KVMError) {
            try body()
            return nil
        } catch {
            return error.errno
        }
    }

    @Test("KVM_IRQFD: EAGAIN before CTRL_INIT, EBADF/EINVAL for what is no eventfd, EBUSY twice; a close detaches")
    func irqfdRules() throws {
        let m = try Machine()
        let trigger = try m.vm.createEventFD()
        let gsi = try GSI(3)
        #expect(Self.kernelErrno { () throws(KVMError) in try m.vm.assignIRQFD(trigger, gsi: gsi) } == .EAGAIN)
        let gic = try m.gicv3()
        let initialised = gic.isInitialised
        #expect(initialised)
        #expect(Self.kernelErrno { () throws(KVMError) in try m.vm.irqfd(unchecked: IRQFDRequest(fd: 999_999, gsi: 3)) } == .EBADF)
        let vmFD = m.vm.withRawDescriptor { $0 }
        #expect(Self.kernelErrno { () throws(KVMError) in try m.vm.irqfd(unchecked: IRQFDRequest(fd: vmFD, gsi: 3)) } == .EINVAL)
        #expect(Self.kernelErrno { () throws(KVMError) in try m.vm.irqfd(unchecked: IRQFDRequest(fd: vmFD, gsi: 3, flags: 8)) } == .EINVAL)
        try m.vm.assignIRQFD(trigger, gsi: gsi)
        #expect(Self.kernelErrno { () throws(KVMError) in try m.vm.assignIRQFD(trigger, gsi: try! GSI(4)) } == .EBUSY)
        try trigger.signal()
        #expect(m.kernel.gicv3?.interrupt(35, vcpu: 0).latch == true)
        #expect(try trigger.consume() == 0)
        do {
            let closing = try m.vm.createEventFD()
            try m.vm.assignIRQFD(closing, gsi: try GSI(5))
            #expect(m.kernel.vmsInOrder[0].irqfds.count == 2)
        }
        #expect(m.kernel.vmsInOrder[0].irqfds.count == 1)
    }

    @Test("an eventfd in two VMs: accepted on 6.12, EBUSY on 7.x", arguments: [KernelBehaviour.debian6_12, .linux7])
    func twoVMs(line: KernelBehaviour) throws {
        let kernel = SimulatedKernel(kernel: line)
        let first = try Machine(kernel)
        let second = try Machine(kernel)
        _ = try first.gicv3()
        _ = try second.gicv3()
        let trigger = try first.vm.createEventFD()
        try first.vm.assignIRQFD(trigger, gsi: try GSI(0))
        let answer = Self.kernelErrno { () throws(KVMError) in try second.vm.assignIRQFD(trigger, gsi: try! GSI(0)) }
        #expect(answer == (line.irqfdEventFDExclusiveAcrossVMs ? .EBUSY : nil))
    }

    @Test("routing set before CTRL_INIT is replaced by the default table; a table with a broken rule is EINVAL")
    func routing() throws {
        let m = try Machine()
        try m.vm.setGSIRouting(GSIRoutingTable([GSIRoute(gsi: 0, kind: .irqchip(chip: 0, pin: 9))]))
        #expect(m.kernel.vmsInOrder[0].routing.routes.count == 1)
        _ = try m.gicv3()
        #expect(m.kernel.vmsInOrder[0].routing == GSIRoutingTable.kernelDefault(spiCount: 96))
        let broken = GSIRoutingTable([GSIRoute(gsi: 0, kind: .irqchip(chip: 0, pin: 988))])
        #expect(Self.kernelErrno { () throws(KVMError) in try m.vm.setGSIRouting(unchecked: broken) } == .EINVAL)
        #expect(Self.kernelErrno { () throws(KVMError) in try m.vm.setGSIRouting(unchecked: GSIRoutingTable(), flags: 1) } == .EINVAL)
    }

    @Test("KVM_SIGNAL_MSI: EINVAL without a vgic, ENODEV without an ITS; MSI_DEVID per VM")
    func msi() throws {
        let m = try Machine()
        let message = MSIMessage(address: 0x0808_0000 + 0x1_0040, data: 0, deviceID: 0)
        #expect(Self.kernelErrno { () throws(KVMError) in _ = try m.vm.signalMSI(message) } == .EINVAL)
        #expect(try m.vm.checkExtension(.msiDeviceID) == 0)
        #expect(Self.kernelErrno { () throws(KVMError) in _ = try m.kvm.checkExtension(.msiDeviceID) } == .EINVAL)
        var gic = try m.gicv3()
        #expect(Self.kernelErrno { () throws(KVMError) in _ = try m.vm.signalMSI(message) } == .ENODEV)
        try gic.addITS(base: 0x0808_0000)
        #expect(try m.vm.checkExtension(.msiDeviceID) == 1)
        #expect(Self.kernelErrno { () throws(KVMError) in _ = try m.vm.signalMSI(message) } == .EBUSY)
        #expect(Self.kernelErrno { () throws(KVMError) in _ = try m.vm.signalMSI(MSIMessage(address: message.address, data: 0)) } == .EINVAL)
    }

    @Test("ITS_REGS: EINVAL misaligned before all else, ENXIO for holes and an unplaced ITS, ENODEV for another address type")
    func itsAttribute() throws {
        let m = try Machine()
        _ = try m.gicv3()
        let its = try m.vm.createDevice(.vgicITS)
        #expect(Self.kernelErrno { () throws(KVMError) in _ = try its.get(.itsRegister(offset: 0)) } == .ENXIO)
        #expect(try its.has(.itsRegister(offset: 0)))
        #expect(Self.kernelErrno { () throws(KVMError) in _ = try its.get(.itsRegister(offset: 0xC)) } == .EINVAL)
        #expect(Self.kernelErrno { () throws(KVMError) in try its.set(.address(.v3Distributor), to: 0) } == .ENODEV)
        try its.set(.address(.its), to: 0x0808_0000)
        #expect(try its.get(.itsRegister(offset: 0)) == 0x8000_0000)
        #expect(Self.kernelErrno { () throws(KVMError) in _ = try its.get(.itsRegister(offset: 0x18)) } == .ENXIO)
        #expect(try its.get(.itsRegister(offset: 0x100)) == ITSRegister.gitsBASER.reset[0])
    }
}
