import GICModel
import GICVocabulary
import GuestHarness

/// One SPI, several vCPUs, taking turns (`switchTo` host calls; the host runs one vCPU at a
/// time).
///
/// `dir_on_other_vcpu` (the kernel selftest's `guest_code_asym_dir`): EOImode 1 on both vCPUs;
/// vCPU 0 acknowledges and EOIs SPI 40, vCPU 1 writes its DIR. 7.x deactivates it (the DIR
/// traps while SPIs are in flight and `vgic_v3_deactivate` clears it on the vCPU holding it);
/// 6.12 does not (vCPU 1's DIR finds no list register; QEMU's EOIcount bump is discarded), so
/// it stays active until vCPU 0's own DIR (`KernelBehaviour.deactivatesAcrossVCPUs`).
///
/// `active_while_others_run`: vCPU 0 holds SPI 40 active while the host routes it to vCPU 1 and
/// asserts it again; vCPU 1 takes its own SPI and SGI but not 40 (an active interrupt stays
/// with the vCPU it is active on, `vgic_target_oracle`), until vCPU 0's EOI, after which it
/// follows its new route to vCPU 1.
extension GuestCatalog {
    static var asymmetric: [GuestCase] {
        [
            GuestCase("guest.asymmetric.dir_on_other_vcpu", build: GuestAsymmetricScenarios.dirOnOther,
                check: GuestAsymmetricScenarios.checkDIROnOther),
            GuestCase("guest.asymmetric.active_while_others_run", build: GuestAsymmetricScenarios.activeWhileOthersRun,
                check: GuestAsymmetricScenarios.checkActiveWhileOthersRun),
        ]
    }
}

enum GuestAsymmetricScenarios {
    static let spi: UInt32 = 40

    @Sendable static func dirOnOther() throws(GuestProgramError) -> GuestScenario {
        var calls = HostCalls()
        var first = GuestScript()
        first.setEOIMode1()
        first.host(calls.call(.spiLine(spi, level: true)))
        first.pollAcknowledge(attempts: 200)
        first.endOfInterrupt()
        first.observeBit(offset: 0x300, intid: spi, as: .active)
        first.host(calls.call(.switchTo(1)))
        first.observeBit(offset: 0x300, intid: spi, as: .active)
        first.append(.write(.iccDIR, .immediate(UInt64(spi))))
        first.observeBit(offset: 0x300, intid: spi, as: .active)
        first.observeNothingPending()
        first.finish()

        var second = GuestScript()
        second.setEOIMode1()
        second.append(.write(.iccDIR, .immediate(UInt64(spi))))
        second.observeBit(offset: 0x300, intid: spi, as: .active)
        second.host(calls.call(.observe(.active(spi, vcpu: 0))))
        second.host(calls.call(.switchTo(0)))
        second.observeNothingPending()
        second.finish()

        var scenario = GuestScenario(vcpuCount: 2, programs: [GuestPrograms(main: try first.program()), GuestPrograms(main: try second.program())])
        scenario.setup = GuestSetup.standard(vcpus: 2) + GuestSetup.interrupt(spi, priority: 0x80, vcpu: 0)
        scenario.calls = calls.actions
        scenario.finalObservations = [.active(spi, vcpu: 0), .latch(spi, vcpu: 0)]
        return scenario
    }

    @Sendable static func checkDIROnOther(_ outcome: GuestOutcome, _ context: GuestCheckContext) -> Outcome {
        var checks = GuestChecks()
        let trace = outcome.trace
        let cleared: UInt64 = context.kernel.deactivatesAcrossVCPUs ? 0 : 1
        checks.expectCompleted(outcome)
        checks.expect("vCPU 0 acknowledged", trace.acknowledged(by: 0), [spi])
        checks.expect("vCPU 0: active after its EOI, after vCPU 1's DIR, after its own DIR", trace.values(.active, of: 0), [1, cleared, 0])
        checks.expect("vCPU 1: active after its DIR", trace.values(.active, of: 1), [cleared])
        checks.expect("host: active after vCPU 1's DIR", trace.observations, [cleared])
        for vcpu in 0..<2 {
            checks.expect("vCPU \(vcpu) HPPIR1, IAR1 at the end", trace.values(.highestPending, of: vcpu) + trace.values(.observed, of: vcpu), [1023, 1023])
        }
        checks.expect("final active, latch", outcome.final, [.observed(0), .observed(0)])
        let what = cleared == 0 ? "deactivated it" : "left it active until vCPU 0's own DIR"
        return checks.verdict("EOI on vCPU 0, DIR on vCPU 1 \(what)")
    }

