import GICModel
import GICVocabulary
import KVM
import KVMSimulation
import Testing
import VGIC

/// A VMM wiring devices through the vgic, on the simulated kernel: the exact ioctl sequence of
/// `connectIRQFD` and `connectMSI`, what an eventfd write does to the model, and the refusals
/// made before any ioctl (VGIC.docc/ITS.md, KVM.docc/InterruptRouting.md).
@Suite("Wiring device interrupts")
struct DeviceInterruptWiringTests {
    static let itsBase: UInt64 = 0x0808_0000

    static func fixture(its: Bool = true, count: UInt32 = 128) throws -> VGICFixture {
        try VGICFixture(SimulatedKernel(kernel: .linux7), vcpus: 2, gic: .created(try v3Layout(its: its ? itsBase : nil, count: count)))
    }

    static func kernel(_ fixture: VGICFixture) -> SimulatedKernel { fixture.sim as! SimulatedKernel }

    @Test("an edge line: the default table with one entry replaced, then KVM_IRQFD; a signal makes the SPI pending")
    func edgeLine() throws {
        let f = try Self.fixture()
        let spi = try SPI(intid: 40)
        let line = try f.vgic.connectIRQFD(spi, gsi: try GSI(100), level: false)
        let kernel = Self.kernel(f)
        #expect(kernel.calls.map(\.attempt.request) == [.getDeviceAttr, .setGSIRouting, .eventfd, .irqfd])
        guard case .routing(let table, flags: 0)? = kernel.calls(.setGSIRouting).first?.payload else {
            Issue.record("no routing table sent")
            return
        }
        #expect(table.routes.count == 97)  // 96 SPIs' default routes and GSI 100
        #expect(table.routes.last == GSIRoute.spi(spi, gsi: try GSI(100)))
        #expect(table == f.vgic.routingTable)
        let isLevel = line.isLevel
        #expect(!isLevel)
        #expect(kernel.gicv3?.interrupt(40, vcpu: 0).latch == false)
        try line.assert()
        #expect(kernel.gicv3?.interrupt(40, vcpu: 0).latch == true)
        // The irqfd took the eventfd's count.
        #expect(try line.trigger.consume() == 0)
        #expect(try line.takeAcknowledgements() == 0)
    }

