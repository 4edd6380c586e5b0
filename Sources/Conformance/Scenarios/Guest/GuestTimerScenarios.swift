import GICVocabulary
import GuestHarness

/// The virtual timer, PPI 27, which KVM maps to the host's timer interrupt (HW list registers:
/// the guest's deactivation deactivates the physical PPI). The guest arms CNTV (CNTV_TVAL, then
/// CNTV_CTL = 1), waits (WFI with IRQs masked, then unmasks) and takes PPI 27: active, pending
/// by the timer's condition (the guest's ISPENDR read of a mapped level interrupt asks the
/// timer), CNTV_CTL with ISTATUS set. While the guest holds it active the handler has the host
/// read PPI 27 through the attribute interface: active 1, latch 0, line 1 (the timer's
/// condition, which the timer re-injects at every `KVM_RUN`). Then it disables or masks
/// the timer (the condition drops: pending 0) and EOIs (EOImode 1: EOIR and DIR), and the main
/// program re-arms and takes it a second time.
///
/// `still_asserted_after_eoi`: the handler EOIs twice without touching the timer, so the
/// condition still holds and the deactivated physical PPI fires again: taken again, a third
/// time, until the handler disables it.
extension GuestCatalog {
    static var timer: [GuestCase] {
        GuestTimerScenarios.rows.map { row in
            var guestCase = GuestCase("guest.timer.\(row.name)", build: { () throws(GuestProgramError) in
                try GuestTimerScenarios.scenario(row)
            }) { outcome, _ in GuestTimerScenarios.check(row, outcome) }
            guestCase.figures = GuestTimerScenarios.figures
            return guestCase
        } + [
            GuestCase("guest.timer.still_asserted_after_eoi", build: GuestTimerScenarios.stillAsserted,
                check: GuestTimerScenarios.checkStillAsserted),
        ]
    }
}

enum GuestTimerScenarios {
    static let intid: UInt32 = 27
    /// Ticks from arming to expiry (CNTFRQ is 62.5 MHz under QEMU: 80 µs).
    static let delay: UInt64 = 5000

    struct Row: Sendable {
        let name: String
        /// CNTV_CTL the handler writes before the EOI: 0 (disable) or 3 (enabled, masked).
        let silence: UInt64
        let eoiMode1: Bool
    }

    static let rows: [Row] = [
        Row(name: "vtimer.disable.eoimode0", silence: 0, eoiMode1: false),
        Row(name: "vtimer.mask.eoimode1", silence: 3, eoiMode1: true),
    ]

    static func scenario(_ row: Row) throws(GuestProgramError) -> GuestScenario {
        var calls = HostCalls()
        var main = GuestScript()
        if row.eoiMode1 { main.setEOIMode1() }
        for round in 1...UInt64(2) {
            main.append(.write(.cntvTVAL, .immediate(delay)))
            main.append(.write(.cntvCTL, .immediate(1)))
            main.append(.waitForInterrupt)
            main.takeInterrupts(until: 1, reaches: round)
        }
        main.append(.write(.cntvCTL, .immediate(0)))
        main.observeNothingPending()
        main.finish()

        var handler = GuestScript()
        handler.observe(.cntvct, as: .ticks)
        handler.observe(.cntvCVAL, as: .ticks)
        handler.acknowledge()
        handler.remember(in: 0)
        handler.append(.increment(variable: 1))
        handler.observeBit(offset: 0x300, ofVariable: 0, as: .active)
        handler.observeBit(offset: 0x200, ofVariable: 0, as: .pending)
        handler.observe(.cntvCTL, as: .timer)
        handler.host(calls.call(.observe(.active(intid, vcpu: 0))))
        handler.host(calls.call(.observe(.latch(intid, vcpu: 0))))
        handler.host(calls.call(.observe(.line(intid, vcpu: 0))))
        handler.append(.write(.cntvCTL, .immediate(row.silence)))
        handler.observe(.cntvCTL, as: .timer)
        handler.observeBit(offset: 0x200, ofVariable: 0, as: .pending)
        handler.recall(0)
        handler.complete(eoiMode1: row.eoiMode1)
        handler.observeBit(offset: 0x300, ofVariable: 0, as: .active)
        handler.append(.end)

        var scenario = GuestScenario(vcpuCount: 1, programs: [GuestPrograms(main: try main.program(), irq: try handler.program())])
        scenario.setup = GuestSetup.standard(vcpus: 1) + GuestSetup.interrupt(intid, priority: 0x80)
        scenario.calls = calls.actions
        scenario.finalObservations = [.active(intid, vcpu: 0), .latch(intid, vcpu: 0), .line(intid, vcpu: 0)]
        return scenario
    }

