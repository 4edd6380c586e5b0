import GICModel
import GICVocabulary
import GuestHarness

/// Preemption, two ways.
///
/// Nested handlers (`ladder_*`): each handler acknowledges, asks the host to inject the next
/// INTID, whose priority is one step higher, and opens its IRQ window, so the next one preempts
/// it and runs nested; the innermost returns first and every handler EOIs its own INTID (the
/// accumulator survives the nested handler). 3 levels, then 8, 16 and 31 — more interrupts
/// active at once than the host's 4 list registers.
///
/// Polling (`poll_*`, the kernel selftest's `test_inject_preemption`): interrupts masked
/// throughout, each INTID injected and then acknowledged by polling IAR1 (bounded), each of
/// higher priority than the last; then EOIs in reverse order and, in EOImode 1, DIRs in
/// acknowledge order. 16 SGIs (host ISPENDR), the 16 PPIs minus the timer PPIs 26, 27, 28, 30
/// (lines raised, lowered after the acknowledge), 31 SPIs (edges).
///
/// On 6.12, once as many interrupts are active as there are list registers, the next pending
/// one gets no list register (`vgic_irq_cmp` sorts actives first) and IAR1 reads 1023 until
/// the guest deactivates one and KVM refills the list registers at an exit. The ladder then
/// never nests deeper than the 4 list registers: each handler reads its active bit right after
/// its EOI (a trapped access), so the refill comes at a fixed point and the waiting interrupt
/// preempts the handler below at depth 4. The poll stops injecting at its first give-up,
/// completes what it acknowledged and then takes the one left pending.
/// 7.x delivers past the list registers (`KernelBehaviour.deliversPastActiveListRegisters`).
extension GuestCatalog {
    static var preemption: [GuestCase] {
        GuestPreemptionScenarios.ladders.map { row in
            GuestCase("guest.preemption.\(row.name)", build: { () throws(GuestProgramError) in
                try GuestPreemptionScenarios.ladder(row)
            }) { outcome, context in GuestPreemptionScenarios.checkLadder(row, outcome, context) }
        } + GuestPreemptionScenarios.polls.map { row in
            GuestCase("guest.preemption.\(row.name)", build: { () throws(GuestProgramError) in
                try GuestPreemptionScenarios.poll(row)
            }) { outcome, context in GuestPreemptionScenarios.checkPoll(row, outcome, context) }
        }
    }
}

enum GuestPreemptionScenarios {
    // MARK: Nested handlers

    struct Ladder: Sendable {
        let name: String
        /// SPIs first..<first + levels; INTID first + i has priority (levels − 1 − i) × 8.
        let first: UInt32
        let levels: Int

        var intids: [UInt32] { (0..<levels).map { first + UInt32($0) } }
        func priority(_ index: Int) -> UInt8 { UInt8((levels - 1 - index) * 8) }
    }

    static let ladders: [Ladder] = [
        Ladder(name: "nested_depth3", first: 40, levels: 3),
        Ladder(name: "ladder_8", first: 32, levels: 8),
        Ladder(name: "ladder_16", first: 32, levels: 16),
        Ladder(name: "ladder_31", first: 32, levels: 31),
    ]

