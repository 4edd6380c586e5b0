import GICVocabulary
import GuestHarness

/// Interrupt groups as the guest sees them: a Group 0 interrupt arrives as a FIQ and is
/// acknowledged through IAR0; IAR1 returns 1023 while a higher-priority Group 0 interrupt is
/// pending; a disabled group's interrupts stay pending and are taken once the guest enables the
/// group (the kernel selftest's `guest_code_group_en`).
///
/// Group 1 stays enabled whenever Group 0 is: 7.x programs ICH_HCR_EL2.VGrp0DIE while Group 0
/// is enabled (a69e2d6f8934 "Use MI to detect groups being enabled/disabled"), and QEMU 7.2's
/// `maintenance_interrupt_state` tests VENG1 for the VGrp0D condition, so Group 0 enabled with
/// Group 1 disabled can keep the maintenance interrupt asserted (Conformance.docc/GuestDelivery.md).
extension GuestCatalog {
    static var groups: [GuestCase] {
        [
            GuestCase("guest.groups.group0_fiq", build: GuestGroupsScenarios.group0FIQ, check: GuestGroupsScenarios.checkGroup0FIQ),
            GuestCase("guest.groups.iar1_blocked_by_group0", build: GuestGroupsScenarios.blockedByGroup0,
                check: GuestGroupsScenarios.checkBlockedByGroup0),
            GuestCase("guest.groups.group_en", build: GuestGroupsScenarios.groupEnable, check: GuestGroupsScenarios.checkGroupEnable),
            GuestCase("guest.groups.igrpen1_disabled", build: GuestGroupsScenarios.group1Disabled,
                check: GuestGroupsScenarios.checkGroup1Disabled),
        ]
    }
}

enum GuestGroupsScenarios {
    /// A Group 0 SPI: taken as a FIQ, acknowledged through IAR0 with AP0R0 (not AP1R0) holding
    /// its priority and RPR the priority; EOIR0 ends it.
    @Sendable static func group0FIQ() throws(GuestProgramError) -> GuestScenario {
        let intid: UInt32 = 40
        var calls = HostCalls()
        var main = GuestScript()
        main.host(calls.call(.spiLine(intid, level: true)))
        main.takeInterrupts(.both)
        main.observeNothingPending()
        main.observe(.iccIAR0)
        main.finish()

        var fiq = GuestScript()
        fiq.acknowledge(group1: false)
        fiq.remember(in: 0)
        fiq.observe(.iccAP0R0, as: .activePriorities)
        fiq.observe(.iccAP1R0, as: .activePriorities)
        fiq.observe(.iccRPR, as: .runningPriority)
        fiq.observeBit(offset: 0x300, ofVariable: 0, as: .active)
        fiq.recall(0)
        fiq.endOfInterrupt(group1: false)
        fiq.observe(.iccAP0R0, as: .activePriorities)
        fiq.append(.end)

        var scenario = GuestScenario(
            vcpuCount: 1, programs: [GuestPrograms(main: try main.program(), fiq: try fiq.program())])
        scenario.setup = GuestSetup.standard(vcpus: 1, group0: true) + GuestSetup.interrupt(intid, priority: 0x80, group1: false)
        scenario.calls = calls.actions
        scenario.finalObservations = [.active(intid, vcpu: 0), .latch(intid, vcpu: 0)]
        return scenario
    }

    @Sendable static func checkGroup0FIQ(_ outcome: GuestOutcome, _ context: GuestCheckContext) -> Outcome {
        var checks = GuestChecks()
        let trace = outcome.trace
        checks.expectCompleted(outcome)
        checks.expect("acknowledged", trace.acknowledgementPrograms(of: 0), ["fiq:40"])
        checks.expect("AP0R0, AP1R0 while handled, AP0R0 after", trace.values(.activePriorities, of: 0), [GuestHost.activePriorityBit(0x80), 0, 0])
        checks.expect("RPR while handled", trace.values(.runningPriority, of: 0), [0x80])
        checks.expect("active while handled", trace.values(.active, of: 0), [1])
        checks.expect("HPPIR1 at the end", trace.values(.highestPending, of: 0), [1023])
        checks.expect("IAR1, IAR0 at the end", trace.values(.observed, of: 0), [1023, 1023])
        checks.expect("final active, latch", outcome.final, [.observed(0), .observed(0)])
        return checks.verdict("Group 0 SPI taken as a FIQ through IAR0")
    }

