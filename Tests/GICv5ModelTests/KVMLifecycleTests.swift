import GICVocabulary
import Testing
@testable import GICv5Model

/// Vector ids are those of GICv5Model.docc/GICv5TestVectors.md.
@Suite("KVM's GICv5 PPI life cycle: entry, exit, traps (GICv5Model.docc/GICv5UnderKVM.md)")
struct KVMLifecycleTests {
    @Test("K5-05: after CTRL_INIT, USERSPACE_PPIS has SW_PPI in word 0 and word 1 is 0")
    func userspacePPIs() throws {
        let vm = try GICv5VM()
        #expect(vm.userspacePPIs.bank0 == 1 << 3)
        #expect(vm.userspacePPIs.bank1 == 0)
    }

    @Test("Implemented PPIs: the four timers and SW_PPI, plus PMUIRQ only with a host PMU")
    func implementedPPIs() throws {
        #expect(try GICv5VM().implementedPPIs == PPISet([.swPPI, .cnthp, .cntv, .cnthv, .cntp]))
        #expect(try GICv5VM(GICv5VMConfiguration(hostHasPMU: true)).implementedPPIs[.pmuIRQ])
    }

    @Test("Nothing is exposed before the first run; the first run exposes SW_PPI and the owned implemented PPIs")
    func exposureAtFirstRun() throws {
        var vm = try GICv5VM(GICv5VMConfiguration(vcpuCount: 2, ownedPPIs: PPISet([.cntv, .cntp, .pmuIRQ, ppi(40)])))
        #expect(vm.exposedPPIs.isEmpty && !vm.isFinalized)
        _ = try vm.enterGuest(vcpu: 1)
        #expect(vm.exposedPPIs == PPISet([.swPPI, .cntv, .cntp]))
        #expect(vm.exposedLevelPPIs == PPISet([.cntv, .cntp]))
        var withPMU = try GICv5VM(GICv5VMConfiguration(hostHasPMU: true, ownedPPIs: PPISet([.cntv, .pmuIRQ])))
        _ = try withPMU.enterGuest(vcpu: 0)
        #expect(withPMU.exposedPPIs == PPISet([.swPPI, .cntv, .pmuIRQ]))
    }

    @Test("Entry generates the pending bits from KVM's state, consumes edge latches and keeps the entry copy")
    func entryGeneratesPending() throws {
        var vm = try GICv5VM()
        _ = try vm.enterGuest(vcpu: 0)
        try vm.exitGuest(vcpu: 0, hardwareState: GICv5CPUInterface())
        try vm.inject(.swPPI, vcpu: 0, level: true)
        try vm.inject(.cntv, vcpu: 0, level: true, from: .owner)
        let hw = try vm.enterGuest(vcpu: 0)
        #expect(hw.ppiPending == PPISet([.swPPI, .cntv]))
        #expect(vm.vcpus[0].exchange.pendingAtEntry == PPISet([.swPPI, .cntv]))
        #expect(!vm.vcpus[0][.swPPI].pendingLatch)
        #expect(vm.vcpus[0][.cntv].lineLevel)
        #expect(vm.vcpus[0].isRunning && vm.vcpus[0].hasRun)
    }

    @Test("Entry does not inject PPIs the guest cannot see")
    func entryIgnoresUnexposed() throws {
        var vm = try GICv5VM()
        try vm.inject(.cnthp, vcpu: 0, level: true)
        let hw = try vm.enterGuest(vcpu: 0)
        #expect(!hw.ppiPending[.cnthp])
        #expect(vm.vcpus[0][.cnthp].lineLevel)
    }

    @Test("Entry loads the images: enable, active, priorities, APR, CR0.EN and PCR")
    func entryLoadsImages() throws {
        let vm0 = try vmAfterGuestSetup(enabling: [.swPPI, .cntv], priorityMask: 20)
        var vm = vm0
        let hw = try vm.enterGuest(vcpu: 0)
        #expect(hw.ppiEnabled == PPISet([.swPPI, .cntv]))
        #expect(hw.priorityMask == 20 && hw.enabled)
        #expect(hw.readPriority(register: 3) == 0x1010_1010_1010_1010)
        #expect(hw.readPriority(register: 8) == 0, "KVM keeps PRIORITYR0..7 only")
        #expect(hw.iaffid == 0)
    }

    @Test("A directly injected PPI's pending state comes from its physical line, not from KVM's state")
    func entryWithDirectInjection() throws {
        var vm = try GICv5VM()
        try vm.mapPhysical(.cntv, vcpu: 0, hostIRQ: 27, lineLevel: true)
        try vm.inject(.cntp, vcpu: 0, level: true, from: .owner)
        var hw = try vm.enterGuest(vcpu: 0)
        #expect(hw.ppiPending == PPISet([.cntv, .cntp]))
        #expect(vm.vcpus[0].exchange.pendingAtEntry == PPISet([.cntp]))
        try vm.exitGuest(vcpu: 0, hardwareState: hw)
        try vm.setPhysicalLineLevel(false, for: .cntv, vcpu: 0)
        try vm.inject(.cntv, vcpu: 0, level: true, from: .owner)
        hw = try vm.enterGuest(vcpu: 0)
        #expect(vm.vcpus[0].exchange.pendingAtEntry[.cntv], "KVM's state says pending…")
        #expect(!hw.ppiPending[.cntv], "…but the hardware follows the low physical line")
    }

