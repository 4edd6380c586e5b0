import GICModel
import GICVocabulary
import GuestHarness

/// Active interrupts restored as after a migration (the kernel selftest's
/// `guest_restore_active`): before the guest runs, the host sets each interrupt's priority,
/// its active state (uaccess ISACTIVER, in INTID order) and ICC_AP1R0_EL1 with the bit of each
/// priority (and, for EOImode 1, ICC_CTLR_EL1.EOImode). INTID i of n has priority
/// (n − 1 − i) × 8, so the last is the most urgent. The guest then drains them highest
/// priority first: EOIR (and DIR in EOImode 1) each, and reads every active bit, AP1R0 and
/// IAR1.
///
/// 7.x deactivates them all. 6.12 keeps the active interrupts in the list registers in the
/// order they were queued and never moves them out, so of more than 4 only the first 4 queued
/// (the 4 lowest INTIDs) can be deactivated: the EOIs of the others drop their priority but
/// hit no list register, and QEMU's EOIcount bump is discarded, so they stay active
/// (`KernelBehaviour.deactivatesOutsideListRegisters`).
extension GuestCatalog {
    static var restoreActive: [GuestCase] {
        GuestRestoreActiveScenarios.rows.map { row in
            GuestCase("guest.restore_active.\(row.name)", build: { () throws(GuestProgramError) in
                try GuestRestoreActiveScenarios.scenario(row)
            }) { outcome, context in GuestRestoreActiveScenarios.check(row, outcome, context) }
        }
    }
}

enum GuestRestoreActiveScenarios {
    struct Row: Sendable {
        let name: String
        let first: UInt32
        let count: Int
        let eoiMode1: Bool

        var intids: [UInt32] { (0..<count).map { first + UInt32($0) } }
        func priority(_ index: Int) -> UInt8 { UInt8((count - 1 - index) * 8) }
        /// ICC_AP1R0_EL1 with each priority's bit: bits 0..<count.
        var activePriorities: UInt64 { (UInt64(1) << UInt64(count)) - 1 }
    }

    static let rows: [Row] = [
        Row(name: "spi_4.eoimode0", first: 32, count: 4, eoiMode1: false),
        Row(name: "spi_4.eoimode1", first: 32, count: 4, eoiMode1: true),
        Row(name: "sgi_16.eoimode0", first: 0, count: 16, eoiMode1: false),
        Row(name: "spi_31.eoimode0", first: 32, count: 31, eoiMode1: false),
        Row(name: "spi_31.eoimode1", first: 32, count: 31, eoiMode1: true),
    ]

    static func scenario(_ row: Row) throws(GuestProgramError) -> GuestScenario {
        var main = GuestScript()
        for intid in row.intids.reversed() {
            main.append(.write(.iccEOIR1, .immediate(UInt64(intid))))
            if row.eoiMode1 { main.append(.write(.iccDIR, .immediate(UInt64(intid)))) }
        }
        for intid in row.intids { main.observeBit(offset: 0x300, intid: intid, as: .active) }
        main.observe(.iccAP1R0, as: .activePriorities)
        main.observe(.iccRPR, as: .runningPriority)
        main.observeNothingPending()
        main.finish()

        var scenario = GuestScenario(vcpuCount: 1, programs: [GuestPrograms(main: try main.program())])
        var setup = GuestSetup.standard(vcpus: 1)
        for (index, intid) in row.intids.enumerated() { setup += GuestSetup.interrupt(intid, priority: row.priority(index)) }
        for intid in row.intids { setup.append(.setActive(intid, vcpu: 0)) }
        if row.eoiMode1 { setup.append(.modifySystemRegister(.iccCTLR, vcpu: 0, set: 2, clear: 0)) }
        setup.append(.setSystemRegister(.iccAP1R0, vcpu: 0, row.activePriorities))
        scenario.setup = setup
        scenario.finalObservations = row.intids.map { HostObservation.active($0, vcpu: 0) } + [.systemRegister(.iccAP1R0, vcpu: 0)]
        return scenario
    }

    /// The active state each INTID ends in: 7.x none; 6.12 all but the first 4 queued.
    static func remaining(_ row: Row, _ kernel: KernelBehaviour) -> [UInt64] {
        row.intids.indices.map { index in
            kernel.deactivatesOutsideListRegisters || index < GuestHost.listRegisters ? 0 : 1
        }
    }

    static func check(_ row: Row, _ outcome: GuestOutcome, _ context: GuestCheckContext) -> Outcome {
        var checks = GuestChecks()
        let trace = outcome.trace
        let remaining = remaining(row, context.kernel)
        checks.expectCompleted(outcome)
        checks.expect("acknowledged", trace.acknowledged(by: 0), [])
        checks.expect("active after the drain (guest)", trace.values(.active, of: 0), remaining)
        checks.expect("AP1R0, RPR after the drain", trace.values(.activePriorities, of: 0) + trace.values(.runningPriority, of: 0), [0, 0xFF])
        checks.expect("HPPIR1, IAR1 at the end", trace.values(.highestPending, of: 0) + trace.values(.observed, of: 0), [1023, 1023])
        checks.expect("final active, AP1R0", outcome.final, remaining.map { HostResult.observed($0) } + [.observed(0)])
        let stuck = remaining.filter { $0 == 1 }.count
        return checks.verdict(stuck == 0 ? "\(row.count) restored active interrupts drained" : "\(row.count) restored, \(stuck) left active outside the list registers")
    }
}
