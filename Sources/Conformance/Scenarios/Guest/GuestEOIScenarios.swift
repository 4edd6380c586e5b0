import GICVocabulary
import GuestHarness

/// The two EOI modes as the guest sees them. EOImode 0: EOIR drops the priority and
/// deactivates, DIR is ignored. EOImode 1: EOIR only drops the priority (the APR bit goes, RPR
/// returns to idle) and the interrupt stays active, so it is not delivered again, until DIR.
/// The guest sets ICC_CTLR_EL1.EOImode itself (read, OR 2, write) or the host does, by
/// read-modify-write through the attribute interface before the first run.
extension GuestCatalog {
    static var eoi: [GuestCase] {
        [
            GuestCase("guest.eoi.mode0_dir_ignored", build: GuestEOIScenarios.dirIgnored, check: GuestEOIScenarios.checkDIRIgnored),
            GuestCase("guest.eoi.mode1_set_by_guest", build: { () throws(GuestProgramError) in try GuestEOIScenarios.split(byHost: false) }) {
                outcome, _ in GuestEOIScenarios.checkSplit(outcome)
            },
            GuestCase("guest.eoi.mode1_set_by_host", build: { () throws(GuestProgramError) in try GuestEOIScenarios.split(byHost: true) }) {
                outcome, _ in GuestEOIScenarios.checkSplit(outcome)
            },
            GuestCase("guest.eoi.mode1_deferred_dir", build: GuestEOIScenarios.deferred, check: GuestEOIScenarios.checkDeferred),
            GuestCase("guest.eoi.mode1_active_blocks_redelivery", build: GuestEOIScenarios.blocksRedelivery,
                check: GuestEOIScenarios.checkBlocksRedelivery),
            GuestCase("guest.eoi.mode1_level", build: GuestEOIScenarios.level, check: GuestEOIScenarios.checkLevel),
        ]
    }
}

enum GuestEOIScenarios {
    static let priority: UInt8 = 0x80

    /// EOImode 0: a DIR before the EOI changes nothing (QEMU's `icv_dir_write` returns unless
    /// EOImode is 1; 7.x's trapped DIR, `vgic_v3_deactivate`, is ignored unless VEOIM); the EOI
    /// then deactivates.
    @Sendable static func dirIgnored() throws(GuestProgramError) -> GuestScenario {
        let intid: UInt32 = 40
        var calls = HostCalls()
        var main = GuestScript()
        main.host(calls.call(.spiLine(intid, level: true)))
        main.takeInterrupts()
        main.observeNothingPending()
        main.finish()

        var handler = GuestScript()
        handler.acknowledge()
        handler.remember(in: 0)
        handler.deactivate()
        handler.observeBit(offset: 0x300, ofVariable: 0, as: .active)
        handler.observe(.iccAP1R0, as: .activePriorities)
        handler.recall(0)
        handler.endOfInterrupt()
        handler.observeBit(offset: 0x300, ofVariable: 0, as: .active)
        handler.observe(.iccAP1R0, as: .activePriorities)
        handler.append(.end)

        return try .oneVCPU(main: main, handler: handler, calls: calls, setup: GuestSetup.interrupt(intid, priority: priority), observing: [intid])
    }

    @Sendable static func checkDIRIgnored(_ outcome: GuestOutcome, _ context: GuestCheckContext) -> Outcome {
        var checks = GuestChecks()
        let trace = outcome.trace
        checks.expectCompleted(outcome)
        checks.expect("acknowledged", trace.acknowledged(by: 0), [40])
        checks.expect("active after DIR, after EOI", trace.values(.active, of: 0), [1, 0])
        checks.expect("AP1R0 after DIR, after EOI", trace.values(.activePriorities, of: 0), [GuestHost.activePriorityBit(priority), 0])
        checks.expect("HPPIR1, IAR1 at the end", trace.values(.highestPending, of: 0) + trace.values(.observed, of: 0), [1023, 1023])
        checks.expect("final active, latch", outcome.final, [.observed(0), .observed(0)])
        return checks.verdict("EOImode 0: DIR ignored, EOIR deactivates")
    }

