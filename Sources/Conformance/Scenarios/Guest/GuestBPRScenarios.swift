import GICVocabulary
import GuestHarness

/// The binary point as the guest sees it: an interrupt preempts a handled one only if its
/// group priority (the priority bits above ICC_BPR1_EL1's point) is higher. Two priorities in
/// the same group priority do not preempt; with a smaller BPR1 they do.
///
/// The guest writes BPR1, takes interrupt A, and in A's handler has the host inject B and opens
/// its IRQ window: B is acknowledged at depth 2 if it preempts, else at depth 1 after A's EOI.
/// Each handler logs RPR and AP1R0, which hold the group priority only (QEMU's
/// `icv_activate_irq` sets the APR bit of `priority & mask`; with 5 preemption bits group
/// priority n << 3 is APR bit n, and for Group 1 the mask is `~0 << BPR1`).
extension GuestCatalog {
    static var bpr: [GuestCase] {
        GuestBPRScenarios.rows.map { row in
            GuestCase("guest.bpr.\(row.name)", build: { () throws(GuestProgramError) in
                try GuestBPRScenarios.scenario(row)
            }) { outcome, _ in GuestBPRScenarios.check(row, outcome) }
        }
    }
}

enum GuestBPRScenarios {
    struct Row: Sendable {
        let name: String
        /// ICC_BPR1_EL1 (3 is the minimum with 5 preemption bits).
        let binaryPoint: UInt8
        /// The first interrupt's priority and the later one's.
        let first: UInt8
        let second: UInt8

        /// The group-priority mask of Group 1 (`icv_gprio_mask`: `~0 << BPR1`).
        var mask: UInt8 { UInt8(truncatingIfNeeded: 0xFF << UInt32(binaryPoint)) }
        var preempts: Bool { second & mask < first & mask }
    }

    static let firstINTID: UInt32 = 40
    static let secondINTID: UInt32 = 41

    static let rows: [Row] = [
        Row(name: "bpr1_4.same_group_priority", binaryPoint: 4, first: 0x88, second: 0x80),
        Row(name: "bpr1_3.preempts", binaryPoint: 3, first: 0x88, second: 0x80),
        Row(name: "bpr1_7.same_group_priority", binaryPoint: 7, first: 0x40, second: 0x00),
        Row(name: "bpr1_7.preempts", binaryPoint: 7, first: 0x88, second: 0x00),
    ]

    static func scenario(_ row: Row) throws(GuestProgramError) -> GuestScenario {
        var calls = HostCalls()
        var main = GuestScript()
        main.append(.write(.iccBPR1, .immediate(UInt64(row.binaryPoint))))
        main.append(.read(.iccBPR1))
        main.append(.log(.marker, .accumulator))
        main.host(calls.call(.spiLine(firstINTID, level: true)))
        main.takeInterrupts()
        main.observeNothingPending()
        main.finish()

        var handler = GuestScript()
        let window = handler.label()
        handler.acknowledge()
        handler.remember(in: 0)
        handler.observe(.iccRPR, as: .runningPriority)
        handler.observe(.iccAP1R0, as: .activePriorities)
        handler.recall(0)
        handler.append(.jumpIf(.notEqual, .immediate(UInt64(firstINTID)), window))
        handler.host(calls.call(.spiLine(secondINTID, level: true)))
        handler.bind(window)
        // The accumulator (this handler's INTID) survives a nested handler; variable 0 may not.
        handler.recall(0)
        handler.takeInterrupts()
        handler.endOfInterrupt()
        handler.append(.end)

        var scenario = GuestScenario(vcpuCount: 1, programs: [GuestPrograms(main: try main.program(), irq: try handler.program())])
        scenario.setup = GuestSetup.standard(vcpus: 1) + GuestSetup.interrupt(firstINTID, priority: row.first)
            + GuestSetup.interrupt(secondINTID, priority: row.second)
        scenario.calls = calls.actions
        scenario.finalObservations = [.active(firstINTID, vcpu: 0), .active(secondINTID, vcpu: 0), .systemRegister(.iccBPR1, vcpu: 0)]
        return scenario
    }

    static func check(_ row: Row, _ outcome: GuestOutcome) -> Outcome {
        var checks = GuestChecks()
        let trace = outcome.trace
        let first = row.first & row.mask
        let second = row.second & row.mask
        checks.expectCompleted(outcome)
        checks.expect("BPR1 read back", trace.values(.marker, of: 0), [UInt64(row.binaryPoint)])
        checks.expect("acknowledged", trace.acknowledged(by: 0), [firstINTID, secondINTID])
        checks.expect("handler depths", trace.acknowledgementDepths(of: 0), row.preempts ? [1, 2] : [1, 1])
        checks.expect("RPR in each handler (group priority)", trace.values(.runningPriority, of: 0), [UInt64(first), UInt64(second)])
        let secondAPR = GuestHost.activePriorityBit(second) | (row.preempts ? GuestHost.activePriorityBit(first) : 0)
        checks.expect("AP1R0 in each handler", trace.values(.activePriorities, of: 0), [GuestHost.activePriorityBit(first), secondAPR])
        checks.expect("HPPIR1, IAR1 at the end", trace.values(.highestPending, of: 0) + trace.values(.observed, of: 0), [1023, 1023])
        checks.expect("final active, BPR1", outcome.final, [.observed(0), .observed(0), .observed(UInt64(row.binaryPoint))])
        let verdict = row.preempts ? "preempts" : "does not preempt"
        return checks.verdict("BPR1 \(row.binaryPoint): \(hex(row.second)) \(verdict) \(hex(row.first))")
    }
}
