import GICVocabulary
import GuestHarness

/// An SPI made pending while GICD_CTLR.EnableGrp1 is 0 is not queued to any vCPU
/// (`vgic_target_oracle` returns NULL while the distributor is disabled), and enabling the
/// distributor only kicks the vCPUs (`vgic_kick_vcpus`, guest write) or nothing at all
/// (uaccess write): neither walks the interrupts to queue it. So it stays pending but stranded
/// (polls give up, GICD_ISPENDR reads 1) until something queues it again: a write to its
/// ISENABLER bit (`vgic_mmio_write_senable` queues every bit written), or a new edge.
extension GuestCatalog {
    static var distributor: [GuestCase] {
        GuestDistributorScenarios.rows.map { row in
            GuestCase("guest.distributor.\(row.name)", build: { () throws(GuestProgramError) in
                try GuestDistributorScenarios.scenario(row)
            }) { outcome, _ in GuestDistributorScenarios.check(row, outcome) }
        }
    }
}

enum GuestDistributorScenarios {
    enum Enabler: Sendable {
        /// The guest writes GICD_CTLR = EnableGrp1.
        case guest
        /// The host writes GICD_CTLR through the attribute interface.
        case host
    }

    enum Requeue: Sendable {
        /// The guest writes the SPI's GICD_ISENABLER bit (already enabled).
        case isenabler
        /// The host asserts the edge again with `KVM_IRQ_LINE`.
        case edge
    }

    struct Row: Sendable {
        let name: String
        let enabler: Enabler
        let requeue: Requeue
    }

    static let intid: UInt32 = 40

    static let rows: [Row] = [
        Row(name: "pending_while_disabled.guest_enables.isenabler_requeues", enabler: .guest, requeue: .isenabler),
        Row(name: "pending_while_disabled.guest_enables.edge_requeues", enabler: .guest, requeue: .edge),
        Row(name: "pending_while_disabled.host_enables.isenabler_requeues", enabler: .host, requeue: .isenabler),
    ]

    static func scenario(_ row: Row) throws(GuestProgramError) -> GuestScenario {
        var calls = HostCalls()
        var main = GuestScript()
        main.host(calls.call(.spiLine(intid, level: true)))
        main.pollAcknowledge(attempts: 50)
        switch row.enabler {
        case .guest: main.append(.mmioWrite(.distributor, offset: 0, .immediate(2)))
        case .host: main.host(calls.call(.setDistributor(.gicdCTLR, index: 0, 2)))
        }
        main.pollAcknowledge(attempts: 50)
        main.observeBit(offset: 0x200, intid: intid, as: .pending)
        main.observe(.iccHPPIR1, as: .highestPending)
        switch row.requeue {
        case .isenabler: main.append(.writeBit(offset: 0x100, intid: .immediate(UInt64(intid))))
        case .edge: main.host(calls.call(.spiLine(intid, level: true)))
        }
        main.pollAcknowledge(attempts: 50)
        main.endOfInterrupt()
        main.observeNothingPending()
        main.finish()
        var scenario = GuestScenario(vcpuCount: 1, programs: [GuestPrograms(main: try main.program())])
        scenario.setup = [.setDistributor(.gicdCTLR, index: 0, 0)] + GuestSetup.cpuInterfaces(1) + GuestSetup.interrupt(intid, priority: 0x80)
        scenario.calls = calls.actions
        scenario.finalObservations = [.active(intid, vcpu: 0), .latch(intid, vcpu: 0)]
        return scenario
    }

    static func check(_ row: Row, _ outcome: GuestOutcome) -> Outcome {
        var checks = GuestChecks()
        let trace = outcome.trace
        checks.expectCompleted(outcome)
        checks.expect("polls that gave up (disabled, then enabled but stranded)", trace.giveUps(of: 0), 2)
        checks.expect("pending while stranded", trace.values(.pending, of: 0), [1])
        checks.expect("HPPIR1 while stranded, at the end", trace.values(.highestPending, of: 0), [1023, 1023])
        checks.expect("acknowledged after the requeue", trace.acknowledged(by: 0), [intid])
        checks.expect("IAR1 at the end", trace.values(.observed, of: 0), [1023])
        checks.expect("final active, latch", outcome.final, [.observed(0), .observed(0)])
        return checks.verdict("pending while the distributor was disabled: stranded after enabling, delivered once requeued")
    }
}
