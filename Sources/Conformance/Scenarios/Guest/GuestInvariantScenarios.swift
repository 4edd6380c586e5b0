import GICVocabulary
import GuestHarness

/// What holds while the guest handles an interrupt, read by the guest itself: after the
/// acknowledge the interrupt is active (GICD_ISACTIVER / GICR_ISACTIVER0) and, for edge, not
/// pending; ICC_AP1R0_EL1 has the priority's bit and ICC_RPR_EL1 is the priority while it is
/// handled, 0 and 0xFF after the EOI; every INTID is handled exactly once; IAR1 and HPPIR1
/// read 1023 when nothing is pending.
///
/// For a level interrupt the guest's ISPENDR read is the latch OR the line (`__read_pending`):
/// a raised line reads pending until the host lowers it, and a latch the guest set itself stays
/// until the LR retires (KVM clears a level latch only when it folds an invalid LR).
extension GuestCatalog {
    static var invariants: [GuestCase] {
        GuestInvariantScenarios.rows.map { row in
            GuestCase("guest.invariants.\(row.name)", build: { () throws(GuestProgramError) in
                try GuestInvariantScenarios.scenario(row)
            }) { outcome, _ in GuestInvariantScenarios.check(row, outcome) }
        } + [
            GuestCase("guest.invariants.edge_active_and_pending", build: GuestInvariantScenarios.activeAndPending,
                check: GuestInvariantScenarios.checkActiveAndPending),
            GuestCase("guest.invariants.each_once_by_priority", build: GuestInvariantScenarios.eachOnce,
                check: GuestInvariantScenarios.checkEachOnce),
            GuestCase("guest.invariants.idle", build: GuestInvariantScenarios.idle, check: GuestInvariantScenarios.checkIdle),
        ]
    }
}

enum GuestInvariantScenarios {
    /// How the row's interrupt is made pending.
    enum Injection: Sendable {
        /// `KVM_IRQ_LINE` (an edge, or the line raised; the handler has the host lower it).
        case irqLine
        /// The guest writes the ISPENDR bit (the pending latch, also for a level interrupt).
        case guestPending
        /// The guest writes ICC_SGI1R_EL1 targeting itself.
        case sgiToSelf
    }

    struct Row: Sendable {
        let name: String
        let intid: UInt32
        let edge: Bool
        let injection: Injection

        /// A level line raised by the host, which the handler asks it to lower.
        var lowersLine: Bool { !edge && injection == .irqLine }
    }

    static let priority: UInt8 = 0x80

    static let rows: [Row] = [
        Row(name: "edge_spi", intid: 40, edge: true, injection: .irqLine),
        Row(name: "level_spi_line", intid: 41, edge: false, injection: .irqLine),
        Row(name: "level_spi_latch", intid: 42, edge: false, injection: .guestPending),
        Row(name: "level_ppi_line", intid: 23, edge: false, injection: .irqLine),
        Row(name: "sgi", intid: 3, edge: true, injection: .sgiToSelf),
    ]

    static func scenario(_ row: Row) throws(GuestProgramError) -> GuestScenario {
        var calls = HostCalls()
        var main = GuestScript()
        switch row.injection {
        case .irqLine:
            main.host(calls.call(row.intid < 32 ? .ppiLine(row.intid, vcpu: 0, level: true) : .spiLine(row.intid, level: true)))
        case .guestPending:
            main.append(.writeBit(offset: 0x200, intid: .immediate(UInt64(row.intid))))
        case .sgiToSelf:
            main.append(.write(.iccSGI1R, .immediate(UInt64(row.intid) << 24 | 1)))
        }
        main.takeInterrupts()
        main.observeNothingPending()
        main.finish()

        var handler = GuestScript()
        handler.acknowledge()
        handler.remember(in: 0)
        handler.observeBit(offset: 0x300, ofVariable: 0, as: .active)
        handler.observeBit(offset: 0x200, ofVariable: 0, as: .pending)
        handler.observe(.iccAP1R0, as: .activePriorities)
        handler.observe(.iccRPR, as: .runningPriority)
        handler.observe(.iccHPPIR1, as: .highestPending)
        if row.lowersLine {
            handler.host(calls.call(.operandLine(level: false)), .variable(0))
            handler.observeBit(offset: 0x200, ofVariable: 0, as: .pending)
        }
        handler.recall(0)
        handler.endOfInterrupt()
        handler.observe(.iccAP1R0, as: .activePriorities)
        handler.observe(.iccRPR, as: .runningPriority)
        handler.observeBit(offset: 0x300, ofVariable: 0, as: .active)
        handler.observeBit(offset: 0x200, ofVariable: 0, as: .pending)
        handler.append(.end)

        var scenario = GuestScenario(vcpuCount: 1, programs: [GuestPrograms(main: try main.program(), irq: try handler.program())])
        scenario.setup = GuestSetup.standard(vcpus: 1) + GuestSetup.interrupt(row.intid, priority: priority, edge: row.edge)
        scenario.calls = calls.actions
        scenario.finalObservations = [.active(row.intid, vcpu: 0), .latch(row.intid, vcpu: 0), .line(row.intid, vcpu: 0)]
        return scenario
    }

