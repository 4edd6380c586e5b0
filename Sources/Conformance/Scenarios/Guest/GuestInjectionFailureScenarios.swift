import GICVocabulary
import GuestHarness
import KVM

/// Injections that must fail, or do nothing, and the guest sees nothing (the kernel selftest's
/// `test_injection_failure`, plus the other line types). Each row makes its host calls from the
/// guest's main program (after the first run, so the timer owns its PPIs), then the guest polls
/// IAR1, which gives up, and HPPIR1 reads 1023.
///
/// What the trace records for each call: the kernel's errno (`refused`), `done` where the
/// kernel accepts the call and ignores it, or `rejected` where the typed API refuses before any
/// ioctl because the attribute cannot name the INTID: LEVEL_INFO's INTID field is 10 bits
/// (`KVM_DEV_ARM_VGIC_LINE_LEVEL_INTID_MASK`), so 1024 and above would alias INTIDs 0–1023, and
/// GICD_ISPENDR ends at INTID 1023 (offset 0x280 is already GICD_ICPENDR).
extension GuestCatalog {
    static var injectionFailure: [GuestCase] {
        GuestInjectionFailureScenarios.rows.map { row in
            GuestCase("guest.injection_failure.\(row.name)", build: { () throws(GuestProgramError) in
                try GuestInjectionFailureScenarios.scenario(row)
            }) { outcome, _ in GuestInjectionFailureScenarios.check(row, outcome) }
        }
    }
}

enum GuestInjectionFailureScenarios {
    /// What a call is expected to come to.
    enum Expected: Sendable, CustomStringConvertible {
        case refused(Errno)
        case done
        case rejected

        func matches(_ result: HostResult) -> Bool {
            switch (self, result) {
            case (.refused(let errno), .refused(let observed)): return errno == observed
            case (.done, .done): return true
            case (.rejected, .rejected): return true
            default: return false
            }
        }

        var description: String {
            switch self {
            case .refused(let errno): "refused \(errno)"
            case .done: "done"
            case .rejected: "rejected before the ioctl"
            }
        }
    }

    struct Row: Sendable {
        let name: String
        let calls: [(HostAction, Expected)]
    }

    /// NR_IRQS of these scenarios (the `GuestScenario` default): SPIs 32...127.
    static let interruptCount: UInt32 = 128

    static let rows: [Row] = [
        // kvm_vm_ioctl_irq_line → kvm_vgic_inject_irq: vgic_get_irq finds no such SPI → EINVAL.
        Row(name: "irq_line.spi", calls: [interruptCount, 1020, 1023, 1024, 1120, 5120, 0xFFFF].map {
            (HostAction.rawLine(word: GuestHost.spiLineWord($0), level: true), .refused(.EINVAL))
        }),
        // The SPI type below 32, the PPI type outside 16...31, a PPI of a vCPU that does not
        // exist: EINVAL before any vgic lookup.
        Row(name: "irq_line.private", calls: [
            (.rawLine(word: GuestHost.spiLineWord(20), level: true), .refused(.EINVAL)),
            (.rawLine(word: GuestHost.ppiLineWord(5), level: true), .refused(.EINVAL)),
            (.rawLine(word: GuestHost.ppiLineWord(32), level: true), .refused(.EINVAL)),
            (.rawLine(word: GuestHost.ppiLineWord(1020), level: true), .refused(.EINVAL)),
            (.rawLine(word: GuestHost.ppiLineWord(20, vcpu: 1), level: true), .refused(.EINVAL)),
        ]),
        // Type 0 (a CPU's IRQ/FIQ line) with an in-kernel irqchip: ENXIO; types 3 and up: EINVAL.
        Row(name: "irq_line.other_types", calls: [
            (.rawLine(word: 0x0000_0000, level: true), .refused(.ENXIO)),
            (.rawLine(word: 0x0300_0028, level: true), .refused(.EINVAL)),
            (.rawLine(word: 0x0F00_0028, level: true), .refused(.EINVAL)),
        ]),
        // The virtual timer's PPI is owned by the timer: a userspace line is accepted and
        // dropped (vgic_validate_injection: owner mismatch).
        Row(name: "irq_line.timer_ppi", calls: [
            (.ppiLine(27, vcpu: 0, level: true), .done),
            (.ppiLine(27, vcpu: 0, level: false), .done),
        ]),
        // LEVEL_INFO ignores INTIDs the VM lacks below 1024; above, the attribute cannot say it.
        Row(name: "level_info", calls: [
            (.setLineLevel(interruptCount, vcpu: 0, level: true), .done),
            (.setLineLevel(1020, vcpu: 0, level: true), .done),
            (.setLineLevel(1024, vcpu: 0, level: true), .rejected),
            (.setLineLevel(1120, vcpu: 0, level: true), .rejected),
            (.setLineLevel(5120, vcpu: 0, level: true), .rejected),
        ]),
        // A uaccess ISPENDR word of INTIDs the VM lacks is accepted and ignored (reads 0, the
        // write changes nothing); above 1023 there is no such word.
        Row(name: "uaccess_ispendr", calls: [
            (.setPending(interruptCount, vcpu: 0), .done),
            (.setPending(1020, vcpu: 0), .done),
            (.setPending(1024, vcpu: 0), .rejected),
            (.setPending(5120, vcpu: 0), .rejected),
        ]),
    ]

    static func scenario(_ row: Row) throws(GuestProgramError) -> GuestScenario {
        var calls = HostCalls()
        var main = GuestScript()
        for (action, _) in row.calls { main.host(calls.call(action)) }
        main.takeInterrupts()
        main.pollAcknowledge(attempts: 50)
        main.observe(.iccHPPIR1, as: .highestPending)
        main.finish()
        var scenario = GuestScenario(vcpuCount: 1, programs: [GuestPrograms(main: try main.program())])
        scenario.interruptCount = interruptCount
        scenario.setup = GuestSetup.standard(vcpus: 1) + GuestSetup.interrupt(27, priority: 0x80)
        scenario.calls = calls.actions
        scenario.finalObservations = [.latch(27, vcpu: 0), .line(27, vcpu: 0)]
        return scenario
    }

    static func check(_ row: Row, _ outcome: GuestOutcome) -> Outcome {
        var checks = GuestChecks()
        let trace = outcome.trace
        checks.expectCompleted(outcome)
        var results: [HostResult] = []
        for event in trace.events {
            if case .called(_, _, _, let result) = event { results.append(result) }
        }
        if results.count != row.calls.count {
            checks.require("\(results.count) host calls reported, \(row.calls.count) made", false)
        }
        for (index, result) in results.enumerated() where index < row.calls.count {
            let expected = row.calls[index].1
            checks.require("call \(index): expected \(expected), got \(result)", expected.matches(result))
        }
        checks.expect("acknowledged", trace.acknowledged(by: 0), [])
        checks.expect("polls that gave up", trace.giveUps(of: 0), 1)
        checks.expect("HPPIR1", trace.values(.highestPending, of: 0), [1023])
        checks.expect("final PPI 27 latch, line", outcome.final, [.observed(0), .observed(0)])
        return checks.verdict("\(row.calls.count) injections: " + GuestChecks.list(results))
    }
}
