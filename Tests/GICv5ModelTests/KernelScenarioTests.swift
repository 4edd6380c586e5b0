import GICVocabulary
import Testing
@testable import GICv5Model

/// The kernel's own descriptions of its GICv5 support, played through the model. Vector ids are
/// those of GICv5Model.docc/GICv5TestVectors.md.
@Suite("Kernel scenarios")
struct KernelScenarioTests {
    @Test("An injected PPI survives a guest exit while the guest also made an edge PPI pending")
    func injectionSurvivesExit() throws {
        var vm = try vmAfterGuestSetup(enabling: [.swPPI, .cntv])
        var hw = try vm.enterGuest(vcpu: 0)
        // While the guest runs, the timer raises CNTV and the guest makes SW_PPI pending itself.
        try vm.inject(.cntv, vcpu: 0, level: true, from: .owner)
        hw.writeSetPending(.bank0, bit(.swPPI))
        try vm.exitGuest(vcpu: 0, hardwareState: hw)
        #expect(vm.vcpus[0][.cntv].isPending, "the device's level survives: exit never takes a level PPI from the guest")
        #expect(vm.vcpus[0][.swPPI].pendingLatch, "the guest's edge is merged back")
        let next = try vm.enterGuest(vcpu: 0)
        #expect(next.ppiPending == PPISet([.swPPI, .cntv]))
    }

    @Test("K5-06: an edge injected while the guest runs survives an exit whose PENDR bit is 0 (OR merge)")
    func k5_06() throws {
        var vm = try vmAfterGuestSetup(enabling: [.swPPI])
        let hw = try vm.enterGuest(vcpu: 0)
        #expect(!hw.ppiPending[.swPPI])
        try vm.inject(.swPPI, vcpu: 0, level: true)
        try vm.exitGuest(vcpu: 0, hardwareState: hw)
        #expect(vm.vcpus[0].exchange.pendingAtExit.isEmpty)
        #expect(vm.vcpus[0][.swPPI].pendingLatch)
        #expect(try vm.enterGuest(vcpu: 0).ppiPending[.swPPI])
    }

    @Test("An edge the guest consumed is not re-injected: entry took the latch, the guest acked it")
    func consumedEdgeStaysConsumed() throws {
        var vm = try vmAfterGuestSetup(enabling: [.swPPI])
        try vm.inject(.swPPI, vcpu: 0, level: true)
        var hw = try vm.enterGuest(vcpu: 0)
        var irs = vm.irs
        #expect(GICv5Guest.acknowledge(cpu: &hw, irs: &irs).isValid)
        try vm.exitGuest(vcpu: 0, hardwareState: hw)
        #expect(!vm.vcpus[0][.swPPI].pendingLatch)
        #expect(vm.vcpus[0][.swPPI].active)
    }

    @Test("A vCPU whose pending PPIs are all masked by PCR is not runnable, and is once the guest raises the mask")
    func maskedByPriorityMask() throws {
        var vm = try vmAfterGuestSetup(enabling: [.swPPI], priorityMask: 4)
        try vm.inject(.swPPI, vcpu: 0, level: true)
        try vm.put(vcpu: 0, inWFI: true)
        #expect(try vm.effectivePriorityMask(vcpu: 0) == 5)
        #expect(try !vm.hasPendingPPI(vcpu: 0), "priority 16 is masked by PCR 4")
        var hw = try vm.enterGuest(vcpu: 0)
        hw.writePriorityMask(16)
        try vm.exitGuest(vcpu: 0, hardwareState: hw)
        try vm.put(vcpu: 0, inWFI: true)
        #expect(try vm.hasPendingPPI(vcpu: 0))
    }

    @Test("A vCPU whose pending PPI is masked by the running priority becomes runnable after the priority drop")
    func maskedByRunningPriority() throws {
        var vm = try vmAfterGuestSetup(enabling: [.swPPI, .cntv], priorityMask: 31)
        var hw = try vm.enterGuest(vcpu: 0)
        hw.ppiPriorities[.cntv] = 8
        hw.setInput(.cntv, level: true)
        var irs = vm.irs
        #expect(GICv5Guest.acknowledge(cpu: &hw, irs: &irs).interruptID == GICv5PPI.cntv.interruptID)
        hw.setInput(.cntv, level: false)
        try vm.exitGuest(vcpu: 0, hardwareState: hw)
        try vm.inject(.swPPI, vcpu: 0, level: true)
        try vm.put(vcpu: 0, inWFI: true)
        #expect(try vm.effectivePriorityMask(vcpu: 0) == 8)
        #expect(try !vm.hasPendingPPI(vcpu: 0), "SW_PPI at 16 cannot preempt running priority 8")
        hw = try vm.enterGuest(vcpu: 0)
        GICv5Guest.priorityDrop(cpu: &hw)
        try vm.exitGuest(vcpu: 0, hardwareState: hw)
        try vm.put(vcpu: 0, inWFI: true)
        #expect(try vm.hasPendingPPI(vcpu: 0))
    }

