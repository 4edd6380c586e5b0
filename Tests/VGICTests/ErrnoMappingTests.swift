import GICVocabulary
import KVM
import Testing
import VGIC

/// Kernel refusals become the `VGICError` case that the errno means for that operation (the table in
/// VGIC.docc/DeviceLifecycle.md), and every case keeps the `KVMError`.
@Suite("errno → VGICError")
struct ErrnoMappingTests {
    @Test("KVM_CREATE_DEVICE", arguments: [
        (Errno.ENODEV, "unsupported"), (.EEXIST, "exists"), (.E2BIG, "tooMany"), (.EBUSY, "running"), (.ENOMEM, "kernel"),
    ])
    func create(errno: Errno, expected: String) throws {
        let f = try VMFixture(vcpus: 0)
        f.sim.failures = [(.createDevice, nil, errno)]
        do {
            _ = try VGIC.createUninitialised(on: f.vm, version: .v3)
            Issue.record("expected a refusal")
        } catch {
            let kvmError = KVMError.kernel(errno, Attempt(.createDevice, argument: UInt64(DeviceType.vgicV3.rawValue)))
            let want: VGICError = switch expected {
            case "unsupported": .unsupportedByHost(.v3, kvmError)
            case "exists": .alreadyExists(kvmError)
            case "tooMany": .tooManyVCPUs(kvmError)
            case "running": .vcpusRunning(kvmError)
            default: .kernel(kvmError)
            }
            #expect(error == want)
            #expect(error.errno == errno)
        }
    }

    @Test("GRP_ADDR", arguments: [
        (Errno.E2BIG, VGICError.AddressRefusal.beyondIPA), (.EEXIST, .alreadySet), (.EINVAL, .rejected),
        (.ENXIO, .wrongModel), (.ENOENT, .noSuchRegion),
    ])
    func address(errno: Errno, refusal: VGICError.AddressRefusal) throws {
        let f = try VGICFixture(vcpus: 0, gic: .uninitialised(.v3))
        f.sim.failures = [(.setDeviceAttr, .address, errno)]
        do {
            try f.vgic.setDistributorBase(0x1000)
            Issue.record("expected a refusal")
        } catch {
            guard case .address(let type, let got, let kvmError) = error else {
                Issue.record("got \(error)")
                return
            }
            #expect(type == .v3Distributor && got == refusal && kvmError.errno == errno)
            #expect(kvmError.attempt.attribute?.attr == AddressType.v3Distributor.rawValue)
        }
        f.sim.failures = [(.setDeviceAttr, .address, .EFAULT)]
        #expect(throws: VGICError.self) { try f.vgic.setDistributorBase(0) }
        do { try f.vgic.setDistributorBase(0) } catch { #expect(error.errno == .EFAULT && { if case .kernel = error { true } else { false } }()) }
    }

    @Test("NR_IRQS: EINVAL rejected, EBUSY fixed")
    func nrIRQs() throws {
        let f = try VGICFixture(vcpus: 0, gic: .uninitialised(.v3))
        f.sim.failures = [(.setDeviceAttr, .nrIRQs, .EINVAL)]
        do { try f.vgic.setInterruptCount(1024) } catch {
            if case .interruptCountRejected(let e) = error { #expect(e.errno == .EINVAL) } else { Issue.record("got \(error)") }
        }
        f.sim.failures = [(.setDeviceAttr, .nrIRQs, .EBUSY)]
        do { try f.vgic.setInterruptCount(64) } catch {
            if case .interruptCountFixed(let e) = error { #expect(e.errno == .EBUSY) } else { Issue.record("got \(error)") }
        }
    }

    @Test("register EBUSY: notInitialised before CTRL_INIT, vcpusRunning after")
    func registerBusy() throws {
        let f = try VGICFixture(gic: .uninitialised(.v3))
        f.sim.failures = [(.getDeviceAttr, .redistributorRegisters, .EBUSY), (.irqLine, nil, .EBUSY)]
        do { _ = try f.vgic.redistributorRegister(.gicrTYPER, of: f.vcpus[0]) } catch {
            if case .notInitialised(let e) = error { #expect(e.errno == .EBUSY) } else { Issue.record("got \(error)") }
        }
        let spi = try SPI(intid: 40)
        do { try f.vgic.setLevel(spi, true) } catch {
            if case .notInitialised = error {} else { Issue.record("got \(error)") }
        }
        f.sim.failures = []
        try f.vgic.initialise()
        f.sim.failures = [(.getDeviceAttr, .redistributorRegisters, .EBUSY), (.getDeviceAttr, .distributorRegisters, .EINVAL)]
        do { _ = try f.vgic.redistributorRegister(.gicrTYPER, of: f.vcpus[0]) } catch {
            if case .vcpusRunning = error {} else { Issue.record("got \(error)") }
        }
        do { _ = try f.vgic.distributorRegister(.gicdCTLR) } catch {
            if case .kernel(let e) = error { #expect(e.errno == .EINVAL) } else { Issue.record("got \(error)") }
        }
    }

    @Test("CTRL_INIT EBUSY is vcpusRunning; ITS ENODEV is itsUnsupportedByHost")
    func initAndITS() throws {
        let f = try VGICFixture(SyscallSimulator(deviceTypes: [.vgicV3]), vcpus: 0, gic: .uninitialised(.v3))
        do { try f.vgic.addITS(base: 0x40_0000) } catch {
            if case .itsUnsupportedByHost(let e) = error { #expect(e.errno == .ENODEV) } else { Issue.record("got \(error)") }
        }
        let hasITS = f.vgic.hasITS
        #expect(!hasITS)
        f.sim.failures = [(.setDeviceAttr, .control, .EBUSY)]
        do { try f.vgic.initialise() } catch {
            if case .vcpusRunning = error {} else { Issue.record("got \(error)") }
        }
        let initialised = f.vgic.isInitialised
        #expect(!initialised)
    }
}