    @Sendable static func activeWhileOthersRun() throws(GuestProgramError) -> GuestScenario {
        let other: UInt32 = 41
        let sgi: UInt32 = 2
        var calls = HostCalls()
        var first = GuestScript()
        first.host(calls.call(.spiLine(spi, level: true)))
        first.pollAcknowledge(attempts: 200)
        first.host(calls.call(.all([.route(spi, toVCPU: 1), .spiLine(spi, level: true)])))
        first.observeBit(offset: 0x200, intid: spi, as: .pending)
        let toSecond = calls.call(.switchTo(1))
        first.host(toSecond)
        first.append(.write(.iccEOIR1, .immediate(UInt64(spi))))
        first.host(toSecond)
        first.observeNothingPending()
        first.finish()

        var second = GuestScript()
        second.host(calls.call(.spiLine(other, level: true)))
        second.pollAcknowledge(attempts: 200)
        second.endOfInterrupt()
        // ICC_SGI1R_EL1 to itself: vCPU 1 is Aff0 1 (KVM's default MPIDR), target list bit 1.
        second.append(.write(.iccSGI1R, .immediate(UInt64(sgi) << 24 | 0b10)))
        second.pollAcknowledge(attempts: 200)
        second.endOfInterrupt()
        second.observeBit(offset: 0x300, intid: spi, as: .active)
        second.observe(.iccIAR1)
        second.host(calls.call(.switchTo(0)))
        second.pollAcknowledge(attempts: 200)
        second.endOfInterrupt()
        second.observeNothingPending()
        second.finish()

        var scenario = GuestScenario(vcpuCount: 2, programs: [GuestPrograms(main: try first.program()), GuestPrograms(main: try second.program())])
        scenario.setup = GuestSetup.standard(vcpus: 2) + GuestSetup.interrupt(spi, priority: 0x80, vcpu: 0)
            + GuestSetup.interrupt(other, priority: 0x80, vcpu: 1) + GuestSetup.interrupt(sgi, priority: 0x80, vcpu: 1)
        scenario.calls = calls.actions
        scenario.finalObservations = [.active(spi, vcpu: 0), .latch(spi, vcpu: 0), .active(other, vcpu: 1), .active(sgi, vcpu: 1)]
        return scenario
    }

    @Sendable static func checkActiveWhileOthersRun(_ outcome: GuestOutcome, _ context: GuestCheckContext) -> Outcome {
        var checks = GuestChecks()
        let trace = outcome.trace
        checks.expectCompleted(outcome)
        checks.require("vCPU 1 is Aff0 1 (the SGI's target list assumes KVM's default MPIDR)",
            context.affinities.count == 2 && context.affinities[1].aff0 == 1)
        checks.expect("vCPU 0 acknowledged", trace.acknowledged(by: 0), [spi])
        checks.expect("vCPU 0: pending again while active", trace.values(.pending, of: 0), [1])
        checks.expect("vCPU 0: HPPIR1, IAR1 at the end", trace.values(.highestPending, of: 0) + trace.values(.observed, of: 0), [1023, 1023])
        checks.expect("vCPU 1 acknowledged", trace.acknowledged(by: 1), [41, 2, spi])
        checks.expect("vCPU 1: SPI 40 active (on vCPU 0)", trace.values(.active, of: 1), [1])
        checks.expect("vCPU 1: IAR1 while 40 is active elsewhere; at the end", trace.values(.observed, of: 1), [1023, 1023])
        checks.expect("final", outcome.final, [.observed(0), .observed(0), .observed(0), .observed(0)])
        return checks.verdict("SPI 40 stayed with vCPU 0 while active, then followed its route to vCPU 1")
    }
}
