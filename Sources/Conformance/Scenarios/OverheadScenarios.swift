import CKVM
import GICVocabulary
import KVM
import VGIC

/// What the typed Swift API costs over a raw C loop of the same ioctls, in the same boot and
/// on the same vgic (figures only; the target is a ratio of at most 1.05, printed
/// as permille, never asserted: timings under emulation are not a test verdict).
///
/// The two loops alternate for several rounds and each side keeps its fastest round, so a
/// burst of host noise does not land on one side only. The C loops are in CKVM/ckvm_lab.h.
extension ScenarioCatalog {
    public static var overhead: [Scenario] {
        [
            Scenario("overhead.v3.irq_line") { context in OverheadScenarios.irqLine(&context) },
            Scenario("overhead.v3.get_device_attr") { context in OverheadScenarios.getDeviceAttr(&context) },
        ]
    }
}

enum OverheadScenarios {
    /// Iterations per round (each a raise and a lower for IRQ_LINE), and rounds per side.
    static let iterations: Int32 = 500
    static let rounds = 5

    /// `setLevel(spi, true/false)` against `ckvm_baseline_irq_line_loop` on the same word.
    static func irqLine(_ context: inout ScenarioContext) -> Outcome {
        var figures: (swift: Int64, c: Int64) = (0, 0)
        let outcome = LabMachine.withVGIC(vcpus: 1) { _, vgic, _ throws(VGICError) in
            let spi = try InjectionScenarios.spiValue(40)
            let word = IRQLineWord.spi(spi).rawValue
            var failure: String?
            figures = measure(
                swift: { () throws(VGICError) in
                    for _ in 0..<iterations {
                        try vgic.setLevel(spi, true)
                        try vgic.setLevel(spi, false)
                    }
                },
                c: { vgic.withRawVMDescriptor { fd in ckvm_baseline_irq_line_loop(fd, word, iterations) } },
                failure: &failure)
            return failure.map { .fail($0) } ?? .pass("\(iterations * 2) KVM_IRQ_LINE per round, \(rounds) rounds each")
        }
        return record(outcome, figures, perOperation: Int64(iterations) * 2, "irq_line", &context)
    }

    /// `distributorRegister(.gicdCTLR)` against `ckvm_baseline_get_attr_loop` on DIST_REGS 0.
    static func getDeviceAttr(_ context: inout ScenarioContext) -> Outcome {
        var figures: (swift: Int64, c: Int64) = (0, 0)
        let outcome = LabMachine.withVGIC(vcpus: 1) { _, vgic, _ throws(VGICError) in
            var failure: String?
            let group = AttributeGroup.distributorRegisters.rawValue
            figures = measure(
                swift: { () throws(VGICError) in
                    for _ in 0..<iterations { _ = try vgic.distributorRegister(.gicdCTLR) }
                },
                c: { vgic.withRawDeviceDescriptor { fd in ckvm_baseline_get_attr_loop(fd, group, 0, iterations) } },
                failure: &failure)
            return failure.map { .fail($0) } ?? .pass("\(iterations) KVM_GET_DEVICE_ATTR per round, \(rounds) rounds each")
        }
        return record(outcome, figures, perOperation: Int64(iterations), "get_device_attr", &context)
    }

    /// Alternates the two loops `rounds` times; the fastest round of each, in ns.
    private static func measure(
        swift: () throws(VGICError) -> Void, c: () -> Int32, failure: inout String?
    ) -> (swift: Int64, c: Int64) {
        var best: (swift: Int64, c: Int64) = (.max, .max)
        for _ in 0..<rounds {
            var start = ckvm_monotonic_ns()
            do throws(VGICError) { try swift() } catch { failure = "Swift loop: \(error)"; return best }
            best.swift = min(best.swift, ckvm_monotonic_ns() - start)
            start = ckvm_monotonic_ns()
            let result = c()
            if result != 0 { failure = "C loop: \(Errno(rawValue: -result))"; return best }
            best.c = min(best.c, ckvm_monotonic_ns() - start)
        }
        return best
    }

    private static func record(
        _ outcome: Outcome, _ figures: (swift: Int64, c: Int64), perOperation count: Int64, _ name: String,
        _ context: inout ScenarioContext
    ) -> Outcome {
        guard case .pass = outcome, figures.c > 0 else { return outcome }
        context.record("\(name)_swift", figures.swift / count, unit: "ns/op")
        context.record("\(name)_c", figures.c / count, unit: "ns/op")
        let permille = figures.swift * 1000 / figures.c
        context.record("\(name)_ratio", permille, unit: "permille")
        return outcome.annotated("Swift/C \(permille / 1000).\(String(permille % 1000).leftPadded(to: 3)) (target <= 1.050)")
    }
}

extension String {
    /// Left-pads with zeros (for fixed-point figures without Double formatting).
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