    static func ladder(_ row: Ladder) throws(GuestProgramError) -> GuestScenario {
        let last = row.intids[row.levels - 1]
        var calls = HostCalls()
        var main = GuestScript()
        main.host(calls.call(.spiLine(row.first, level: true)))
        main.takeInterrupts(until: 2, reaches: UInt64(row.levels))
        main.observe(.iccAP1R0, as: .activePriorities)
        main.observeNothingPending()
        main.finish()

        var handler = GuestScript()
        let window = handler.label()
        handler.acknowledge()
        handler.remember(in: 0)
        handler.append(.increment(variable: 2))
        handler.observe(.iccRPR, as: .runningPriority)
        handler.recall(0)
        handler.append(.jumpIf(.equal, .immediate(UInt64(last)), window))
        handler.append(.add(.immediate(1)))
        handler.append(.store(variable: 1, .accumulator))
        handler.host(calls.call(.operandLine(level: true)), .variable(1))
        handler.bind(window)
        handler.recall(0)
        handler.takeInterrupts()
        handler.append(.log(.marker, .accumulator))
        handler.endOfInterrupt()
        // A trapped read right after the EOI: KVM refills the list registers at this fixed
        // point, not whenever an unrelated exit happens to come (which on 6.12 decides where a
        // waiting interrupt is taken).
        handler.append(.readBit(offset: 0x300, intid: .accumulator))
        handler.append(.log(.active, .accumulator))
        handler.append(.end)

        var scenario = GuestScenario(vcpuCount: 1, programs: [GuestPrograms(main: try main.program(), irq: try handler.program())])
        scenario.setup = GuestSetup.standard(vcpus: 1)
            + row.intids.enumerated().flatMap { GuestSetup.interrupt($0.element, priority: row.priority($0.offset)) }
        scenario.calls = calls.actions
        scenario.finalObservations = row.intids.map { HostObservation.active($0, vcpu: 0) } + [.systemRegister(.iccAP1R0, vcpu: 0)]
        return scenario
    }

    /// The depth each level is taken at. 7.x: level i at depth i + 1. 6.12: never deeper than
    /// the list registers. Once `lrs` handlers are active, the next injected interrupt waits
    /// outside them until the innermost handler's EOI; the refill at its trapped read puts it in
    /// the freed list register and it preempts the handler below as soon as that one's IRQ
    /// window reopens (on the return), at depth `lrs` again.
    static func ladderDepths(levels: Int, kernel: KernelBehaviour, listRegisters lrs: Int = GuestHost.listRegisters) -> [UInt8] {
        (0..<levels).map { index in
            kernel.deliversPastActiveListRegisters ? UInt8(index + 1) : UInt8(min(index + 1, lrs))
        }
    }

    /// The order of the EOIs for a nesting given by the depth of each acknowledgement: a new
    /// acknowledgement at depth d comes after every open handler at depth d or deeper has ended.
    static func endOrder(_ intids: [UInt32], depths: [UInt8]) -> [UInt32] {
        var open: [UInt32] = []
        var ended: [UInt32] = []
        for (intid, depth) in zip(intids, depths) {
            while open.count >= Int(depth), let innermost = open.popLast() { ended.append(innermost) }
            open.append(intid)
        }
        ended.append(contentsOf: open.reversed())
        return ended
    }

    static func checkLadder(_ row: Ladder, _ outcome: GuestOutcome, _ context: GuestCheckContext) -> Outcome {
        var checks = GuestChecks()
        let trace = outcome.trace
        let depths = ladderDepths(levels: row.levels, kernel: context.kernel)
        checks.expectCompleted(outcome)
        checks.expect("acknowledged", trace.acknowledged(by: 0), row.intids)
        checks.expect("handler depths", trace.acknowledgementDepths(of: 0), depths)
        checks.expect("RPR in each handler", trace.values(.runningPriority, of: 0), (0..<row.levels).map { UInt64(row.priority($0)) })
        checks.expect("EOI order", trace.values(.marker, of: 0), endOrder(row.intids, depths: depths).map { UInt64($0) })
        checks.expect("active after each EOI", trace.values(.active, of: 0), [UInt64](repeating: 0, count: row.levels))
        checks.expect("windows that closed short", trace.giveUps(of: 0), 0)
        checks.expect("AP1R0, HPPIR1, IAR1 at the end",
            trace.values(.activePriorities, of: 0) + trace.values(.highestPending, of: 0) + trace.values(.observed, of: 0), [0, 1023, 1023])
        checks.expect("final active, AP1R0", outcome.final, [HostResult](repeating: .observed(0), count: row.levels + 1))
        let deepest = depths.max() ?? 0
        return checks.verdict("\(row.levels) levels, nested \(deepest) deep")
    }