    @Test("Exit takes active and enable from the guest for exposed PPIs and reloads the ACTIVER image")
    func exitMergesActiveAndEnable() throws {
        var vm = try vmAfterGuestSetup(enabling: [.swPPI])
        var hw = try vm.enterGuest(vcpu: 0)
        hw.writeEnable(.bank0, bit(.cntv) | bit(.cnthp))
        hw.writeSetActive(.bank0, bit(.cntv) | bit(ppi(50)))
        try vm.exitGuest(vcpu: 0, hardwareState: hw)
        let vcpu = vm.vcpus[0]
        #expect(vcpu[.cntv].enabled && vcpu[.cntv].active)
        #expect(!vcpu[.swPPI].enabled)
        #expect(!vcpu[.cnthp].enabled, "not exposed: the trapped write masks it away")
        #expect(!vcpu[ppi(50)].active, "not exposed: KVM's per-PPI state is not touched")
        #expect(vcpu.images.enable == PPISet([.cntv]))
        #expect(vcpu.images.active == PPISet([.cntv, ppi(50)]), "the ACTIVER image is the whole exit copy")
    }

    @Test("Exit ORs the guest's pending bit into an edge latch and never takes a level PPI's pending state")
    func exitMergesPending() throws {
        var vm = try vmAfterGuestSetup(enabling: [.swPPI, .cntv])
        var hw = try vm.enterGuest(vcpu: 0)
        hw.writeSetPending(.bank0, bit(.swPPI))
        hw.setInput(.cntv, level: true)
        try vm.exitGuest(vcpu: 0, hardwareState: hw)
        #expect(vm.vcpus[0][.swPPI].pendingLatch)
        #expect(!vm.vcpus[0][.cntv].lineLevel && !vm.vcpus[0][.cntv].pendingLatch)
        #expect(vm.vcpus[0].exchange.pendingAtExit == PPISet([.swPPI, .cntv]))
    }

    @Test("Exit saves PRIORITYR, VMCR, APR and ICSR; KVM's per-PPI priority waits for put in WFI")
    func exitSavesControlState() throws {
        var vm = try vmAfterGuestSetup()
        var hw = try vm.enterGuest(vcpu: 0)
        hw.ppiPriorities[.swPPI] = 4
        hw.writeActivePriorities(1 << 9)
        hw.writeControl(0)
        hw.writePriorityMask(7)
        hw.interruptStatus = .failed
        try vm.exitGuest(vcpu: 0, hardwareState: hw)
        let images = vm.vcpus[0].images
        #expect(images.priorities[.swPPI] == 4)
        #expect(images.activePriorities.bits == 1 << 9)
        #expect(images.control == VirtualMachineControl(enabled: false, priorityMask: 7))
        #expect(images.interruptStatus == .failed)
        #expect(vm.vcpus[0][.swPPI].priority == 0)
        try vm.put(vcpu: 0, inWFI: false)
        #expect(vm.vcpus[0][.swPPI].priority == 0)
        try vm.put(vcpu: 0, inWFI: true)
        #expect(vm.vcpus[0][.swPPI].priority == 4)
    }

    @Test("The trapped ENABLER write keeps only exposed PPIs and ignores bank 1")
    func trappedEnableWrite() throws {
        var vm = try vmAfterGuestSetup(enabling: [])
        try vm.trapEnableWrite(vcpu: 0, bank: .bank0, value: ~0)
        #expect(vm.vcpus[0].images.enable == PPISet([.swPPI, .cntv, .cntp]))
        #expect(vm.vcpus[0][.cntp].enabled && !vm.vcpus[0][.cnthp].enabled)
        try vm.trapEnableWrite(vcpu: 0, bank: .bank1, value: ~0)
        #expect(vm.vcpus[0].images.enable.bank1 == 0)
        try vm.trapEnableWrite(vcpu: 0, bank: .bank0, value: bit(.swPPI))
        #expect(!vm.vcpus[0][.cntp].enabled && vm.vcpus[0][.swPPI].enabled)
    }

    @Test("Entering twice, exiting a stopped vCPU and naming a missing vCPU are refused")
    func misuse() throws {
        var vm = try GICv5VM(GICv5VMConfiguration(vcpuCount: 2))
        let hw = try vm.enterGuest(vcpu: 0)
        #expect(throws: GICv5ModelError.vcpuRunning(index: 0)) { _ = try vm.enterGuest(vcpu: 0) }
        #expect(throws: GICv5ModelError.vcpuNotRunning(index: 1)) { try vm.exitGuest(vcpu: 1, hardwareState: hw) }
        #expect(throws: GICv5ModelError.noSuchVCPU(index: 2, count: 2)) { _ = try vm.enterGuest(vcpu: 2) }
        #expect(throws: GICv5ModelError.vcpuRunning(index: 0)) { try vm.trapEnableWrite(vcpu: 0, bank: .bank0, value: 0) }
        #expect(throws: GICv5ModelError.outOfRange(what: .vcpuCount, value: 0, allowed: 1...0xFFFF)) {
            try GICv5VM(GICv5VMConfiguration(vcpuCount: 0))
        }
    }

    @Test("Entry consumes the pending-IRQ request the kick made")
    func kickConsumed() throws {
        var vm = try GICv5VM()
        try vm.inject(.swPPI, vcpu: 0, level: true)
        #expect(vm.vcpus[0].kickRequested)
        _ = try vm.enterGuest(vcpu: 0)
        #expect(!vm.vcpus[0].kickRequested)
    }
}
