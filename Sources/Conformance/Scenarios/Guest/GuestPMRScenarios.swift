import GICVocabulary
import GuestHarness

/// The priority mask as the guest sees it: an interrupt whose priority value is at or above
/// ICC_PMR_EL1 is not delivered (polling IAR1 gives up) although HPPIR1, which ignores the
/// mask, names it; lowering its priority value below the mask (a GICD_IPRIORITYR write) or
/// raising the mask delivers it. The guest writes PMR itself; the host reads it at the end.
extension GuestCatalog {
    static var pmr: [GuestCase] {
        GuestPMRScenarios.rows.map { row in
            GuestCase("guest.pmr.\(row.name)", build: { () throws(GuestProgramError) in
                try GuestPMRScenarios.scenario(row)
            }) { outcome, _ in GuestPMRScenarios.check(row, outcome) }
        }
    }
}

enum GuestPMRScenarios {
    /// What the guest does after finding the interrupt masked.
    enum Unmask: Sendable {
        /// Writes ICC_PMR_EL1 = value.
        case raiseMask(UInt8)
        /// Writes the interrupt's IPRIORITYR byte = value.
        case lowerPriority(UInt8)
    }

    struct Row: Sendable {
        let name: String
        let mask: UInt8
        let priority: UInt8
        let unmask: Unmask

        /// Delivered at once: the priority value is below the mask.
        var deliveredAtOnce: Bool { priority < mask }
        /// The mask at the end.
        var finalMask: UInt8 {
            if deliveredAtOnce { return mask }
            if case .raiseMask(let value) = unmask { return value }
            return mask
        }
    }

    static let intid: UInt32 = 40

    static let rows: [Row] = [
        Row(name: "equal_masked.raise_pmr", mask: 0x80, priority: 0x80, unmask: .raiseMask(0x88)),
        Row(name: "equal_masked.lower_priority", mask: 0x80, priority: 0x80, unmask: .lowerPriority(0x78)),
        Row(name: "above_masked.raise_pmr", mask: 0x40, priority: 0xC0, unmask: .raiseMask(0xC8)),
        Row(name: "below_delivered", mask: 0x80, priority: 0x78, unmask: .raiseMask(0x80)),
    ]

    static func scenario(_ row: Row) throws(GuestProgramError) -> GuestScenario {
        var calls = HostCalls()
        var main = GuestScript()
        let got = main.label()
        main.append(.write(.iccPMR, .immediate(UInt64(row.mask))))
        main.host(calls.call(.spiLine(intid, level: true)))
        main.pollAcknowledge(attempts: 100)
        main.append(.jumpIf(.notEqual, .immediate(1023), got))
        main.observe(.iccHPPIR1, as: .highestPending)
        switch row.unmask {
        case .raiseMask(let value): main.append(.write(.iccPMR, .immediate(UInt64(value))))
        case .lowerPriority(let value): main.append(.writePriority(intid: .immediate(UInt64(intid)), priority: value))
        }
        main.pollAcknowledge(attempts: 100)
        main.bind(got)
        main.endOfInterrupt()
        main.observeNothingPending()
        main.finish()

        var scenario = GuestScenario(vcpuCount: 1, programs: [GuestPrograms(main: try main.program())])
        scenario.setup = GuestSetup.standard(vcpus: 1) + GuestSetup.interrupt(intid, priority: row.priority)
        scenario.calls = calls.actions
        scenario.finalObservations = [.active(intid, vcpu: 0), .latch(intid, vcpu: 0), .systemRegister(.iccPMR, vcpu: 0)]
        return scenario
    }

    static func check(_ row: Row, _ outcome: GuestOutcome) -> Outcome {
        var checks = GuestChecks()
        let trace = outcome.trace
        checks.expectCompleted(outcome)
        checks.expect("acknowledged", trace.acknowledged(by: 0), [intid])
        checks.expect("polls that gave up (masked)", trace.giveUps(of: 0), row.deliveredAtOnce ? 0 : 1)
        // HPPIR1 ignores the priority mask: it names the masked interrupt.
        checks.expect("HPPIR1 while masked; at the end", trace.values(.highestPending, of: 0),
            row.deliveredAtOnce ? [1023] : [UInt64(intid), 1023])
        checks.expect("IAR1 at the end", trace.values(.observed, of: 0), [1023])
        checks.expect("final active, latch, PMR", outcome.final, [.observed(0), .observed(0), .observed(UInt64(row.finalMask))])
        let how = row.deliveredAtOnce ? "delivered at once" : "masked, then delivered"
        return checks.verdict("priority \(hex(row.priority)) under PMR \(hex(row.mask)): \(how)")
    }
}