    @Test("a level line gets a resample eventfd and raises the line")
    func levelLine() throws {
        let f = try Self.fixture()
        try f.vgic.setDistributorRegister(.gicdICFGR, index: 2, to: 0)  // SPIs 32…47 level
        let line = try f.vgic.connectIRQFD(try SPI(intid: 41), level: true)
        let kernel = Self.kernel(f)
        let resample = try #require(line.resample?.withRawDescriptor { $0 })
        #expect(kernel.calls(.irqfd).map(\.payload) == [
            .irqfd(IRQFDRequest(fd: line.trigger.withRawDescriptor { $0 }, gsi: 9, flags: IRQFDRequest.resample, resampleFD: resample))
        ])
        try line.assert()
        #expect(kernel.gicv3?.interrupt(41, vcpu: 0).line == true)
        let isLevel = line.isLevel
        #expect(isLevel)
    }

    @Test("closing a line's eventfd detaches its irqfd; disconnect deassigns")
    func detach() throws {
        let f = try Self.fixture()
        let kernel = Self.kernel(f)
        do {
            let held = try f.vgic.connectIRQFD(try SPI(intid: 42), level: false)
            #expect(kernel.vmsInOrder.last?.irqfds.count == 1)
            _ = held.gsi
        }
        #expect(kernel.vmsInOrder.last?.irqfds.isEmpty == true)
        let line = try f.vgic.connectIRQFD(try SPI(intid: 43), level: false)
        try f.vgic.disconnect(line)
        #expect(kernel.calls(.irqfd).last?.payload.map { if case .irqfd(let r) = $0 { r.flags } else { 0 } } == IRQFDRequest.deassign)
        #expect(kernel.vmsInOrder.last?.irqfds.isEmpty == true)
    }

    @Test("refused before any ioctl: an uninitialised vgic, a GICv5, an SPI beyond NR_IRQS, a GSI or SPI in use")
    func refusals() throws {
        let uninitialised = try VGICFixture(SimulatedKernel(), vcpus: 1, gic: .uninitialised(.v3))
        #expect(throws: VGICError.configuration(.initialiseFirst(.v3))) {
            _ = try uninitialised.vgic.connectIRQFD(try SPI(intid: 40), level: false)
        }
        #expect(uninitialised.sim.calls.isEmpty)
        let f = try Self.fixture(count: 64)
        #expect(throws: VGICError.configuration(.spiBeyondInterruptCount(try SPI(intid: 64), count: 64))) {
            _ = try f.vgic.connectIRQFD(try SPI(intid: 64), level: false)
        }
        let held = try f.vgic.connectIRQFD(try SPI(intid: 33), level: false)
        #expect(throws: VGICError.configuration(.gsiInUse(held.gsi))) {
            _ = try f.vgic.connectIRQFD(try SPI(intid: 34), gsi: held.gsi, level: false)
        }
        #expect(throws: VGICError.configuration(.spiInUse(held.spi, gsi: held.gsi))) {
            _ = try f.vgic.connectIRQFD(held.spi, gsi: try GSI(50), level: true)
        }
        let noITS = try Self.fixture(its: false)
        #expect(throws: VGICError.configuration(.noITS)) { _ = try noITS.vgic.connectMSI(deviceID: 1, eventID: 0, gsi: try GSI(200)) }
    }

    @Test("an MSI line routes its GSI to the ITS doorbell with the device id")
    func msiLine() throws {
        let f = try Self.fixture()
        let line = try f.vgic.connectMSI(deviceID: 7, eventID: 3, gsi: try GSI(200))
        let message = MSIMessage(address: Self.itsBase + 0x1_0040, data: 3, deviceID: 7)
        #expect(line.message == message)
        #expect(f.vgic.routingTable?.routes.last == GSIRoute.msi(gsi: try GSI(200), message))
        try line.signal()  // no translation in the simulated ITS: nothing becomes pending
    }

    @Test("KVM_SIGNAL_MSI through the vgic: EBUSY while the ITS is disabled, blocked once enabled without mappings")
    func signalMSI() throws {
        let f = try Self.fixture()
        #expect(throws: VGICError.self) { _ = try f.vgic.signalMSI(deviceID: 1, eventID: 0) }
        do { _ = try f.vgic.signalMSI(deviceID: 1, eventID: 0) } catch {
            if case .lpisDisabled(let e) = error { #expect(e.errno == .EBUSY) } else { Issue.record("got \(error)") }
        }
        try f.vgic.setITSRegister(.gitsCBASER, to: ITSRegister.validBit | 0x4000_0000)
        try f.vgic.setITSRegister(.gitsBASER, index: 0, to: ITSRegister.validBit | 0x4001_0000)
        try f.vgic.setITSRegister(.gitsBASER, index: 1, to: ITSRegister.validBit | 0x4002_0000)
        try f.vgic.setITSRegister(.gitsCTLR, to: 1)
        #expect(try f.vgic.itsRegister(.gitsCTLR) == 0x8000_0001)
        #expect(try f.vgic.signalMSI(deviceID: 1, eventID: 0) == .blocked)
        let noITS = try Self.fixture(its: false)
        #expect(throws: VGICError.configuration(.noITS)) { _ = try noITS.vgic.signalMSI(deviceID: 1, eventID: 0) }
    }
}

/// The ITS as a handle: registers by name with the kernel's rules, reset, table operations; and
/// the redistributors' LPI registers by affinity.
@Suite("The ITS and LPI registers")
struct ITSRegisterTests {
    @Test("every register reads its table reset value on a fresh ITS")
    func resetValues() throws {
        let f = try DeviceInterruptWiringTests.fixture()
        for register in ITSRegister.all {
            for index in 0..<register.count {
                #expect(try f.vgic.itsRegister(register, index: index) == register.reset[Int(index)], "\(register)[\(index)]")
            }
        }
    }

    @Test("read-only fields stay, CBASER and BASER are sanitised, CBASER resets the queue, CTRL_RESET clears Valid")
    func rules() throws {
        let f = try DeviceInterruptWiringTests.fixture()
        try f.vgic.setITSRegister(.gitsTYPER, to: 0)
        #expect(try f.vgic.itsRegister(.gitsTYPER) == ITSRegister.gitsTYPER.reset[0])
        // Outer Shareable → Inner; inner nC → RaWb; bits 15:12 cleared.
        try f.vgic.setITSRegister(.gitsCBASER, to: ITSRegister.validBit | 1 << 59 | 0x4000_F000 | 2 << 10 | 3)
        #expect(try f.vgic.itsRegister(.gitsCBASER) == ITSRegister.validBit | 3 << 59 | 0x4000_0000 | 1 << 10 | 3)
        try f.vgic.setITSRegister(.gitsCWRITER, to: 0x3FE7)  // 16 KiB queue: offset 0x3FE0 kept
        #expect(try f.vgic.itsRegister(.gitsCWRITER) == 0x3FE0)
        try f.vgic.setITSRegister(.gitsCWRITER, to: 0x4000)  // at the queue's end: ignored
        #expect(try f.vgic.itsRegister(.gitsCWRITER) == 0x3FE0)
        try f.vgic.setITSRegister(.gitsCBASER, to: 0)
        #expect(try f.vgic.itsRegister(.gitsCWRITER) == 0)
        // BASER1: Type, Entry_Size, page size and Indirect are the kernel's.
        try f.vgic.setITSRegister(.gitsBASER, index: 1, to: UInt64.max)
        let baser1 = try f.vgic.itsRegister(.gitsBASER, index: 1)
        #expect(baser1 >> 56 & 7 == 4 && baser1 >> 48 & 0x1F == 7 && baser1 >> 8 & 3 == 2 && baser1 >> 62 & 1 == 0)
        #expect(baser1 & ITSRegister.validBit != 0)
        try f.vgic.setITSRegister(.gitsBASER, index: 5, to: UInt64.max)
        #expect(try f.vgic.itsRegister(.gitsBASER, index: 5) == 0)
        try f.vgic.resetITS()
        #expect(try f.vgic.itsRegister(.gitsBASER, index: 1) == baser1 & ~ITSRegister.validBit)
    }

