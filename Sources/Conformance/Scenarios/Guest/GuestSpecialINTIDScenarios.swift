import GICModel
import GICVocabulary
import GuestHarness

/// What an EOI of a special INTID (1020–1023) does while an interrupt is being handled, settled
/// on the kernel: the guest acknowledges SPI 40 at priority 0x80 (RPR 0x80, AP1R0 bit 16),
/// writes 1023 and then 1020 to ICC_EOIR1_EL1, reading RPR and AP1R0 after each, and finally
/// EOIs 40. The lab's virtual CPU interface (QEMU 7.2, `icv_eoir_write`) ignores the special
/// writes before any priority drop, so the running priority stays 0x80 until the real EOI.
extension GuestCatalog {
    static var specialINTID: [GuestCase] {
        [GuestCase("guest.special_intid.eoi_keeps_priority", build: GuestSpecialINTIDScenarios.eoi, check: GuestSpecialINTIDScenarios.checkEOI)]
    }
}

enum GuestSpecialINTIDScenarios {
    static let intid: UInt32 = 40

    @Sendable static func eoi() throws(GuestProgramError) -> GuestScenario {
        var calls = HostCalls()
        var main = GuestScript()
        main.host(calls.call(.spiLine(intid, level: true)))
        main.pollAcknowledge(attempts: 10)
        main.remember(in: 0)
        main.observe(.iccRPR, as: .runningPriority)
        for special in [UInt64(1023), 1020] {
            main.append(.write(.iccEOIR1, .immediate(special)))
            main.observe(.iccRPR, as: .runningPriority)
            main.observe(.iccAP1R0, as: .activePriorities)
        }
        main.recall(0)
        main.endOfInterrupt()
        main.observe(.iccRPR, as: .runningPriority)
        main.observe(.iccAP1R0, as: .activePriorities)
        main.finish()
        var scenario = GuestScenario(vcpuCount: 1, programs: [GuestPrograms(main: try main.program())])
        scenario.setup = GuestSetup.standard(vcpus: 1) + GuestSetup.interrupt(intid, priority: 0x80)
        scenario.calls = calls.actions
        scenario.finalObservations = [.active(intid, vcpu: 0), .systemRegister(.iccAP1R0, vcpu: 0)]
        return scenario
    }

    @Sendable static func checkEOI(_ outcome: GuestOutcome, _ context: GuestCheckContext) -> Outcome {
        var checks = GuestChecks()
        checks.expectCompleted(outcome)
        checks.expect("acknowledged", outcome.trace.acknowledged(by: 0), [intid])
        // 0x80 after the acknowledge, still 0x80 after EOIR(1023) and EOIR(1020), 0xFF after EOIR(40).
        checks.expect("RPR", outcome.trace.values(.runningPriority, of: 0), [0x80, 0x80, 0x80, 0xFF])
        checks.expect("AP1R0", outcome.trace.values(.activePriorities, of: 0), [1 << 16, 1 << 16, 0])
        checks.expect("final active, AP1R0", outcome.final, [.observed(0), .observed(0)])
        return checks.verdict("EOIR of 1023 and 1020 left the running priority at 0x80; EOIR of 40 dropped it")
    }
}