    /// EOImode 1 set by the guest or by the host: after EOIR the APR bit is gone and RPR is
    /// idle, but the interrupt is still active; DIR deactivates it. The guest logs
    /// CTLR.EOImode, the host reads ICC_CTLR_EL1 at the end.
    static func split(byHost: Bool) throws(GuestProgramError) -> GuestScenario {
        let intid: UInt32 = 40
        var calls = HostCalls()
        var main = GuestScript()
        if !byHost { main.setEOIMode1() }
        main.append(.read(.iccCTLR))
        main.append(.and(.immediate(2)))
        main.append(.log(.marker, .accumulator))
        main.host(calls.call(.spiLine(intid, level: true)))
        main.takeInterrupts()
        main.observeNothingPending()
        main.finish()

        var handler = GuestScript()
        handler.acknowledge()
        handler.remember(in: 0)
        handler.endOfInterrupt()
        handler.observe(.iccAP1R0, as: .activePriorities)
        handler.observe(.iccRPR, as: .runningPriority)
        handler.observeBit(offset: 0x300, ofVariable: 0, as: .active)
        handler.recall(0)
        handler.deactivate()
        handler.observeBit(offset: 0x300, ofVariable: 0, as: .active)
        handler.append(.end)

        var scenario = GuestScenario(vcpuCount: 1, programs: [GuestPrograms(main: try main.program(), irq: try handler.program())])
        scenario.setup = GuestSetup.standard(vcpus: 1) + GuestSetup.interrupt(intid, priority: priority)
        if byHost { scenario.setup.append(.modifySystemRegister(.iccCTLR, vcpu: 0, set: 2, clear: 0)) }
        scenario.calls = calls.actions
        scenario.finalObservations = [.active(intid, vcpu: 0), .latch(intid, vcpu: 0), .systemRegister(.iccCTLR, vcpu: 0)]
        return scenario
    }

    static func checkSplit(_ outcome: GuestOutcome) -> Outcome {
        var checks = GuestChecks()
        let trace = outcome.trace
        checks.expectCompleted(outcome)
        checks.expect("CTLR.EOImode as the guest reads it", trace.values(.marker, of: 0), [2])
        checks.expect("acknowledged", trace.acknowledged(by: 0), [40])
        checks.expect("AP1R0 after EOIR", trace.values(.activePriorities, of: 0), [0])
        checks.expect("RPR after EOIR", trace.values(.runningPriority, of: 0), [0xFF])
        checks.expect("active after EOIR, after DIR", trace.values(.active, of: 0), [1, 0])
        checks.expect("HPPIR1, IAR1 at the end", trace.values(.highestPending, of: 0) + trace.values(.observed, of: 0), [1023, 1023])
        checks.expect("final active, latch", Array(outcome.final.prefix(2)), [.observed(0), .observed(0)])
        if outcome.final.count == 3, case .observed(let control) = outcome.final[2] {
            checks.expect("final ICC_CTLR_EL1.EOImode", control & 2, 2)
        } else {
            checks.require("final ICC_CTLR_EL1 read: \(outcome.final.last?.description ?? "missing")", false)
        }
        return checks.verdict("EOImode 1: EOIR drops the priority, the interrupt stays active until DIR")
    }

    /// EOImode 1, two SPIs handled by a handler that only EOIs: after the first one's priority
    /// drop a lower-priority SPI is taken although the first is still active; both stay active
    /// (APRs empty, RPR idle) until the main program's DIRs.
    @Sendable static func deferred() throws(GuestProgramError) -> GuestScenario {
        var calls = HostCalls()
        var main = GuestScript()
        main.setEOIMode1()
        main.host(calls.call(.spiLine(40, level: true)))
        main.takeInterrupts()
        main.host(calls.call(.spiLine(41, level: true)))
        main.takeInterrupts()
        main.observeBit(offset: 0x300, intid: 40, as: .active)
        main.observeBit(offset: 0x300, intid: 41, as: .active)
        main.observe(.iccAP1R0, as: .activePriorities)
        main.observe(.iccRPR, as: .runningPriority)
        main.append(.write(.iccDIR, .immediate(40)))
        main.append(.write(.iccDIR, .immediate(41)))
        main.observeBit(offset: 0x300, intid: 40, as: .active)
        main.observeBit(offset: 0x300, intid: 41, as: .active)
        main.observeNothingPending()
        main.finish()

        var handler = GuestScript()
        handler.acknowledge()
        handler.endOfInterrupt()
        handler.append(.end)

        var scenario = GuestScenario(vcpuCount: 1, programs: [GuestPrograms(main: try main.program(), irq: try handler.program())])
        scenario.setup = GuestSetup.standard(vcpus: 1) + GuestSetup.interrupt(40, priority: 0x60) + GuestSetup.interrupt(41, priority: 0xA0)
        scenario.calls = calls.actions
        scenario.finalObservations = [.active(40, vcpu: 0), .active(41, vcpu: 0)]
        return scenario
    }

    @Sendable static func checkDeferred(_ outcome: GuestOutcome, _ context: GuestCheckContext) -> Outcome {
        var checks = GuestChecks()
        let trace = outcome.trace
        checks.expectCompleted(outcome)
        checks.expect("acknowledged", trace.acknowledged(by: 0), [40, 41])
        checks.expect("active 40, 41 before and after the DIRs", trace.values(.active, of: 0), [1, 1, 0, 0])
        checks.expect("AP1R0 with both dropped", trace.values(.activePriorities, of: 0), [0])
        checks.expect("RPR with both dropped", trace.values(.runningPriority, of: 0), [0xFF])
        checks.expect("HPPIR1, IAR1 at the end", trace.values(.highestPending, of: 0) + trace.values(.observed, of: 0), [1023, 1023])
        checks.expect("final active", outcome.final, [.observed(0), .observed(0)])
        return checks.verdict("EOImode 1: two interrupts dropped and active at once, deactivated by DIR")
    }