    /// A Group 0 SPI at 0x40 and a Group 1 SPI at 0x80 pending at once, interrupts masked: HPPIR1
    /// and IAR1 read 1023 (the highest pending is Group 0), HPPIR0 names it; IAR0 takes it, then
    /// IAR1 the Group 1 one.
    @Sendable static func blockedByGroup0() throws(GuestProgramError) -> GuestScenario {
        var calls = HostCalls()
        var main = GuestScript()
        main.host(calls.call(.all([.spiLine(40, level: true), .spiLine(41, level: true)])))
        main.observe(.iccHPPIR1, as: .highestPending)
        main.observe(.iccHPPIR0, as: .highestPending)
        main.observe(.iccIAR1)
        main.acknowledge(group1: false)
        main.endOfInterrupt(group1: false)
        main.acknowledge()
        main.endOfInterrupt()
        main.observeNothingPending()
        main.observe(.iccIAR0)
        main.finish()

        var scenario = GuestScenario(vcpuCount: 1, programs: [GuestPrograms(main: try main.program())])
        scenario.setup = GuestSetup.standard(vcpus: 1, group0: true) + GuestSetup.interrupt(40, priority: 0x40, group1: false)
            + GuestSetup.interrupt(41, priority: 0x80)
        scenario.calls = calls.actions
        scenario.finalObservations = [.active(40, vcpu: 0), .active(41, vcpu: 0)]
        return scenario
    }

    @Sendable static func checkBlockedByGroup0(_ outcome: GuestOutcome, _ context: GuestCheckContext) -> Outcome {
        var checks = GuestChecks()
        let trace = outcome.trace
        checks.expectCompleted(outcome)
        checks.expect("HPPIR1, HPPIR0 with both pending; HPPIR1 at the end", trace.values(.highestPending, of: 0), [1023, 40, 1023])
        checks.expect("IAR1 with both pending; IAR1, IAR0 at the end", trace.values(.observed, of: 0), [1023, 1023, 1023])
        checks.expect("acknowledged (IAR0, then IAR1)", trace.acknowledged(by: 0), [40, 41])
        checks.expect("final active", outcome.final, [.observed(0), .observed(0)])
        return checks.verdict("IAR1 1023 while a higher-priority Group 0 SPI is pending")
    }

    /// The kernel selftest's group_en check on one vCPU: SGI 0 in Group 0 with Group 0 disabled,
    /// SGIs 0–15 at priorities 8, 16, … 128, all made pending by the guest. SGIs 1–15 are
    /// acknowledged (and EOIed) in priority order; SGI 0 stays pending and inactive, IAR1 and
    /// IAR0 read 1023; after IGRPEN0 = 1 it is acknowledged through IAR0.
    @Sendable static func groupEnable() throws(GuestProgramError) -> GuestScenario {
        var main = GuestScript()
        for sgi in 0..<UInt64(16) { main.append(.writeBit(offset: 0x200, intid: .immediate(sgi))) }
        let again = main.label()
        main.append(.store(variable: 1, .immediate(15)))
        main.bind(again)
        main.pollAcknowledge(attempts: 200)
        main.endOfInterrupt()
        main.append(.set(.variable(1)))
        main.append(.subtract(.immediate(1)))
        main.append(.store(variable: 1, .accumulator))
        main.append(.jumpIf(.notEqual, .immediate(0), again))
        main.observeBit(offset: 0x200, intid: 0, as: .pending)
        main.observeBit(offset: 0x300, intid: 0, as: .active)
        main.observe(.iccIAR1)
        main.observe(.iccIAR0)
        main.append(.write(.iccIGRPEN0, .immediate(1)))
        main.pollAcknowledge(group1: false, attempts: 200)
        main.endOfInterrupt(group1: false)
        main.observeBit(offset: 0x300, intid: 0, as: .active)
        main.observe(.iccIAR1)
        main.observe(.iccIAR0)
        main.finish()

        var scenario = GuestScenario(vcpuCount: 1, programs: [GuestPrograms(main: try main.program())])
        scenario.setup = GuestSetup.standard(vcpus: 1)
            + (0..<UInt32(16)).flatMap { GuestSetup.interrupt($0, priority: UInt8(($0 + 1) * 8), group1: $0 != 0) }
        scenario.finalObservations = [.latch(0, vcpu: 0), .active(0, vcpu: 0), .systemRegister(.iccIGRPEN0, vcpu: 0)]
        return scenario
    }

