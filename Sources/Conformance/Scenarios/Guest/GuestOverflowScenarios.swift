import GICModel
import GICVocabulary
import GuestHarness

/// More interrupts pending, or active, at once than the host's 4 list registers.
///
/// `pending_*` (EOImode 0): N SPIs of N distinct priorities made pending by one host call; the
/// guest polls IAR1 and EOIs each until a poll gives up. Each is delivered exactly once, in
/// priority order, on both lines (6.12 refills the list registers on the underflow
/// maintenance interrupt, 7.x on its NP/underflow ones).
///
/// `active_*` (EOImode 1): the same, but the guest only EOIs (priority drop), so every
/// acknowledged SPI stays active; at the first poll that gives up it DIRs those it has, in
/// acknowledge order, then drains the rest (acknowledge, EOI, DIR each). 6.12 stalls once all 4
/// list registers hold active interrupts (`KernelBehaviour.deliversPastActiveListRegisters`),
/// so its first phase ends after 4; 7.x takes all N in the first phase. Both end with each SPI
/// delivered once and everything inactive.
///
/// `list_registers` reports the host's list-register count as 6.12 shows it: how many
/// interrupts could be active before the next pending one became invisible.
extension GuestCatalog {
    static var overflow: [GuestCase] {
        GuestOverflowScenarios.rows.map { row in
            var guestCase = GuestCase("guest.overflow.\(row.name)", build: { () throws(GuestProgramError) in
                try GuestOverflowScenarios.scenario(row)
            }) { outcome, context in GuestOverflowScenarios.check(row, outcome, context) }
            guestCase.figures = { outcome in GuestOverflowScenarios.figures(row, outcome) }
            return guestCase
        }
    }
}

enum GuestOverflowScenarios {
    struct Row: Sendable {
        let name: String
        /// SPIs 32..<32 + count.
        let count: Int
        /// EOImode 1: acknowledge and EOI only, deactivate later.
        let holdActive: Bool
        /// Report the list registers as a figure.
        let reportsListRegisters: Bool

        var intids: [UInt32] { (0..<count).map { 32 + UInt32($0) } }
        /// Distinct priorities in a scrambled order: INTID 32 + k at ((7k) mod count) × 8.
        func priority(_ intid: UInt32) -> UInt8 { UInt8((Int(intid - 32) * 7 % count) * 8) }
        /// The INTIDs in priority order: the order each is acknowledged in.
        var byPriority: [UInt32] { intids.sorted { priority($0) < priority($1) } }
    }

    static let rows: [Row] = [
        Row(name: "pending_16.eoimode0", count: 16, holdActive: false, reportsListRegisters: false),
        Row(name: "pending_31.eoimode0", count: 31, holdActive: false, reportsListRegisters: false),
        Row(name: "active_16.eoimode1", count: 16, holdActive: true, reportsListRegisters: false),
        Row(name: "active_31.eoimode1", count: 31, holdActive: true, reportsListRegisters: false),
        Row(name: "list_registers", count: 8, holdActive: true, reportsListRegisters: true),
    ]

    /// Variable 3 counts the SPIs acknowledged in the first phase; it is logged as a marker when
    /// the first phase ends.
    static func scenario(_ row: Row) throws(GuestProgramError) -> GuestScenario {
        var calls = HostCalls()
        var main = GuestScript()
        if row.holdActive { main.setEOIMode1() }
        main.host(calls.call(.all(row.intids.map { HostAction.spiLine($0, level: true) })))
        main.append(.store(variable: 3, .immediate(0)))
        let first = main.label()
        let firstDone = main.label()
        main.bind(first)
        main.pollAcknowledge(attempts: 200)
        main.append(.jumpIf(.equal, .immediate(1023), firstDone))
        main.endOfInterrupt()
        main.append(.increment(variable: 3))
        main.append(.jump(first))
        main.bind(firstDone)
        main.append(.log(.marker, .variable(3)))
        if row.holdActive {
            // DIR those acknowledged, in acknowledge (priority) order.
            for (index, intid) in row.byPriority.enumerated() {
                let skip = main.label()
                main.append(.set(.variable(3)))
                main.append(.jumpIf(.below, .immediate(UInt64(index + 1)), skip))
                main.append(.write(.iccDIR, .immediate(UInt64(intid))))
                main.bind(skip)
            }
            // Then the rest, completed one by one.
            let drain = main.label()
            let drained = main.label()
            main.bind(drain)
            main.pollAcknowledge(attempts: 200)
            main.append(.jumpIf(.equal, .immediate(1023), drained))
            main.complete(eoiMode1: true)
            main.append(.jump(drain))
            main.bind(drained)
        }
        main.observe(.iccAP1R0, as: .activePriorities)
        for intid in row.intids { main.observeBit(offset: 0x300, intid: intid, as: .active) }
        main.observeNothingPending()
        main.finish()

        var scenario = GuestScenario(vcpuCount: 1, programs: [GuestPrograms(main: try main.program())])
        scenario.setup = GuestSetup.standard(vcpus: 1) + row.intids.flatMap { GuestSetup.interrupt($0, priority: row.priority($0)) }
        scenario.calls = calls.actions
        scenario.finalObservations = row.intids.flatMap { [HostObservation.active($0, vcpu: 0), .latch($0, vcpu: 0)] }
            + [.systemRegister(.iccAP1R0, vcpu: 0)]
        return scenario
    }

    /// How many the first phase acknowledges on `kernel`.
    static func firstPhase(_ row: Row, _ kernel: KernelBehaviour) -> Int {
        row.holdActive && !kernel.deliversPastActiveListRegisters ? min(GuestHost.listRegisters, row.count) : row.count
    }

    static func check(_ row: Row, _ outcome: GuestOutcome, _ context: GuestCheckContext) -> Outcome {
        var checks = GuestChecks()
        let trace = outcome.trace
        let taken = firstPhase(row, context.kernel)
        checks.expectCompleted(outcome)
        checks.expect("acknowledged (each once, by priority)", trace.acknowledged(by: 0), row.byPriority)
        checks.expect("acknowledged before the first poll gave up", trace.values(.marker, of: 0), [UInt64(taken)])
        checks.expect("polls that gave up", trace.giveUps(of: 0), row.holdActive ? 2 : 1)
        checks.expect("AP1R0 at the end", trace.values(.activePriorities, of: 0), [0])
        checks.expect("active at the end", trace.values(.active, of: 0), [UInt64](repeating: 0, count: row.count))
        checks.expect("HPPIR1, IAR1 at the end", trace.values(.highestPending, of: 0) + trace.values(.observed, of: 0), [1023, 1023])
        checks.expect("final active, latch, AP1R0", outcome.final, [HostResult](repeating: .observed(0), count: 2 * row.count + 1))
        let mode = row.holdActive ? "held active" : "pending"
        return checks.verdict("\(row.count) SPIs \(mode) at once, each delivered once; \(taken) acknowledged before a poll first gave up")
    }

    /// `list_registers`, on 6.12 only: where the first phase stalled. 7.x shows no such limit
    /// to the guest.
    static func figures(_ row: Row, _ outcome: GuestOutcome) -> [Figure] {
        guard row.reportsListRegisters, let taken = outcome.trace.values(.marker, of: 0).first, Int(taken) < row.count else {
            return []
        }
        return [Figure(name: "list_registers", value: Int64(taken), unit: "LRs")]
    }
}
