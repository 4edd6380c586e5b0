import GICModel
import GICVocabulary
import GuestHarness

/// LPI delivery latency (`its.figures.lpi_latency`), measured as `guest.figures.injection_latency`
/// measures SPIs and in the same VM as an SPI baseline: the guest reads the counter (CNTVCT_EL0),
/// calls the host, which injects, opens an interrupt window, and its handler reads the counter
/// first thing. Three methods, five rounds each: `KVM_IRQ_LINE` of an edge SPI, `KVM_SIGNAL_MSI`
/// of an event the guest mapped to an LPI, and an irqfd on an MSI route to another event's LPI.
/// The figures are each method's median in ticks and its ratio to `KVM_IRQ_LINE`'s in per mille;
/// the check is only that every injection was taken once. An irqfd's MSI whose translation is
/// not cached yet is injected by a kernel worker after the eventfd write returns, so the guest
/// waits (WFI) if the window found nothing; the median is of the cached path after the first round.
extension GuestCatalog {
    static var lpiLatency: [GuestCase] {
        var guestCase = GuestCase(
            "its.figures.lpi_latency", build: GuestLPILatencyScenarios.scenario, check: GuestLPILatencyScenarios.check)
        guestCase.figures = GuestLPILatencyScenarios.figures
        return [guestCase]
    }
}

enum GuestLPILatencyScenarios {
    /// The methods: name, and the INTID each raises.
    static let methods: [(name: String, intid: UInt32)] = [("irq_line", 40), ("signal_msi", 8192), ("msi_route", 8193)]
    static let rounds = 5

    @Sendable static func scenario() throws(GuestProgramError) -> GuestScenario {
        var calls = HostCalls()
        var driver = LPIDriver(vcpuCount: 1)
        var main = GuestScript()
        driver.bringUp(&main, lpis: [8192, 8193])
        driver.send([
            .mapc(collection: 0, target: 0, valid: true), .mapd(device: 0, itt: LPIGuestLayout.itt(0), eventIDBits: 5, valid: true),
            .mapti(device: 0, event: 0, lpi: 8192, collection: 0), .mapti(device: 0, event: 1, lpi: 8193, collection: 0),
            .sync(target: 0),
        ], &main)
        let actions: [HostAction] = [.spiLine(40, level: true), .signalMSI(device: 0, event: 0), .signalMSIRoute(0)]
        var taken: UInt64 = 0
        for action in actions {
            let call = calls.call(action)
            for _ in 0..<rounds {
                main.observe(.cntvct, as: .ticks)
                main.host(call)
                main.takeInterrupts()
                taken += 1
                main.waitForInterrupts(count: taken)
            }
        }
        main.append(.set(.immediate(0)))  // end with a known accumulator, not a counter reading
        main.finish()
        var handler = GuestScript()
        let done = handler.label()
        handler.observe(.cntvct, as: .ticks)
        handler.acknowledge()
        handler.append(.jumpIf(.equal, .immediate(1023), done))
        handler.endOfInterrupt()
        handler.append(.increment(variable: 1))
        handler.bind(done)
        handler.append(.end)
        var scenario = GuestScenario(vcpuCount: 1, programs: [GuestPrograms(main: try main.program(), irq: try handler.program())])
        scenario.its = true
        scenario.msiRoutes = [GuestMSIRoute(device: 0, event: 1, gsi: 200)]
        scenario.setup = GuestSetup.standard(vcpus: 1) + GuestSetup.interrupt(40, priority: 0x80, edge: true)
        scenario.calls = calls.actions
        return scenario
    }

    @Sendable static func check(_ outcome: GuestOutcome, _ context: GuestCheckContext) -> Outcome {
        var checks = GuestChecks()
        checks.expectCompleted(outcome)
        var expected: [UInt32] = []
        for method in methods { expected += [UInt32](repeating: method.intid, count: rounds) }
        checks.expect("taken", outcome.trace.acknowledged(by: 0), expected)
        checks.expect("counter readings", outcome.trace.values(.ticks, of: 0).count, 2 * expected.count)
        return checks.verdict("\(expected.count) injections (KVM_IRQ_LINE, KVM_SIGNAL_MSI, irqfd on an MSI route), each taken once")
    }

    /// Median ticks per method and each median's ratio to `KVM_IRQ_LINE`'s.
    @Sendable static func figures(_ outcome: GuestOutcome) -> [Figure] {
        let ticks = outcome.trace.values(.ticks, of: 0)
        guard ticks.count == 2 * methods.count * rounds else { return [] }
        var medians: [Int64] = []
        for index in methods.indices {
            var samples: [Int64] = []
            for round in 0..<rounds {
                let start = 2 * (index * rounds + round)
                samples.append(Int64(bitPattern: ticks[start + 1] &- ticks[start]))
            }
            samples.sort()
            medians.append(samples[rounds / 2])
        }
        var figures: [Figure] = []
        for (index, method) in methods.enumerated() {
            figures.append(Figure(name: "\(method.name)_ticks", value: medians[index], unit: "ticks"))
            if index > 0, medians[0] > 0 {
                figures.append(Figure(name: "\(method.name)_ratio", value: medians[index] * 1000 / medians[0], unit: "permille"))
            }
        }
        return figures
    }
}