    static func check(_ row: Row, _ outcome: GuestOutcome) -> Outcome {
        var checks = GuestChecks()
        let trace = outcome.trace
        checks.expectCompleted(outcome)
        checks.expect("acknowledged", trace.acknowledged(by: 0), [intid, intid])
        checks.expect("windows that closed short", trace.giveUps(of: 0), 0)
        checks.expect("active while handled, after the EOI", trace.values(.active, of: 0), [1, 0, 1, 0])
        checks.expect("pending while handled, after silencing", trace.values(.pending, of: 0), [1, 0, 1, 0])
        // ENABLE | ISTATUS; then disabled (ISTATUS reads 0) or ENABLE | IMASK | ISTATUS.
        let silenced: UInt64 = row.silence == 0 ? 0 : 7
        checks.expect("CNTV_CTL while handled, after silencing", trace.values(.timer, of: 0), [5, silenced, 5, silenced])
        // The latch stays 0 (a mapped level interrupt's pending state is the timer's), the line
        // is the timer's condition: `kvm_timer_vcpu_load_gic` re-injects it at every KVM_RUN, and
        // populating an active HW list register never clears it.
        checks.expect("host: active, latch, line while the guest holds it", trace.observations, [1, 0, 1, 1, 0, 1])
        checks.expect("HPPIR1, IAR1 at the end", trace.values(.highestPending, of: 0) + trace.values(.observed, of: 0), [1023, 1023])
        checks.expect("final active, latch, line", outcome.final, [.observed(0), .observed(0), .observed(0)])
        return checks.verdict("virtual timer taken twice, HW-deactivated by \(row.eoiMode1 ? "EOIR + DIR" : "EOIR")")
    }

    /// Expiry (CNTV_CVAL) to the first handler step (CNTVCT), in guest ticks, per take.
    @Sendable static func figures(_ outcome: GuestOutcome) -> [Figure] {
        let ticks = outcome.trace.values(.ticks, of: 0)
        guard ticks.count >= 2, ticks[0] >= ticks[1] else { return [] }
        return [Figure(name: "timer_fire_to_handler_ticks", value: Int64(ticks[0] - ticks[1]), unit: "ticks")]
    }

    /// EOI while the condition holds: the deactivated physical PPI fires again at once. The
    /// handler leaves the timer alone for its first two takes and disables it in the third.
    @Sendable static func stillAsserted() throws(GuestProgramError) -> GuestScenario {
        var main = GuestScript()
        main.append(.write(.cntvTVAL, .immediate(delay)))
        main.append(.write(.cntvCTL, .immediate(1)))
        main.takeInterrupts(until: 1, reaches: 3)
        main.observe(.cntvCTL, as: .timer)
        main.observeNothingPending()
        main.finish()

        var handler = GuestScript()
        let keep = handler.label()
        handler.acknowledge()
        handler.remember(in: 0)
        handler.append(.increment(variable: 1))
        handler.observeBit(offset: 0x200, ofVariable: 0, as: .pending)
        handler.append(.set(.variable(1)))
        handler.append(.jumpIf(.below, .immediate(3), keep))
        handler.append(.write(.cntvCTL, .immediate(0)))
        handler.bind(keep)
        handler.recall(0)
        handler.endOfInterrupt()
        handler.append(.end)

        var scenario = GuestScenario(vcpuCount: 1, programs: [GuestPrograms(main: try main.program(), irq: try handler.program())])
        scenario.setup = GuestSetup.standard(vcpus: 1) + GuestSetup.interrupt(intid, priority: 0x80)
        scenario.finalObservations = [.active(intid, vcpu: 0), .latch(intid, vcpu: 0), .line(intid, vcpu: 0)]
        return scenario
    }

    @Sendable static func checkStillAsserted(_ outcome: GuestOutcome, _ context: GuestCheckContext) -> Outcome {
        var checks = GuestChecks()
        let trace = outcome.trace
        checks.expectCompleted(outcome)
        checks.expect("acknowledged", trace.acknowledged(by: 0), [intid, intid, intid])
        checks.expect("windows that closed short", trace.giveUps(of: 0), 0)
        checks.expect("pending in each handler (the condition)", trace.values(.pending, of: 0), [1, 1, 1])
        checks.expect("CNTV_CTL at the end", trace.values(.timer, of: 0), [0])
        checks.expect("HPPIR1, IAR1 at the end", trace.values(.highestPending, of: 0) + trace.values(.observed, of: 0), [1023, 1023])
        checks.expect("final active, latch, line", outcome.final, [.observed(0), .observed(0), .observed(0)])
        return checks.verdict("condition still true after the EOI: taken again, 3 times")
    }
}