    @Sendable static func checkGroupEnable(_ outcome: GuestOutcome, _ context: GuestCheckContext) -> Outcome {
        var checks = GuestChecks()
        let trace = outcome.trace
        checks.expectCompleted(outcome)
        checks.expect("acknowledged", trace.acknowledged(by: 0), Array(1..<UInt32(16)) + [0])
        checks.expect("polls that gave up", trace.giveUps(of: 0), 0)
        checks.expect("SGI 0 pending while Group 0 is disabled", trace.values(.pending, of: 0), [1])
        checks.expect("SGI 0 active while Group 0 is disabled, after its EOI", trace.values(.active, of: 0), [0, 0])
        checks.expect("IAR1, IAR0 while Group 0 is disabled; at the end", trace.values(.observed, of: 0), [1023, 1023, 1023, 1023])
        checks.expect("final SGI 0 latch, active, IGRPEN0", outcome.final, [.observed(0), .observed(0), .observed(1)])
        return checks.verdict("SGI 0 held by the disabled Group 0 while SGIs 1–15 were taken, then taken through IAR0")
    }

    /// IGRPEN1 = 0: a pending Group 1 SPI is not presented (polling IAR1 gives up, HPPIR1 reads
    /// 1023 with both groups disabled); once the guest sets IGRPEN1 it is acknowledged.
    @Sendable static func group1Disabled() throws(GuestProgramError) -> GuestScenario {
        let intid: UInt32 = 40
        var calls = HostCalls()
        var main = GuestScript()
        main.host(calls.call(.spiLine(intid, level: true)))
        main.pollAcknowledge(attempts: 100)
        main.observe(.iccHPPIR1, as: .highestPending)
        main.append(.write(.iccIGRPEN1, .immediate(1)))
        main.pollAcknowledge(attempts: 100)
        main.endOfInterrupt()
        main.observeNothingPending()
        main.finish()

        var scenario = GuestScenario(vcpuCount: 1, programs: [GuestPrograms(main: try main.program())])
        scenario.setup = [GuestSetup.distributorGroup1, .setSystemRegister(.iccPMR, vcpu: 0, 0xF8)]
            + GuestSetup.interrupt(intid, priority: 0x80)
        scenario.calls = calls.actions
        scenario.finalObservations = [.active(intid, vcpu: 0), .latch(intid, vcpu: 0), .systemRegister(.iccIGRPEN1, vcpu: 0)]
        return scenario
    }

    @Sendable static func checkGroup1Disabled(_ outcome: GuestOutcome, _ context: GuestCheckContext) -> Outcome {
        var checks = GuestChecks()
        let trace = outcome.trace
        checks.expectCompleted(outcome)
        checks.expect("polls that gave up (before IGRPEN1)", trace.giveUps(of: 0), 1)
        checks.expect("acknowledged", trace.acknowledged(by: 0), [40])
        checks.expect("HPPIR1 while disabled, at the end", trace.values(.highestPending, of: 0), [1023, 1023])
        checks.expect("IAR1 at the end", trace.values(.observed, of: 0), [1023])
        checks.expect("final active, latch, IGRPEN1", outcome.final, [.observed(0), .observed(0), .observed(1)])
        return checks.verdict("Group 1 disabled: pending but not presented until IGRPEN1")
    }
}