    // MARK: Polling

    enum Class: Sendable {
        /// SGIs made pending through the attribute interface (host ISPENDR).
        case sgi
        /// PPI lines raised with `KVM_IRQ_LINE`, lowered after the acknowledge.
        case ppi
        /// SPI edges with `KVM_IRQ_LINE`.
        case spi
    }

    struct Poll: Sendable {
        let name: String
        let kind: Class
        let eoiMode1: Bool

        /// The INTIDs in injection order, each of higher priority than the one before.
        var intids: [UInt32] {
            switch kind {
            case .sgi: return Array(0..<UInt32(16))
            case .ppi: return (16..<UInt32(32)).filter { ![26, 27, 28, 30].contains($0) }
            case .spi: return Array(32..<UInt32(63))
            }
        }

        /// The selftest's priorities: over the whole range first + i at (count − 1 − i) × 8,
        /// excluded INTIDs keeping their slot.
        var range: (first: UInt32, count: Int) {
            switch kind {
            case .sgi: return (0, 16)
            case .ppi: return (16, 16)
            case .spi: return (32, 31)
            }
        }

        func priority(_ intid: UInt32) -> UInt8 { UInt8((range.count - 1 - Int(intid - range.first)) * 8) }
        var level: Bool { kind == .ppi }
    }

    static let polls: [Poll] = [
        Poll(name: "poll_sgi16.eoimode0", kind: .sgi, eoiMode1: false),
        Poll(name: "poll_sgi16.eoimode1", kind: .sgi, eoiMode1: true),
        Poll(name: "poll_ppi12.eoimode0", kind: .ppi, eoiMode1: false),
        Poll(name: "poll_ppi12.eoimode1", kind: .ppi, eoiMode1: true),
        Poll(name: "poll_spi31.eoimode0", kind: .spi, eoiMode1: false),
        Poll(name: "poll_spi31.eoimode1", kind: .spi, eoiMode1: true),
    ]

    /// Variable 3 counts the acknowledged INTIDs (the EOI and DIR phases complete only those).
    static func poll(_ row: Poll) throws(GuestProgramError) -> GuestScenario {
        let intids = row.intids
        var calls = HostCalls()
        let lower = calls.call(.operandLine(level: false))
        var main = GuestScript()
        let stopped = main.label()
        if row.eoiMode1 { main.setEOIMode1() }
        main.append(.store(variable: 3, .immediate(0)))
        for intid in intids {
            let inject: HostAction
            switch row.kind {
            case .sgi: inject = .setPending(intid, vcpu: 0)
            case .ppi: inject = .ppiLine(intid, vcpu: 0, level: true)
            case .spi: inject = .spiLine(intid, level: true)
            }
            main.host(calls.call(inject))
            main.pollAcknowledge(attempts: 200)
            main.append(.jumpIf(.equal, .immediate(1023), stopped))
            if row.level { main.host(lower, .accumulator) }
            main.append(.increment(variable: 3))
        }
        main.bind(stopped)
        // EOIs in reverse order, then (EOImode 1) DIRs in acknowledge order, of those acknowledged.
        for (index, intid) in intids.enumerated().reversed() {
            let skip = main.label()
            main.append(.set(.variable(3)))
            main.append(.jumpIf(.below, .immediate(UInt64(index + 1)), skip))
            main.append(.write(.iccEOIR1, .immediate(UInt64(intid))))
            main.bind(skip)
        }
        if row.eoiMode1 {
            // Between the priority drops and the DIRs: which are still active.
            for intid in intids { main.observeBit(offset: 0x300, intid: intid, as: .active) }
            for (index, intid) in intids.enumerated() {
                let skip = main.label()
                main.append(.set(.variable(3)))
                main.append(.jumpIf(.below, .immediate(UInt64(index + 1)), skip))
                main.append(.write(.iccDIR, .immediate(UInt64(intid))))
                main.bind(skip)
            }
        }
        // What the poll could not take: logged as observed and completed.
        let none = main.label()
        main.observe(.iccIAR1)
        main.append(.jumpIf(.equal, .immediate(1023), none))
        if row.level { main.host(lower, .accumulator) }
        main.complete(eoiMode1: row.eoiMode1)
        main.bind(none)
        main.observe(.iccAP1R0, as: .activePriorities)
        main.observe(.iccRPR, as: .runningPriority)
        for intid in intids { main.observeBit(offset: 0x300, intid: intid, as: .active) }
        main.observeNothingPending()
        main.finish()

        var scenario = GuestScenario(vcpuCount: 1, programs: [GuestPrograms(main: try main.program())])
        scenario.setup = GuestSetup.standard(vcpus: 1) + intids.flatMap { GuestSetup.interrupt($0, priority: row.priority($0)) }
        scenario.calls = calls.actions
        scenario.finalObservations = intids.map { HostObservation.active($0, vcpu: 0) } + [.systemRegister(.iccAP1R0, vcpu: 0)]
        return scenario
    }

