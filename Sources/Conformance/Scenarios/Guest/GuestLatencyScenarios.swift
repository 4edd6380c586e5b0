import GICModel
import GICVocabulary
import GuestHarness

/// Injection-to-acknowledge latency per injection method, in guest counter ticks (CNTVCT_EL0,
/// 62.5 MHz under the lab's QEMU), in one VM so the methods are measured side by side: the
/// guest reads the counter, triggers the injection (a host call, or its own MMIO or SGI write),
/// and its IRQ handler reads the counter first thing. Five rounds per method; the figures are
/// the median per method and its ratio to `KVM_IRQ_LINE`'s median in per mille. Figures only:
/// the check is that every injection was taken exactly once.
extension GuestCatalog {
    static var latency: [GuestCase] {
        var guestCase = GuestCase(
            "guest.figures.injection_latency", build: GuestLatencyScenarios.scenario, check: GuestLatencyScenarios.check)
        guestCase.figures = GuestLatencyScenarios.figures
        return [guestCase]
    }
}

enum GuestLatencyScenarios {
    /// The methods, each with the interrupt it injects and its figure name.
    enum Method: CaseIterable {
        case irqLine, uaccessPending, levelInfo, guestPending, sgi

        var name: String {
            switch self {
            case .irqLine: "irq_line"
            case .uaccessPending: "uaccess_ispendr"
            case .levelInfo: "level_info"
            case .guestPending: "guest_ispendr"
            case .sgi: "icc_sgi1r"
            }
        }

        var intid: UInt32 {
            switch self {
            case .irqLine: 40
            case .uaccessPending: 41
            case .levelInfo: 42
            case .guestPending: 43
            case .sgi: 3
            }
        }
    }

    static let rounds = 5

    @Sendable static func scenario() throws(GuestProgramError) -> GuestScenario {
        var calls = HostCalls()
        var main = GuestScript()
        let lowerLevel = calls.call(.setLineLevel(Method.levelInfo.intid, vcpu: 0, level: false))
        for method in Method.allCases {
            for _ in 0..<rounds {
                main.observe(.cntvct, as: .ticks)
                switch method {
                case .irqLine: main.host(calls.call(.spiLine(method.intid, level: true)))
                case .uaccessPending: main.host(calls.call(.setPending(method.intid, vcpu: 0)))
                case .levelInfo: main.host(calls.call(.setLineLevel(method.intid, vcpu: 0, level: true)))
                case .guestPending: main.append(.writeBit(offset: 0x200, intid: .immediate(UInt64(method.intid))))
                case .sgi: main.append(.write(.iccSGI1R, .immediate(UInt64(method.intid) << 24 | 1)))
                }
                main.takeInterrupts()
            }
        }
        main.append(.set(.immediate(0)))  // end with a known accumulator, not a counter reading
        main.finish()
        // The handler times first, then acknowledges; the level interrupt's line is lowered
        // before its EOI so it is taken once per round.
        var handler = GuestScript()
        handler.observe(.cntvct, as: .ticks)
        handler.acknowledge()
        handler.remember(in: 0)
        let notLevel = handler.label()
        handler.append(.jumpIf(.notEqual, .immediate(UInt64(Method.levelInfo.intid)), notLevel))
        handler.host(lowerLevel)
        handler.bind(notLevel)
        handler.recall(0)
        handler.endOfInterrupt()
        handler.append(.end)
        var scenario = GuestScenario(vcpuCount: 1, programs: [GuestPrograms(main: try main.program(), irq: try handler.program())])
        var setup = GuestSetup.standard(vcpus: 1)
        for method in Method.allCases { setup += GuestSetup.interrupt(method.intid, priority: 0x80, edge: method != .levelInfo) }
        scenario.setup = setup
        scenario.calls = calls.actions
        return scenario
    }

    @Sendable static func check(_ outcome: GuestOutcome, _ context: GuestCheckContext) -> Outcome {
        var checks = GuestChecks()
        checks.expectCompleted(outcome)
        var expected: [UInt32] = []
        for method in Method.allCases { expected += [UInt32](repeating: method.intid, count: rounds) }
        checks.expect("acknowledged", outcome.trace.acknowledged(by: 0), expected)
        checks.expect("counter readings", outcome.trace.values(.ticks, of: 0).count, 2 * expected.count)
        return checks.verdict("\(expected.count) injections by \(Method.allCases.count) methods, each taken once")
    }

    /// Median ticks per method and the ratio of each median to `KVM_IRQ_LINE`'s.
    @Sendable static func figures(_ outcome: GuestOutcome) -> [Figure] {
        let ticks = outcome.trace.values(.ticks, of: 0)
        guard ticks.count == 2 * Method.allCases.count * rounds else { return [] }
        var medians: [Int64] = []
        for (index, _) in Method.allCases.enumerated() {
            var samples: [Int64] = []
            for round in 0..<rounds {
                let start = 2 * (index * rounds + round)
                samples.append(Int64(bitPattern: ticks[start + 1] &- ticks[start]))
            }
            samples.sort()
            medians.append(samples[rounds / 2])
        }
        var figures: [Figure] = []
        for (index, method) in Method.allCases.enumerated() {
            figures.append(Figure(name: "\(method.name)_ticks", value: medians[index], unit: "ticks"))
            if medians[0] > 0 {
                figures.append(Figure(name: "\(method.name)_ratio", value: medians[index] * 1000 / medians[0], unit: "permille"))
            }
        }
        return figures
    }
}
