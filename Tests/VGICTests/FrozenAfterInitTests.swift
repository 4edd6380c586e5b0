import GICVocabulary
import KVM
import Testing
import VGIC

/// EBUSY from a register write means "not initialised" before CTRL_INIT and "vCPUs running"
/// after it, except for GICD_TYPER2, whose nASSGIcap the kernel freezes at CTRL_INIT: the
/// register written tells the two apart where the errno cannot.
@Suite("EBUSY after init on GICD_TYPER2")
struct FrozenAfterInitTests {
    @Test("a GICD_TYPER2 write refused with EBUSY after init is .frozenAfterInit(GICD_TYPER2)")
    func typer2() throws {
        let sim = SyscallSimulator()
        let kvm = try KVM.open(interface: .simulated(sim))
        let vm = try kvm.createVM()
        var vgic = try VGIC.createUninitialised(on: vm, version: .v3)
        try vgic.initialise()
        sim.failures = [(.setDeviceAttr, .distributorRegisters, .EBUSY)]
        do {
            try vgic.setDistributorRegister(.gicdTYPER2, to: 0x100)
            Issue.record("expected a refusal")
        } catch {
            guard case .frozenAfterInit(let register, let kvmError) = error else { Issue.record("got \(error)"); return }
            #expect(register == .gicdTYPER2)
            #expect(kvmError.errno == .EBUSY)
            #expect(kvmError.attempt.attribute?.attr == 0xC)
        }
    }

    @Test("the same EBUSY on another register after init is .vcpusRunning; before init .notInitialised")
    func others() throws {
        let sim = SyscallSimulator()
        let kvm = try KVM.open(interface: .simulated(sim))
        let vm = try kvm.createVM()
        var vgic = try VGIC.createUninitialised(on: vm, version: .v3)
        sim.failures = [(.setDeviceAttr, .distributorRegisters, .EBUSY)]
        #expect(throws: VGICError.self) { try vgic.setDistributorRegister(.gicdTYPER2, to: 0) }
        do { try vgic.setDistributorRegister(.gicdTYPER2, to: 0) } catch {
            #expect({ if case .notInitialised = error { true } else { false } }())
        }
        try vgic.initialise()
        sim.failures = [(.setDeviceAttr, .distributorRegisters, .EBUSY)]
        #expect(throws: VGICError.self) { try vgic.setDistributorRegister(.gicdCTLR, to: 2) }
        do { try vgic.setDistributorRegister(.gicdCTLR, to: 2) } catch {
            #expect({ if case .vcpusRunning = error { true } else { false } }())
        }
    }
}