    /// EOImode 1: which of the acknowledged INTIDs are still active after every EOIR, before any
    /// DIR. Architecturally all of them. 6.12: all (it held only as many as it has list
    /// registers). 7.x: only those in the list registers (the `lrs` most urgent); each EOIR of
    /// one outside them missed the list registers, QEMU counted it in EOIcount regardless of
    /// EOImode, and KVM's fold deactivated the next active interrupt after the last list
    /// register's, which in priority order is the one just EOIed
    /// (`KernelBehaviour.eoiOutsideListRegistersDeactivatesInEOIMode1`).
    static func droppedButActive(count: Int, taken: Int, _ kernel: KernelBehaviour) -> [UInt64] {
        (0..<count).map { index in
            guard index < taken else { return 0 }
            if kernel.eoiOutsideListRegistersDeactivatesInEOIMode1 { return index >= taken - GuestHost.listRegisters ? 1 : 0 }
            return 1
        }
    }

    static func checkPoll(_ row: Poll, _ outcome: GuestOutcome, _ context: GuestCheckContext) -> Outcome {
        var checks = GuestChecks()
        let trace = outcome.trace
        let intids = row.intids
        let past = context.kernel.deliversPastActiveListRegisters
        let taken = past ? intids.count : min(GuestHost.listRegisters, intids.count)
        checks.expectCompleted(outcome)
        checks.expect("acknowledged by the polls", trace.acknowledged(by: 0), Array(intids.prefix(taken)))
        checks.expect("polls that gave up", trace.giveUps(of: 0), taken < intids.count ? 1 : 0)
        // The one left pending, taken after the list registers drained; then IAR1 at the end.
        let leftover: [UInt64] = taken < intids.count ? [UInt64(intids[taken])] : [1023]
        checks.expect("IAR1 after the EOIs, at the end", trace.values(.observed, of: 0), leftover + [1023])
        checks.expect("AP1R0, RPR after the EOIs", trace.values(.activePriorities, of: 0) + trace.values(.runningPriority, of: 0), [0, 0xFF])
        var active = [UInt64](repeating: 0, count: intids.count)
        if row.eoiMode1 { active = droppedButActive(count: intids.count, taken: taken, context.kernel) + active }
        checks.expect(row.eoiMode1 ? "active after the EOIRs, after the DIRs" : "active after the EOIs", trace.values(.active, of: 0), active)
        checks.expect("HPPIR1 at the end", trace.values(.highestPending, of: 0), [1023])
        checks.expect("final active, AP1R0", outcome.final, [HostResult](repeating: .observed(0), count: intids.count + 1))
        if past { return checks.verdict("all \(intids.count) acknowledged by polling, each preempting the last") }
        return checks.verdict("\(taken) of \(intids.count) acknowledged before the list registers ran out; the next one after the EOIs")
    }
}