    static func check(_ row: Row, _ outcome: GuestOutcome) -> Outcome {
        var checks = GuestChecks()
        let trace = outcome.trace
        checks.expectCompleted(outcome)
        checks.expect("acknowledged", trace.acknowledged(by: 0), [row.intid])
        checks.expect("active while handled, after EOI", trace.values(.active, of: 0), [1, 0])
        // Edge: the latch moved into the LR at the acknowledge. Level: latch OR line, so pending
        // until the line is lowered (or, for the guest's own latch, until the LR retires).
        let pending: [UInt64] = row.edge ? [0, 0] : row.lowersLine ? [1, 0, 0] : [1, 0]
        checks.expect("pending while handled, after EOI", trace.values(.pending, of: 0), pending)
        checks.expect("AP1R0 while handled, after EOI", trace.values(.activePriorities, of: 0), [GuestHost.activePriorityBit(priority), 0])
        checks.expect("RPR while handled, after EOI", trace.values(.runningPriority, of: 0), [UInt64(priority), 0xFF])
        checks.expect("HPPIR1 in the handler, at the end", trace.values(.highestPending, of: 0), [1023, 1023])
        checks.expect("IAR1 at the end", trace.values(.observed, of: 0), [1023])
        checks.expect("final active, latch, line", outcome.final, [.observed(0), .observed(0), .observed(0)])
        return checks.verdict("INTID \(row.intid) active and \(row.edge ? "not pending" : "pending by its \(row.lowersLine ? "line" : "latch")") while handled, once")
    }

    /// An edge SPI asserted again while the guest handles it: active and pending at once, not
    /// signalled (HPPIR1 1023: an A+P list register is never the highest pending), and taken a
    /// second time after the EOI.
    @Sendable static func activeAndPending() throws(GuestProgramError) -> GuestScenario {
        let intid: UInt32 = 44
        var calls = HostCalls()
        var main = GuestScript()
        main.host(calls.call(.spiLine(intid, level: true)))
        main.takeInterrupts(until: 1, reaches: 2)
        main.observeNothingPending()
        main.finish()

        var handler = GuestScript()
        let handled = handler.label()
        handler.acknowledge()
        handler.remember(in: 0)
        handler.append(.increment(variable: 1))
        handler.append(.set(.variable(1)))
        handler.append(.jumpIf(.notEqual, .immediate(1), handled))
        handler.host(calls.call(.spiLine(intid, level: true)))
        handler.bind(handled)
        handler.observeBit(offset: 0x300, ofVariable: 0, as: .active)
        handler.observeBit(offset: 0x200, ofVariable: 0, as: .pending)
        handler.observe(.iccHPPIR1, as: .highestPending)
        handler.recall(0)
        handler.endOfInterrupt()
        handler.append(.end)

        return try .oneVCPU(main: main, handler: handler, calls: calls, setup: GuestSetup.interrupt(intid, priority: priority), observing: [intid])
    }

    @Sendable static func checkActiveAndPending(_ outcome: GuestOutcome, _ context: GuestCheckContext) -> Outcome {
        var checks = GuestChecks()
        let trace = outcome.trace
        checks.expectCompleted(outcome)
        checks.expect("acknowledged", trace.acknowledged(by: 0), [44, 44])
        checks.expect("active in each handler", trace.values(.active, of: 0), [1, 1])
        checks.expect("pending in each handler", trace.values(.pending, of: 0), [1, 0])
        checks.expect("HPPIR1 in each handler, at the end", trace.values(.highestPending, of: 0), [1023, 1023, 1023])
        checks.expect("IAR1 at the end", trace.values(.observed, of: 0), [1023])
        checks.expect("final active, latch", outcome.final, [.observed(0), .observed(0)])
        return checks.verdict("re-asserted while active: active and pending, taken again after the EOI")
    }