    /// EOImode 1: an edge SPI acknowledged and EOIed, then asserted again while still active.
    /// Polling IAR1 gives up (an active+pending interrupt is not signalled, HPPIR1 1023); after
    /// the DIR it is acknowledged again.
    @Sendable static func blocksRedelivery() throws(GuestProgramError) -> GuestScenario {
        let intid: UInt32 = 40
        var calls = HostCalls()
        var main = GuestScript()
        main.setEOIMode1()
        main.host(calls.call(.spiLine(intid, level: true)))
        main.takeInterrupts()
        main.host(calls.call(.spiLine(intid, level: true)))
        main.pollAcknowledge(attempts: 100)
        main.observe(.iccHPPIR1, as: .highestPending)
        main.observeBit(offset: 0x200, intid: intid, as: .pending)
        main.append(.write(.iccDIR, .immediate(UInt64(intid))))
        main.pollAcknowledge(attempts: 100)
        main.complete(eoiMode1: true)
        main.observeNothingPending()
        main.finish()

        var handler = GuestScript()
        handler.acknowledge()
        handler.endOfInterrupt()
        handler.append(.end)

        return try .oneVCPU(main: main, handler: handler, calls: calls, setup: GuestSetup.interrupt(intid, priority: priority), observing: [intid])
    }

    @Sendable static func checkBlocksRedelivery(_ outcome: GuestOutcome, _ context: GuestCheckContext) -> Outcome {
        var checks = GuestChecks()
        let trace = outcome.trace
        checks.expectCompleted(outcome)
        checks.expect("acknowledged (handler, then the poll after DIR)", trace.acknowledgementPrograms(of: 0), ["irq:40", "main:40"])
        checks.expect("polls that gave up", trace.giveUps(of: 0), 1)
        checks.expect("HPPIR1 while active and pending, at the end", trace.values(.highestPending, of: 0), [1023, 1023])
        checks.expect("pending while active", trace.values(.pending, of: 0), [1])
        checks.expect("IAR1 at the end", trace.values(.observed, of: 0), [1023])
        checks.expect("final active, latch", outcome.final, [.observed(0), .observed(0)])
        return checks.verdict("EOImode 1: re-asserted while dropped but active, delivered only after DIR")
    }

    /// EOImode 1 with a level SPI whose line the handler has lowered before its EOIR and DIR:
    /// delivered once, not pending after the drop, inactive after DIR.
    @Sendable static func level() throws(GuestProgramError) -> GuestScenario {
        let intid: UInt32 = 42
        var calls = HostCalls()
        var main = GuestScript()
        main.setEOIMode1()
        main.host(calls.call(.spiLine(intid, level: true)))
        main.takeInterrupts()
        main.observeNothingPending()
        main.finish()

        var handler = GuestScript()
        handler.acknowledge()
        handler.remember(in: 0)
        handler.host(calls.call(.operandLine(level: false)), .variable(0))
        handler.recall(0)
        handler.endOfInterrupt()
        handler.observeBit(offset: 0x200, ofVariable: 0, as: .pending)
        handler.observeBit(offset: 0x300, ofVariable: 0, as: .active)
        handler.recall(0)
        handler.deactivate()
        handler.observeBit(offset: 0x300, ofVariable: 0, as: .active)
        handler.append(.end)

        var scenario = GuestScenario(vcpuCount: 1, programs: [GuestPrograms(main: try main.program(), irq: try handler.program())])
        scenario.setup = GuestSetup.standard(vcpus: 1) + GuestSetup.interrupt(intid, priority: priority, edge: false)
        scenario.calls = calls.actions
        scenario.finalObservations = [.active(intid, vcpu: 0), .latch(intid, vcpu: 0), .line(intid, vcpu: 0)]
        return scenario
    }

    @Sendable static func checkLevel(_ outcome: GuestOutcome, _ context: GuestCheckContext) -> Outcome {
        var checks = GuestChecks()
        let trace = outcome.trace
        checks.expectCompleted(outcome)
        checks.expect("acknowledged", trace.acknowledged(by: 0), [42])
        checks.expect("pending after the drop", trace.values(.pending, of: 0), [0])
        checks.expect("active after EOIR, after DIR", trace.values(.active, of: 0), [1, 0])
        checks.expect("HPPIR1, IAR1 at the end", trace.values(.highestPending, of: 0) + trace.values(.observed, of: 0), [1023, 1023])
        checks.expect("final active, latch, line", outcome.final, [.observed(0), .observed(0), .observed(0)])
        return checks.verdict("EOImode 1, level: lowered, dropped, deactivated, delivered once")
    }
}
