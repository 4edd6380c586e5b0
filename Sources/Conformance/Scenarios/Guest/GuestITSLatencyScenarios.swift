import GICModel
import GICVocabulary
import GuestHarness

/// LPI delivery latency, in guest counter ticks, beside `KVM_IRQ_LINE` in one VM
/// (`its.guest.figures.lpi_latency`): the guest reads the counter, asks the host to inject — an
/// edge SPI through `KVM_IRQ_LINE`, an LPI through `KVM_SIGNAL_MSI`, an LPI through an irqfd on
/// an MSI route — and its IRQ handler reads the counter first thing. Five rounds per method; the
/// figures are each median and its ratio to `KVM_IRQ_LINE`'s in per mille. The check is that
/// every injection was taken exactly once.
extension GuestCatalog {
    static var itsLatency: [GuestCase] {
        var guestCase = GuestCase(
            "its.guest.figures.lpi_latency", build: GuestITSLatencyScenarios.scenario, check: GuestITSLatencyScenarios.check)
        guestCase.figures = GuestITSLatencyScenarios.figures
        return [guestCase]
    }
}

enum GuestITSLatencyScenarios {
    enum Method: CaseIterable {
        case irqLine, signalMSI, irqfdMSI

        var name: String {
            switch self {
            case .irqLine: "irq_line"
            case .signalMSI: "signal_msi"
            case .irqfdMSI: "irqfd_msi_route"
            }
        }

        var intid: UInt32 {
            switch self {
            case .irqLine: 40
            case .signalMSI: ITSTableABI.firstLPI
            case .irqfdMSI: ITSTableABI.firstLPI + 1
            }
        }
    }

    static let rounds = 5

    @Sendable static func scenario() throws(GuestProgramError) -> GuestScenario {
        var calls = HostCalls()
        var main = GuestScript()
        for method in Method.allCases {
            for _ in 0..<rounds {
                main.observe(.cntvct, as: .ticks)
                switch method {
                case .irqLine: main.host(calls.call(.spiLine(method.intid, level: true)))
                case .signalMSI: main.host(calls.call(.signalMSI(device: 1, event: 0)))
                case .irqfdMSI: main.host(calls.call(.signalMSIRoute(0)))
                }
                main.takeInterrupts()
            }
        }
        main.append(.set(.immediate(0)))
        main.finish()
        var handler = GuestScript()
        handler.observe(.cntvct, as: .ticks)
        handler.acknowledge()
        handler.endOfInterrupt()
        handler.append(.end)
        var scenario = GuestScenario(vcpuCount: 1, programs: [GuestPrograms(main: try main.program(), irq: try handler.program())])
        scenario.hasITS = true
        scenario.msiRoutes = [GuestMSIRoute(device: 1, event: 1, gsi: 300)]
        let commands: [ITSCommand] = [
            .mapc(collection: 0, target: 0, valid: true), .mapd(device: 1, itt: GuestITS.itt(1), eventIDBits: 5, valid: true),
            .mapti(device: 1, event: 0, lpi: Method.signalMSI.intid, collection: 0),
            .mapti(device: 1, event: 1, lpi: Method.irqfdMSI.intid, collection: 0),
        ]
        scenario.setup = GuestSetup.standard(vcpus: 1) + GuestSetup.interrupt(Method.irqLine.intid, priority: 0x80, edge: true)
            + GuestITS.bringUp(vcpus: 1, priority: 0x80, commands: commands)
        scenario.calls = calls.actions
        return scenario
    }

    @Sendable static func check(_ outcome: GuestOutcome, _ context: GuestCheckContext) -> Outcome {
        var checks = GuestChecks()
        checks.expectCompleted(outcome)
        var expected: [UInt32] = []
        for method in Method.allCases { expected += [UInt32](repeating: method.intid, count: rounds) }
        checks.expect("acknowledged", outcome.trace.acknowledged(by: 0), expected)
        checks.expect("KVM_SIGNAL_MSI answers", outcome.trace.observations, [UInt64](repeating: 1, count: rounds))
        checks.expect("counter readings", outcome.trace.values(.ticks, of: 0).count, 2 * expected.count)
        return checks.verdict("\(expected.count) injections by \(Method.allCases.count) methods, each taken once")
    }

    /// Median ticks per method and the ratio of each median to `KVM_IRQ_LINE`'s.
    @Sendable static func figures(_ outcome: GuestOutcome) -> [Figure] {
        let ticks = outcome.trace.values(.ticks, of: 0)
        guard ticks.count == 2 * Method.allCases.count * rounds else { return [] }
        var medians: [Int64] = []
        for index in Method.allCases.indices {
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