    @Test("The pending check uses the priorities synced at the last put in WFI, not newer guest writes")
    func stalePriorities() throws {
        var vm = try vmAfterGuestSetup(enabling: [.swPPI], priorityMask: 16)
        try vm.put(vcpu: 0, inWFI: true)
        var hw = try vm.enterGuest(vcpu: 0)
        hw.ppiPriorities[.swPPI] = 20
        try vm.exitGuest(vcpu: 0, hardwareState: hw)
        try vm.inject(.swPPI, vcpu: 0, level: true)
        #expect(try vm.hasPendingPPI(vcpu: 0), "still judged at the synced priority 16")
        try vm.put(vcpu: 0, inWFI: true)
        #expect(try !vm.hasPendingPPI(vcpu: 0))
    }

    @Test("An interrupt whose physical mapping is removed keeps its injection behaviour")
    func unmapKeepsBehaviour() throws {
        var vm = try vmAfterGuestSetup(enabling: [.cntv])
        try vm.mapPhysical(.cntv, vcpu: 0, hostIRQ: 27)
        #expect(vm.vcpus[0].images.directInjection[.cntv])
        try vm.unmapPhysical(.cntv, vcpu: 0)
        #expect(vm.vcpus[0][.cntv].behaviour == .directInjection)
        #expect(!vm.vcpus[0].images.directInjection[.cntv])
        #expect(vm.vcpus[0][.cntv].physical == nil)
        #expect(try vm.inject(.cntv, vcpu: 0, level: true, from: .owner) == .kicked, "still not queued")
        try vm.mapPhysical(.cntv, vcpu: 0, hostIRQ: 27)
        #expect(vm.vcpus[0].images.directInjection[.cntv], "re-mapping switches DVI on again without re-installing")

        try vm.setBehaviour(.hardwareManaged, for: .cntp, vcpu: 0)
        try vm.mapPhysical(.cntp, vcpu: 0, hostIRQ: 30)
        try vm.unmapPhysical(.cntp, vcpu: 0)
        #expect(vm.vcpus[0][.cntp].behaviour == .hardwareManaged)
    }

    @Test("The vgic_v5 selftest: SW_PPI raised twice, WFI does not block, CDIA / CDDI / CDEOI, lowered")
    func selftest() throws {
        var vm = try vmAfterGuestSetup(enabling: [.swPPI], priorityMask: 16)
        for _ in 0..<2 {
            #expect(try vm.inject(.swPPI, vcpu: 0, level: true) == .kicked)
            try vm.put(vcpu: 0, inWFI: true)
            #expect(try vm.hasPendingPPI(vcpu: 0), "wfi() must not block with the IRQ pending")
            var hw = try vm.enterGuest(vcpu: 0)
            var irs = vm.irs
            let ia = GICv5Guest.execute(.cdia, operand: 0, cpu: &hw, irs: &irs)
            #expect(ia.isValid && ia.rawValue == 0x1_2000_0003)
            GICv5Guest.execute(.cddi, operand: UInt64(try #require(ia.interruptID).rawValue), cpu: &hw, irs: &irs)
            GICv5Guest.execute(.cdeoi, operand: 0, cpu: &hw, irs: &irs)
            try vm.exitGuest(vcpu: 0, hardwareState: hw)
            #expect(try vm.inject(.swPPI, vcpu: 0, level: false) == .unchanged)
            let state = vm.vcpus[0]
            #expect(!state[.swPPI].isPending && !state[.swPPI].active && state.images.activePriorities.bits == 0)
        }
        try vm.put(vcpu: 0, inWFI: true)
        #expect(try !vm.hasPendingPPI(vcpu: 0))
    }

    @Test("SPIs and LPIs reach the guest through the VM's IRS, targeted at the vCPU's IAFFID")
    func irsThroughVM() throws {
        var vm = try GICv5VM(GICv5VMConfiguration(vcpuCount: 2, spiCount: 32, lpiIDBits: 10))
        vm.irs.enabled = true
        var hw = try vm.enterGuest(vcpu: 1)
        hw.writeControl(1)
        hw.writePriorityMask(31)
        for command in [GICv5Command.setAffinity(spi(5), iaffid: 1, routing: .targeted), .enable(spi(5)),
                        .setPriority(spi(5), priority: 2), .setAffinity(lpi(100), iaffid: 1, routing: .targeted),
                        .enable(lpi(100)), .setPriority(lpi(100), priority: 1)] {
            GICv5Guest.execute(command, cpu: &hw, irs: &vm.irs)
        }
        try vm.irs.setLine(spi: 5, level: true)
        try vm.irs.setLPIPending(100)
        #expect(GICv5Guest.acknowledge(cpu: &hw, irs: &vm.irs).interruptID == lpi(100))
        GICv5Guest.priorityDrop(cpu: &hw)
        GICv5Guest.deactivate(lpi(100), cpu: &hw, irs: &vm.irs)
        #expect(GICv5Guest.acknowledge(cpu: &hw, irs: &vm.irs).interruptID == spi(5))
        try vm.exitGuest(vcpu: 1, hardwareState: hw)
        #expect(vm.irs.interrupt(spi(5))?.active == true)
        #expect(vm.vcpus[1].images.activePriorities.bits == 1 << 2)
    }
}
