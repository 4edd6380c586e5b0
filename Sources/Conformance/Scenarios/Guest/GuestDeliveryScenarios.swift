import GICVocabulary
import GuestHarness
import VGIC

/// Delivery by every injection method and interrupt class, as the guest sees it: one interrupt
/// is injected, the guest takes it in its IRQ handler exactly once (for a level interrupt the
/// handler asks the host to lower the line first, the resample flow), IAR1 then reads 1023,
/// and afterwards the attribute interface shows it neither active nor pending.
///
/// Each row also times injection to acknowledge in guest counter ticks: the guest reads
/// CNTVCT_EL0 before asking for the injection and again first thing in its handler.
extension GuestCatalog {
    static var delivery: [GuestCase] {
        GuestDeliveryScenarios.rows.map { row in
            var guestCase = GuestCase("guest.delivery.\(row.name)", build: { () throws(GuestProgramError) in
                try GuestDeliveryScenarios.scenario(row)
            }) { outcome, _ in GuestDeliveryScenarios.check(row, outcome) }
            guestCase.figures = { outcome in
                let ticks = outcome.trace.values(.ticks, of: 0)
                guard ticks.count == 2, ticks[1] >= ticks[0] else { return [] }
                return [Figure(name: "inject_to_ack_ticks", value: Int64(ticks[1] - ticks[0]), unit: "ticks")]
            }
            return guestCase
        }
    }
}

enum GuestDeliveryScenarios {
    /// How the interrupt is made pending.
    enum Method: Sendable {
        /// `KVM_IRQ_LINE` (an edge, or the line raised).
        case irqLine
        /// The pending latch through the attribute interface (uaccess ISPENDR).
        case uaccessPending
        /// The line through LEVEL_INFO.
        case levelInfo
        /// The guest writes the ISPENDR bit (GICD for SPIs, its GICR for private INTIDs).
        case guestPending
        /// The guest writes ICC_SGI1R_EL1 targeting itself.
        case sgiToSelf
    }

    struct Row: Sendable {
        let name: String
        let intid: UInt32
        let edge: Bool
        let method: Method
    }

    /// SPI 40 and PPI 23 and SGI 5, edge and level, by every method that applies to them (PPIs
    /// are level in KVM; SGIs edge).
    static let rows: [Row] = [
        Row(name: "spi_edge.irq_line", intid: 40, edge: true, method: .irqLine),
        Row(name: "spi_level.irq_line", intid: 40, edge: false, method: .irqLine),
        Row(name: "ppi_level.irq_line", intid: 23, edge: false, method: .irqLine),
        Row(name: "spi_edge.uaccess_ispendr", intid: 41, edge: true, method: .uaccessPending),
        Row(name: "spi_level.uaccess_ispendr", intid: 41, edge: false, method: .uaccessPending),
        Row(name: "ppi_level.uaccess_ispendr", intid: 22, edge: false, method: .uaccessPending),
        Row(name: "sgi.uaccess_ispendr", intid: 5, edge: true, method: .uaccessPending),
        Row(name: "spi_level.level_info", intid: 42, edge: false, method: .levelInfo),
        Row(name: "ppi_level.level_info", intid: 21, edge: false, method: .levelInfo),
        Row(name: "spi_edge.guest_ispendr", intid: 43, edge: true, method: .guestPending),
        Row(name: "spi_level.guest_ispendr", intid: 43, edge: false, method: .guestPending),
        Row(name: "ppi_level.guest_ispendr", intid: 20, edge: false, method: .guestPending),
        Row(name: "sgi.guest_ispendr", intid: 6, edge: true, method: .guestPending),
        Row(name: "sgi.icc_sgi1r_self", intid: 7, edge: true, method: .sgiToSelf),
    ]

    /// The scenario of one row.
    static func scenario(_ row: Row) throws(GuestProgramError) -> GuestScenario {
        var calls = HostCalls()
        let level = !row.edge
        var main = GuestScript()
        main.observe(.cntvct, as: .ticks)
        switch row.method {
        case .irqLine:
            main.host(calls.call(row.intid < 32
                ? .ppiLine(row.intid, vcpu: 0, level: true) : .spiLine(row.intid, level: true)))
        case .uaccessPending:
            main.host(calls.call(.setPending(row.intid, vcpu: 0)))
        case .levelInfo:
            main.host(calls.call(.setLineLevel(row.intid, vcpu: 0, level: true)))
        case .guestPending:
            main.append(.writeBit(offset: 0x200, intid: .immediate(UInt64(row.intid))))
        case .sgiToSelf:
            // ICC_SGI1R_EL1: INTID 27:24, Aff3/2/1 of this vCPU (0 for vCPU 0), target list bit 0.
            main.append(.write(.iccSGI1R, .immediate(UInt64(row.intid) << 24 | 1)))
        }
        main.takeInterrupts()
        main.observe(.iccIAR1)
        main.finish()

        var handler = GuestScript()
        handler.observe(.cntvct, as: .ticks)
        handler.acknowledge()
        handler.remember(in: 0)
        if level && row.method == .levelInfo {
            handler.host(calls.call(.setLineLevel(row.intid, vcpu: 0, level: false)))
        } else if level && row.method == .irqLine {
            handler.host(calls.call(.operandLine(level: false)), .variable(0))
        }
        handler.recall(0)
        handler.endOfInterrupt()
        handler.append(.end)

        var scenario = GuestScenario(
            vcpuCount: 1, programs: [GuestPrograms(main: try main.program(), irq: try handler.program())])
        scenario.setup = GuestSetup.standard(vcpus: 1) + GuestSetup.interrupt(row.intid, priority: 0x80, edge: row.edge)
        scenario.calls = calls.actions
        scenario.finalObservations = [.active(row.intid, vcpu: 0), .latch(row.intid, vcpu: 0), .line(row.intid, vcpu: 0)]
        return scenario
    }

    static func check(_ row: Row, _ outcome: GuestOutcome) -> Outcome {
        var checks = GuestChecks()
        checks.expectCompleted(outcome)
        checks.expect("acknowledged", outcome.trace.acknowledged(by: 0), [row.intid])
        checks.expect("IAR1 after the handler", outcome.trace.values(.observed, of: 0), [1023])
        checks.expect("final active, latch, line", outcome.final, [.observed(0), .observed(0), .observed(0)])
        return checks.verdict("INTID \(row.intid) delivered once")
    }
}