    @Test("the two userspace write hooks: IIDR's revision, CREADR's range and EBUSY while enabled")
    func writeHooks() throws {
        let f = try DeviceInterruptWiringTests.fixture()
        #expect(throws: VGICError.self) { try f.vgic.setITSRegister(.gitsIIDR, to: 1 << 12) }
        do { try f.vgic.setITSRegister(.gitsIIDR, to: 1 << 12) } catch {
            if case .itsValueRejected(let register, let e) = error { #expect(register == .gitsIIDR && e.errno == .EINVAL) } else { Issue.record("\(error)") }
        }
        try f.vgic.setITSRegister(.gitsIIDR, to: 0)
        do { try f.vgic.setITSRegister(.gitsCREADR, to: 0x1000) } catch {
            if case .itsValueRejected(.gitsCREADR, _) = error {} else { Issue.record("\(error)") }
        }
        try f.vgic.setITSRegister(.gitsCREADR, to: 0x20)
        #expect(try f.vgic.itsRegister(.gitsCREADR) == 0x20)
        #expect(try f.vgic.itsRegister(.gitsCTLR) == 0)  // CREADR ≠ CWRITER: not quiescent
        try f.vgic.setITSRegister(.gitsCBASER, to: ITSRegister.validBit)
        try f.vgic.setITSRegister(.gitsBASER, index: 0, to: ITSRegister.validBit)
        try f.vgic.setITSRegister(.gitsBASER, index: 1, to: ITSRegister.validBit)
        try f.vgic.setITSRegister(.gitsCTLR, to: 1)
        do { try f.vgic.setITSRegister(.gitsCREADR, to: 0) } catch {
            if case .itsEnabled(let e) = error { #expect(e.errno == .EBUSY) } else { Issue.record("\(error)") }
        }
        #expect(throws: VGICError.configuration(.itsValueTooWide(.gitsCTLR, value: 1 << 32))) { try f.vgic.setITSRegister(.gitsCTLR, to: 1 << 32) }
        #expect(throws: VGICError.configuration(.itsRegisterIndex(.gitsBASER, index: 8, count: 8))) { _ = try f.vgic.itsRegister(.gitsBASER, index: 8) }
    }

    @Test("a Valid table outside guest RAM fails the save with EFAULT (.guestMemory)")
    func tablesOutsideRAM() throws {
        let f = try DeviceInterruptWiringTests.fixture()
        try f.vgic.saveITSTables()
        try f.vgic.setITSRegister(.gitsBASER, index: 1, to: ITSRegister.validBit | 0x4000_0000)
        do { try f.vgic.saveITSTables() } catch {
            if case .guestMemory(let e) = error { #expect(e.errno == .EFAULT) } else { Issue.record("\(error)") }
        }
    }

    @Test("GICR_PROPBASER is one register for the VM (0x580 with an ITS), PENDBASER one per vCPU, by affinity")
    func lpiRegisters() throws {
        let f = try DeviceInterruptWiringTests.fixture()
        let (first, second) = (f.vcpus[0], f.vcpus[1])
        #expect(try f.vgic.lpiPropertyBase(of: first) == 0x580)
        try f.vgic.setLPIPropertyBase(0x4010_0000 | 0x780 | 13, of: second)
        #expect(try f.vgic.lpiPropertyBase(of: first) == 0x4010_0000 | 0x780 | 13)
        try f.vgic.setLPIPendingBase(0x4020_0000, of: second)
        #expect(try f.vgic.lpiPendingBase(of: second) != f.vgic.lpiPendingBase(of: first))
        #expect(try !f.vgic.lpisEnabled(on: first))
        try f.vgic.setLPIsEnabled(true, on: first)
        #expect(try f.vgic.lpisEnabled(on: first))
        #expect(try !f.vgic.lpisEnabled(on: second))
        try f.vgic.savePendingTables()
    }
}
