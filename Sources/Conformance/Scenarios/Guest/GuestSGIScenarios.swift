import GICVocabulary
import GuestHarness

/// SGIs the guest sends with ICC_SGI1R_EL1 (and ICC_SGI0R_EL1) to other vCPUs, which take
/// turns (`switchTo`): the sender hands over to each target in turn, each polls IAR1 (bounded)
/// and EOIs, and the sender checks it got nothing itself.
///
/// ICC_SGI1R_EL1: TargetList 15:0, Aff1 23:16, INTID 27:24, Aff2 39:32, IRM 40, RS 47:44,
/// Aff3 55:48. KVM's default MPIDR gives vCPU n Aff0 = n (n < 16), which the checks confirm.
/// `vgic_v3_dispatch_sgi` ignores RS (both lines): a target list with RS = 1 reaches Aff0 0–15,
/// not 16–31. ICC_SGI0R_EL1 only generates Group 0 SGIs, ICC_SGI1R_EL1 both groups
/// (`vgic_v3_queue_sgi`: `!irq->group || allow_group1`).
extension GuestCatalog {
    static var sgi: [GuestCase] {
        GuestSGIScenarios.rows.map { row in
            GuestCase("guest.sgi.\(row.name)", build: { () throws(GuestProgramError) in
                try GuestSGIScenarios.scenario(row)
            }) { outcome, context in GuestSGIScenarios.check(row, outcome, context) }
        } + [
            GuestCase("guest.sgi.sgi0r_group0_only", build: GuestSGIScenarios.group0Only, check: GuestSGIScenarios.checkGroup0Only),
        ]
    }
}

enum GuestSGIScenarios {
    static let sgi: UInt32 = 3

    struct Row: Sendable {
        let name: String
        let vcpus: Int
        /// The ICC_SGI1R_EL1 value vCPU 0 writes (INTID added).
        let register: UInt64
        /// The vCPUs that take the SGI.
        let targets: [Int]
    }

    static let rows: [Row] = [
        Row(name: "target_list", vcpus: 3, register: 0b110, targets: [1, 2]),
        Row(name: "target_list_with_self", vcpus: 2, register: 0b11, targets: [0, 1]),
        Row(name: "irm_broadcast", vcpus: 4, register: 1 << 40, targets: [1, 2, 3]),
        Row(name: "range_selector_ignored", vcpus: 2, register: 1 << 44 | 0b10, targets: [1]),
        Row(name: "aff1_no_vcpu", vcpus: 2, register: 1 << 16 | 0b11, targets: []),
    ]

    static func scenario(_ row: Row) throws(GuestProgramError) -> GuestScenario {
        var calls = HostCalls()
        var programs: [GuestPrograms] = []
        var sender = GuestScript()
        sender.append(.write(.iccSGI1R, .immediate(UInt64(sgi) << 24 | row.register)))
        for vcpu in 1..<row.vcpus { sender.host(calls.call(.switchTo(vcpu))) }
        sender.pollAcknowledge(attempts: 100)
        let none = sender.label()
        sender.append(.jumpIf(.equal, .immediate(1023), none))
        sender.endOfInterrupt()
        sender.bind(none)
        sender.observeNothingPending()
        sender.finish()
        programs.append(GuestPrograms(main: try sender.program()))
        for _ in 1..<row.vcpus {
            var receiver = GuestScript()
            let none = receiver.label()
            receiver.pollAcknowledge(attempts: 100)
            receiver.append(.jumpIf(.equal, .immediate(1023), none))
            receiver.endOfInterrupt()
            receiver.bind(none)
            receiver.observeNothingPending()
            receiver.finish()
            programs.append(GuestPrograms(main: try receiver.program()))
        }
        var scenario = GuestScenario(vcpuCount: row.vcpus, programs: programs)
        scenario.setup = GuestSetup.standard(vcpus: row.vcpus)
            + (0..<row.vcpus).flatMap { GuestSetup.interrupt(sgi, priority: 0x80, vcpu: $0) }
        scenario.calls = calls.actions
        scenario.finalObservations = (0..<row.vcpus).flatMap { [HostObservation.active(sgi, vcpu: $0), .latch(sgi, vcpu: $0)] }
        return scenario
    }

