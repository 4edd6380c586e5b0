import CKVM
import GICVocabulary
import KVM
import VGIC

/// What the typed Swift API costs over a raw C loop of the same ioctls, in the same boot and
/// on the same vgic (figures only; the target is a ratio of at most 1.05, printed
/// as permille, never asserted: timings under emulation are not a test verdict).
///
/// The two loops are interleaved round by round (Swift, C, Swift, C, ...), so a burst of host
/// noise or a drift in clock speed lands on both sides; each side reports its fastest and its
/// median round, and the figure is the ratio of the medians. The C loops are in CKVM/ckvm_lab.h.
/// The deterministic counterpart, instructions per call counted by callgrind against a null
/// kernel, is `Scripts/bench-instructions.sh`.
extension ScenarioCatalog {
    public static var overhead: [Scenario] {
        [
            Scenario("overhead.v3.irq_line", requires: [.kernelDescriptors]) { context in OverheadScenarios.irqLine(&context) },
            Scenario("overhead.v3.get_device_attr", requires: [.kernelDescriptors]) { context in
                OverheadScenarios.getDeviceAttr(&context)
            },
        ]
    }
}

enum OverheadScenarios {
    /// Iterations per round (each a raise and a lower for IRQ_LINE), and rounds per side (odd,
    /// so the median is the middle round).
    static let iterations: Int32 = 500
    static let rounds = 9

    /// `setLevel(spi, true/false)` against `ckvm_baseline_irq_line_loop` on the same word.
    static func irqLine(_ context: inout ScenarioContext) -> Outcome {
        var times = (swift: RoundTimes(), c: RoundTimes())
        let outcome = LabMachine.withVGIC(context, vcpus: 1) { _, vgic, _ throws(VGICError) in
            let spi = try InjectionScenarios.spiValue(40)
            let word = IRQLineWord.spi(spi).rawValue
            var failure: String?
            times = measure(
                swift: { () throws(VGICError) in
                    for _ in 0..<iterations {
                        try vgic.setLevel(spi, true)
                        try vgic.setLevel(spi, false)
                    }
                },
                c: { vgic.withRawVMDescriptor { fd in ckvm_baseline_irq_line_loop(fd, word, iterations) } },
                failure: &failure)
            return failure.map { .fail($0) } ?? .pass("\(iterations * 2) KVM_IRQ_LINE per round, \(rounds) rounds each, interleaved")
        }
        return record(outcome, times, perOperation: Int64(iterations) * 2, "irq_line", &context)
    }

    /// `distributorRegister(.gicdCTLR)` against `ckvm_baseline_get_attr_loop` on DIST_REGS 0.
    static func getDeviceAttr(_ context: inout ScenarioContext) -> Outcome {
        var times = (swift: RoundTimes(), c: RoundTimes())
        let outcome = LabMachine.withVGIC(context, vcpus: 1) { _, vgic, _ throws(VGICError) in
            var failure: String?
            let group = AttributeGroup.distributorRegisters.rawValue
            times = measure(
                swift: { () throws(VGICError) in
                    for _ in 0..<iterations { _ = try vgic.distributorRegister(.gicdCTLR) }
                },
                c: { vgic.withRawDeviceDescriptor { fd in ckvm_baseline_get_attr_loop(fd, group, 0, iterations) } },
                failure: &failure)
            return failure.map { .fail($0) } ?? .pass("\(iterations) KVM_GET_DEVICE_ATTR per round, \(rounds) rounds each, interleaved")
        }
        return record(outcome, times, perOperation: Int64(iterations), "get_device_attr", &context)
    }

    /// Runs the two loops alternately, `rounds` times each; every round's duration, in ns.
    private static func measure(
        swift: () throws(VGICError) -> Void, c: () -> Int32, failure: inout String?
    ) -> (swift: RoundTimes, c: RoundTimes) {
        var times = (swift: RoundTimes(), c: RoundTimes())
        for _ in 0..<rounds {
            var start = ckvm_monotonic_ns()
            do throws(VGICError) { try swift() } catch { failure = "Swift loop: \(error)"; return times }
            times.swift.append(ckvm_monotonic_ns() - start)
            start = ckvm_monotonic_ns()
            let result = c()
            if result != 0 { failure = "C loop: \(Errno(rawValue: -result))"; return times }
            times.c.append(ckvm_monotonic_ns() - start)
        }
        return times
    }

    /// Records min and median per operation of each side and the ratio of the medians.
    static func record(
        _ outcome: Outcome, _ times: (swift: RoundTimes, c: RoundTimes), perOperation count: Int64, _ name: String,
        _ context: inout ScenarioContext
    ) -> Outcome {
        guard case .pass = outcome, times.c.median > 0, count > 0 else { return outcome }
        context.record("\(name)_swift_min", times.swift.minimum / count, unit: "ns/op")
        context.record("\(name)_swift_median", times.swift.median / count, unit: "ns/op")
        context.record("\(name)_c_min", times.c.minimum / count, unit: "ns/op")
        context.record("\(name)_c_median", times.c.median / count, unit: "ns/op")
        let medians = RoundTimes.permille(times.swift.median, over: times.c.median)
        let minima = RoundTimes.permille(times.swift.minimum, over: times.c.minimum)
        context.record("\(name)_ratio", medians, unit: "permille")
        context.record("\(name)_ratio_min", minima, unit: "permille")
        return outcome.annotated(
            "Swift/C median \(RoundTimes.decimal(permille: medians)), min \(RoundTimes.decimal(permille: minima)) (target <= 1.050)")
    }
}
