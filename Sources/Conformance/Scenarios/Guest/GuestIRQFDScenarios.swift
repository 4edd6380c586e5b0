import GICModel
import GICVocabulary
import GuestHarness

/// The guest's side of irqfds (`irqfd.guest.*`, Conformance.docc/DeviceInterrupts.md): a device
/// line wired with `VGIC.connectIRQFD` and raised by a write to its eventfd, as the guest takes
/// it. An edge SPI is taken once however often it was signalled before the guest looked; a level
/// SPI with a resampler is taken once per assertion: the guest's EOI lowers the line and signals
/// the resample eventfd, and the host re-asserts when its device still has work.
///
/// The model predicts each trace (GuestModelMachine+IRQFD.swift): a signal is
/// `kvm_vgic_inject_irq` with level 1, and the EOI maintenance interrupt of the level SPI's list
/// register notifies the resampler when it is folded.
extension GuestCatalog {
    static var irqfd: [GuestCase] {
        [
            GuestCase("irqfd.guest.edge_once", build: { () throws(GuestProgramError) in try GuestIRQFDScenarios.edgeOnce() }) {
                outcome, _ in GuestIRQFDScenarios.checkEdgeOnce(outcome)
            },
            GuestCase("irqfd.guest.level_resample", build: { () throws(GuestProgramError) in try GuestIRQFDScenarios.levelResample() }) {
                outcome, _ in GuestIRQFDScenarios.checkLevelResample(outcome)
            },
            GuestCase("irqfd.guest.level_resample_no_exit", build: { () throws(GuestProgramError) in
                try GuestIRQFDScenarios.levelResampleWithoutExit()
            }) { outcome, context in GuestIRQFDScenarios.checkLevelResampleWithoutExit(outcome, context) },
        ]
    }
}

enum GuestIRQFDScenarios {
    static let edgeSPI: UInt32 = 44
    static let levelSPI: UInt32 = 45

    /// An edge SPI on GSI 12 (its default): the host signals the eventfd twice while the guest
    /// has interrupts masked, the guest opens a window and takes it once, EOIs it, and finds
    /// nothing more pending.
    static func edgeOnce() throws(GuestProgramError) -> GuestScenario {
        var calls = HostCalls()
        let signal = calls.call(.signalIRQFD(0))
        var main = GuestScript()
        main.host(signal)
        main.host(signal)
        main.takeInterrupts()
        main.observe(.iccIAR1)
        main.finish()

        var handler = GuestScript()
        handler.acknowledge()
        handler.endOfInterrupt()
        handler.append(.end)

        var scenario = GuestScenario(vcpuCount: 1, programs: [GuestPrograms(main: try main.program(), irq: try handler.program())])
        scenario.irqfds = [GuestIRQFD(spi: edgeSPI, gsi: nil, resample: false)]
        scenario.setup = GuestSetup.standard(vcpus: 1) + GuestSetup.interrupt(edgeSPI, priority: 0x80, edge: true)
        scenario.calls = calls.actions
        scenario.finalObservations = [.active(edgeSPI, vcpu: 0), .latch(edgeSPI, vcpu: 0), .line(edgeSPI, vcpu: 0)]
        return scenario
    }

    static func checkEdgeOnce(_ outcome: GuestOutcome) -> Outcome {
        var checks = GuestChecks()
        checks.expectCompleted(outcome)
        checks.expect("acknowledged", outcome.trace.acknowledged(by: 0), [edgeSPI])
        checks.expect("IAR1 after the handler", outcome.trace.values(.observed, of: 0), [1023])
        checks.expect("final active, latch, line", outcome.final, [.observed(0), .observed(0), .observed(0)])
        return checks.verdict("two signals, one interrupt")
    }

    /// A level SPI on GSI 30 with a resampler, handled the way a driver does: the handler
    /// acknowledges it, talks to its device (a host call: an exit, which reads the resample
    /// eventfd — 0, nothing acknowledged yet), EOIs it, and reads the resample eventfd again (1:
    /// the EOI lowered the line and signalled it). The first time it then asks the host to assert
    /// again (its device still has work); the second time it does not. Afterwards the resample
    /// eventfd is empty and nothing is pending.
    static func levelResample() throws(GuestProgramError) -> GuestScenario {
        var calls = HostCalls()
        let signal = calls.call(.signalIRQFD(0))
        let resample = calls.call(.takeResample(0))
        var main = GuestScript()
        main.host(signal)
        main.takeInterrupts()
        main.host(resample)
        main.observe(.iccIAR1)
        main.finish()

        var handler = GuestScript()
        let done = handler.label()
        handler.acknowledge()
        handler.remember(in: 0)
        handler.append(.increment(variable: 1))
        handler.host(resample)
        handler.recall(0)
        handler.endOfInterrupt()
        handler.host(resample)
        handler.recall(1)
        handler.append(.jumpIf(.notEqual, .immediate(1), done))
        handler.host(signal)
        handler.bind(done)
        handler.append(.end)

        var scenario = GuestScenario(vcpuCount: 1, programs: [GuestPrograms(main: try main.program(), irq: try handler.program())])
        scenario.irqfds = [GuestIRQFD(spi: levelSPI, gsi: 30, resample: true)]
        scenario.setup = GuestSetup.standard(vcpus: 1) + GuestSetup.interrupt(levelSPI, priority: 0x80, edge: false)
        scenario.calls = calls.actions
        scenario.finalObservations = [.active(levelSPI, vcpu: 0), .latch(levelSPI, vcpu: 0), .line(levelSPI, vcpu: 0)]
        return scenario
    }