    static func check(_ row: Row, _ outcome: GuestOutcome, _ context: GuestCheckContext) -> Outcome {
        var checks = GuestChecks()
        let trace = outcome.trace
        checks.expectCompleted(outcome)
        for (vcpu, affinity) in context.affinities.enumerated() {
            checks.require("vCPU \(vcpu) has Aff0 \(vcpu), Aff1–3 0 (KVM's default MPIDR)",
                affinity.aff0 == UInt8(vcpu) && affinity.aff1 == 0 && affinity.aff2 == 0 && affinity.aff3 == 0)
        }
        for vcpu in 0..<row.vcpus {
            let targeted = row.targets.contains(vcpu)
            checks.expect("vCPU \(vcpu) acknowledged", trace.acknowledged(by: vcpu), targeted ? [sgi] : [])
            checks.expect("vCPU \(vcpu) polls that gave up", trace.giveUps(of: vcpu), targeted ? 0 : 1)
            checks.expect("vCPU \(vcpu) HPPIR1, IAR1 at the end", trace.values(.highestPending, of: vcpu) + trace.values(.observed, of: vcpu), [1023, 1023])
        }
        checks.expect("final active, latch", outcome.final, [HostResult](repeating: .observed(0), count: 2 * row.vcpus))
        return checks.verdict("SGI \(sgi) reached vCPUs " + GuestChecks.list(row.targets))
    }

    /// One vCPU, both groups enabled; SGI 1 in Group 0, SGI 2 in Group 1. ICC_SGI0R_EL1 for SGI 2
    /// generates nothing; for SGI 1 a FIQ; ICC_SGI1R_EL1 for SGI 1 (Group 0) a FIQ as well.
    @Sendable static func group0Only() throws(GuestProgramError) -> GuestScenario {
        var main = GuestScript()
        main.append(.write(.iccSGI0R, .immediate(2 << 24 | 1)))
        main.pollAcknowledge(attempts: 50)
        main.observeBit(offset: 0x200, intid: 2, as: .pending)
        main.append(.write(.iccSGI0R, .immediate(1 << 24 | 1)))
        main.pollAcknowledge(group1: false, attempts: 50)
        main.endOfInterrupt(group1: false)
        main.append(.write(.iccSGI1R, .immediate(1 << 24 | 1)))
        main.pollAcknowledge(group1: false, attempts: 50)
        main.endOfInterrupt(group1: false)
        main.observeNothingPending()
        main.observe(.iccIAR0)
        main.finish()
        var scenario = GuestScenario(vcpuCount: 1, programs: [GuestPrograms(main: try main.program())])
        scenario.setup = GuestSetup.standard(vcpus: 1, group0: true) + GuestSetup.interrupt(1, priority: 0x80, group1: false)
            + GuestSetup.interrupt(2, priority: 0x80)
        scenario.finalObservations = [.latch(1, vcpu: 0), .latch(2, vcpu: 0), .active(1, vcpu: 0)]
        return scenario
    }

    @Sendable static func checkGroup0Only(_ outcome: GuestOutcome, _ context: GuestCheckContext) -> Outcome {
        var checks = GuestChecks()
        let trace = outcome.trace
        checks.expectCompleted(outcome)
        checks.expect("polls that gave up (SGI0R, Group 1 SGI)", trace.giveUps(of: 0), 1)
        checks.expect("SGI 2 pending after SGI0R", trace.values(.pending, of: 0), [0])
        checks.expect("acknowledged through IAR0 (SGI0R, then SGI1R)", trace.acknowledged(by: 0), [1, 1])
        checks.expect("HPPIR1; IAR1, IAR0 at the end", trace.values(.highestPending, of: 0) + trace.values(.observed, of: 0), [1023, 1023, 1023])
        checks.expect("final latches, active", outcome.final, [.observed(0), .observed(0), .observed(0)])
        return checks.verdict("SGI0R generates Group 0 SGIs only; SGI1R a Group 0 SGI too")
    }
}