    /// Six SPIs of six priorities made pending at once (more than the 4 list registers): each
    /// is handled exactly once, in priority order, with RPR its priority.
    static let eachOnceRows: [(intid: UInt32, priority: UInt8)] = [
        (48, 0xA0), (49, 0x20), (50, 0x60), (51, 0x40), (52, 0xE0), (53, 0x80),
    ]

    @Sendable static func eachOnce() throws(GuestProgramError) -> GuestScenario {
        var calls = HostCalls()
        var main = GuestScript()
        main.host(calls.call(.all(eachOnceRows.map { HostAction.spiLine($0.intid, level: true) })))
        main.takeInterrupts(until: 1, reaches: UInt64(eachOnceRows.count))
        main.observeNothingPending()
        main.finish()

        var handler = GuestScript()
        handler.acknowledge()
        handler.remember(in: 0)
        handler.append(.increment(variable: 1))
        handler.observe(.iccRPR, as: .runningPriority)
        handler.recall(0)
        handler.endOfInterrupt()
        handler.append(.end)

        var scenario = GuestScenario(vcpuCount: 1, programs: [GuestPrograms(main: try main.program(), irq: try handler.program())])
        scenario.setup = GuestSetup.standard(vcpus: 1) + eachOnceRows.flatMap { GuestSetup.interrupt($0.intid, priority: $0.priority) }
        scenario.calls = calls.actions
        scenario.finalObservations = eachOnceRows.flatMap { [HostObservation.active($0.intid, vcpu: 0), .latch($0.intid, vcpu: 0)] }
        return scenario
    }

    @Sendable static func checkEachOnce(_ outcome: GuestOutcome, _ context: GuestCheckContext) -> Outcome {
        var checks = GuestChecks()
        let trace = outcome.trace
        let ordered = eachOnceRows.sorted { $0.priority < $1.priority }
        checks.expectCompleted(outcome)
        checks.expect("acknowledged", trace.acknowledged(by: 0), ordered.map { $0.intid })
        checks.expect("RPR in each handler", trace.values(.runningPriority, of: 0), ordered.map { UInt64($0.priority) })
        checks.expect("windows that closed short", trace.giveUps(of: 0), 0)
        checks.expect("HPPIR1 and IAR1 at the end", trace.values(.highestPending, of: 0) + trace.values(.observed, of: 0), [1023, 1023])
        checks.expect("final active, latch", outcome.final, [HostResult](repeating: .observed(0), count: 2 * eachOnceRows.count))
        return checks.verdict("6 SPIs pending at once, each handled once in priority order")
    }

    /// Nothing pending or active: IAR0/IAR1 and HPPIR0/HPPIR1 read 1023, RPR the idle priority
    /// 0xFF, AP0R0/AP1R0 0 (both groups enabled).
    @Sendable static func idle() throws(GuestProgramError) -> GuestScenario {
        var main = GuestScript()
        main.observe(.iccIAR1)
        main.observe(.iccIAR0)
        main.observe(.iccHPPIR1, as: .highestPending)
        main.observe(.iccHPPIR0, as: .highestPending)
        main.observe(.iccRPR, as: .runningPriority)
        main.observe(.iccAP1R0, as: .activePriorities)
        main.observe(.iccAP0R0, as: .activePriorities)
        main.finish()
        var scenario = GuestScenario(vcpuCount: 1, programs: [GuestPrograms(main: try main.program())])
        scenario.setup = GuestSetup.standard(vcpus: 1, group0: true)
        scenario.finalObservations = [.systemRegister(.iccAP1R0, vcpu: 0), .systemRegister(.iccAP0R0, vcpu: 0)]
        return scenario
    }

    @Sendable static func checkIdle(_ outcome: GuestOutcome, _ context: GuestCheckContext) -> Outcome {
        var checks = GuestChecks()
        let trace = outcome.trace
        checks.expectCompleted(outcome)
        checks.expect("acknowledged", trace.acknowledged(by: 0), [])
        checks.expect("IAR1, IAR0", trace.values(.observed, of: 0), [1023, 1023])
        checks.expect("HPPIR1, HPPIR0", trace.values(.highestPending, of: 0), [1023, 1023])
        checks.expect("RPR", trace.values(.runningPriority, of: 0), [0xFF])
        checks.expect("AP1R0, AP0R0", trace.values(.activePriorities, of: 0), [0, 0])
        checks.expect("final AP1R0, AP0R0", outcome.final, [.observed(0), .observed(0)])
        return checks.verdict("idle CPU interface: 1023, 1023, RPR 0xFF, no active priority")
    }
}