    static func checkLevelResample(_ outcome: GuestOutcome) -> Outcome {
        var checks = GuestChecks()
        checks.expectCompleted(outcome)
        checks.expect("acknowledged, once per assertion", outcome.trace.acknowledged(by: 0), [levelSPI, levelSPI])
        checks.expect("resample counts: before each EOI, after it; none left", outcome.trace.observations, [0, 1, 0, 1, 0])
        checks.expect("IAR1 after the handlers", outcome.trace.values(.observed, of: 0), [1023])
        checks.expect("final active, latch, line", outcome.final, [.observed(0), .observed(0), .observed(0)])
        return checks.verdict("two assertions, two interrupts, two resamples")
    }

    static let quickSPI: UInt32 = 46

    /// A level SPI with a resampler whose handler acknowledges and EOIs it with no exit in
    /// between. 6.12 notifies the resampler when it folds the list register back (the register
    /// came back invalid with its EOI bit): the line is lowered, the resample eventfd reads 1,
    /// the interrupt is taken once. 7.x notifies only when the interrupt was active at the last
    /// fold (`deactivated`), which it never was: no notification, the line stays high and the
    /// guest takes the interrupt again; on that second entry the handler has the host lower the
    /// line itself (`KVM_IRQ_LINE`), as a VMM's timeout would
    /// (`KernelBehaviour.notifiesAckOnlyOnDeactivation`).
    static func levelResampleWithoutExit() throws(GuestProgramError) -> GuestScenario {
        var calls = HostCalls()
        let signal = calls.call(.signalIRQFD(0))
        let resample = calls.call(.takeResample(0))
        let lower = calls.call(.operandLine(level: false))
        var main = GuestScript()
        main.host(signal)
        main.takeInterrupts()
        main.host(resample)
        main.observe(.iccIAR1)
        main.finish()

        var handler = GuestScript()
        let done = handler.label()
        handler.acknowledge()
        handler.remember(in: 0)
        handler.append(.increment(variable: 1))
        handler.recall(0)
        handler.endOfInterrupt()
        handler.host(resample)
        handler.recall(1)
        handler.append(.jumpIf(.notEqual, .immediate(2), done))
        handler.host(lower, .variable(0))
        handler.bind(done)
        handler.append(.end)

        var scenario = GuestScenario(vcpuCount: 1, programs: [GuestPrograms(main: try main.program(), irq: try handler.program())])
        scenario.irqfds = [GuestIRQFD(spi: quickSPI, gsi: nil, resample: true)]
        scenario.setup = GuestSetup.standard(vcpus: 1) + GuestSetup.interrupt(quickSPI, priority: 0x80, edge: false)
        scenario.calls = calls.actions
        scenario.finalObservations = [.active(quickSPI, vcpu: 0), .latch(quickSPI, vcpu: 0), .line(quickSPI, vcpu: 0)]
        return scenario
    }

    static func checkLevelResampleWithoutExit(_ outcome: GuestOutcome, _ context: GuestCheckContext) -> Outcome {
        var checks = GuestChecks()
        checks.expectCompleted(outcome)
        if context.kernel.notifiesAckOnlyOnDeactivation {
            checks.expect("acknowledged twice: the EOI did not resample", outcome.trace.acknowledged(by: 0), [quickSPI, quickSPI])
            checks.expect("resample counts: never signalled", outcome.trace.observations, [0, 0, 0])
        } else {
            checks.expect("acknowledged once", outcome.trace.acknowledged(by: 0), [quickSPI])
            checks.expect("resample counts: the EOI, then none left", outcome.trace.observations, [1, 0])
        }
        checks.expect("IAR1 after the handlers", outcome.trace.values(.observed, of: 0), [1023])
        checks.expect("final active, latch, line", outcome.final, [.observed(0), .observed(0), .observed(0)])
        return checks.verdict(context.kernel.notifiesAckOnlyOnDeactivation
            ? "no resample without a fold between acknowledge and EOI" : "resampled on the EOI alone")
    }
}
