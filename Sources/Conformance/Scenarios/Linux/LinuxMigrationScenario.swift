import CheckedVGIC
import CKVM
import GICModel
import GICSnapshot
import GICVocabulary
import KVM
import MinimalVMM

/// `linux.migration.v3`: the running guest is moved into a fresh VM twenty times at seeded random
/// moments, and once while a burst is in flight, and must not notice (Conformance.docc/LinuxGuest.md,
/// "Live migration").
enum LinuxMigrationScenario {
    static let seed: UInt64 = 0x11_6E_57_0000_0015
    static let migrations = 20

    /// How a round chooses its moment.
    enum Moment: Equatable, CustomStringConvertible {
        /// After a random run with echo traffic, bytes sent between capture and restore (the
        /// line detached): they raise the target's SPI.
        case random
        /// After a random run, bytes sent while the vCPUs are stopped and before capture: the
        /// source's SPI is raised (a level), the GIC snapshot carries it into the target.
        case levelAsserted
        /// The vCPU that next reads received data stops itself: the UART's SPI is active in the
        /// guest at capture, with its priority in that vCPU's ICC_AP1R0_EL1.
        case activeInHandler
        /// A few milliseconds after a burst of 200 bytes (13 FIFO refills, an interrupt each).
        case burst

        var description: String {
            switch self {
            case .random: "random"
            case .levelAsserted: "level asserted"
            case .activeInHandler: "active in handler"
            case .burst: "burst"
            }
        }
    }

    /// The moment of round `round` of `count`: the three kinds in turn, the burst last.
    static func moment(_ round: Int, of count: Int) -> Moment {
        round == count ? .burst : [Moment.random, .levelAsserted, .activeInHandler][round % 3]
    }

    static func run(_ context: inout ScenarioContext) -> Outcome {
        let count = context.budget.count(migrations)
        let behaviour = KernelBehaviour(release: context.kernelRelease) ?? .linux7
        var session: LinuxSession
        do throws(ScenarioFailure) {
            session = try LinuxSession(context, LinuxMachineConfiguration(), seed: seed)
        } catch {
            return error.outcome()
        }
        context.record("boot_to_init", session.bootToInit, unit: "ms")
        let kvm: KVM
        do throws(ScenarioFailure) { kvm = try LabKernel.open(context) } catch { return error.outcome() }

        var checks = VGICInitChecks()
        var reports: [MigrationReport] = []
        let before: GuestReport
        let after: GuestReport
        do throws(ScenarioFailure) {
            before = try session.ask(LinuxSession.spinAndReport)
            for round in 0...count {
                let moment = moment(round, of: count)
                let report = try migrate(&session, kvm: kvm, moment: moment)
                check(report, round: round, moment: moment, behaviour: behaviour, &checks)
                reports.append(report)
                try session.awaitEcho()
            }
            after = try session.ask(LinuxSession.spinAndReport)
        } catch {
            session.machine.stop()
            return error.outcome(prefix: "after \(reports.count) migrations")
        }
        session.machine.stop()

        if let file = reports.first?.capturedRegisters.first { LinuxRegisterChecks.list(file, behaviour: behaviour, &checks) }
        if let from = before.interrupt("arch_timer"), let to = after.interrupt("arch_timer"), from.perCPU.count == to.perCPU.count {
            for cpu in from.perCPU.indices {
                checks.check("CPU \(cpu)'s timer kept ticking: \(from.perCPU[cpu]) → \(to.perCPU[cpu])", to.perCPU[cpu] > from.perCPU[cpu])
            }
        } else {
            checks.check("arch_timer rows before and after", false)
        }
        if let from = before.interrupt("uart-pl011"), let to = after.interrupt("uart-pl011") {
            checks.check("uart-pl011 interrupts kept arriving: \(from.total) → \(to.total)", to.total > from.total)
        }
        checks.expect("bytes echoed, each once", session.machine.stream.echo.count, session.sent.count)
        checks.check("the UART's line (\(session.machine.console.wiring.map { "\($0)" } ?? "detached")) never refused", session.machine.console.lineError == nil)
        for (index, statistics) in session.machine.vcpuStatistics.enumerated() {
            checks.check("vCPU \(index) ran without a failure (\(statistics.failure ?? ""))", statistics.failure == nil)
        }
        LinuxMigrationFigures.record(reports, echoed: session.sent.count, &context)
        let outcome = checks.outcome
        guard case .pass(let text) = outcome else { return outcome }
        return .pass("\(reports.count) migrations (\(count) at random moments, 1 in a burst), \(session.sent.count) bytes echoed once each; " + text)
    }

    /// What every migration must show, and what its moment promises.
    static func check(_ report: MigrationReport, round: Int, moment: Moment, behaviour: KernelBehaviour, _ checks: inout VGICInitChecks) {
        let name = "migration \(round + 1) (\(moment))"
        checks.check("\(name): no register refused (" + report.refusals.joined(separator: "; ") + ")", report.refusals.isEmpty)
        checks.check("\(name): the target's GIC reads back as restored", report.gicReadsBack == true)
        checks.check("\(name): the console's line level is the GIC's", report.lineLevelAgrees)
        for difference in report.differences where !LinuxRegisterChecks.expected(difference, behaviour: behaviour) {
            checks.check("\(name): unexpected read-back difference \(difference)", false)
        }
        LinuxRegisterChecks.timerControls(report, behaviour: behaviour, name: name, &checks)
        switch moment {
        case .activeInHandler:
            checks.check("\(name): the UART's SPI is active at capture", report.uartActiveAtCapture)
            checks.check("\(name): a vCPU is inside a handler (ICC_AP1R0_EL1)", !report.vcpusInHandlersAtCapture.isEmpty)
        case .levelAsserted:
            checks.check("\(name): received bytes wait in the FIFO at capture", report.uartFIFOBytesAtCapture > 0)
            checks.check("\(name): the UART's line is high at capture (LEVEL_INFO)", report.uartLevelAtCapture)
        case .burst:
            checks.check(
                "\(name): the burst is in flight at capture (\(report.uartFIFOBytesAtCapture) in the FIFO, \(report.uartLineBytesAtCapture) on the line)",
                report.uartFIFOBytesAtCapture + report.uartLineBytesAtCapture > 0)
        case .random:
            break
        }
    }

    /// One round: run the guest for a random while with echo traffic, then migrate at `moment`.
    static func migrate(_ session: inout LinuxSession, kvm: borrowing KVM, moment: Moment) throws(ScenarioFailure) -> MigrationReport {
        var duringPause: [UInt8] = []
        var beforeCapture: [UInt8] = []
        switch moment {
        case .random, .levelAsserted:
            for _ in 0..<(1 + Int(session.random.below(4))) {
                ckvm_sleep_us(Int64(5_000 + session.random.below(60_000)))
                session.sendEcho(Int(session.random.below(6)))
            }
            let pending = session.echoBytes(1 + Int(session.random.below(5)))
            if moment == .random { duringPause = pending } else { beforeCapture = pending }
        case .activeInHandler:
            session.machine.armPauseOnReceiveRead()
            session.sendEcho(4 + Int(session.random.below(8)))
            let deadline = ckvm_monotonic_ns() + 10_000_000_000
            while !session.machine.receiveReadHappened && ckvm_monotonic_ns() < deadline { ckvm_sleep_us(200) }
            guard session.machine.receiveReadHappened else { throw .fail("no vCPU read the UART's received data within 10 s") }
        case .burst:
            session.sendEcho(200)
            ckvm_sleep_us(Int64(session.random.below(30_000)))
        }
        let report: MigrationReport
        do throws(MachineError) {
            report = try session.machine.migrate(
                on: kvm, beforeCapture: { console in if !beforeCapture.isEmpty { console.send(beforeCapture) } },
                duringPause: { console in if !duringPause.isEmpty { console.send(duringPause) } })
        } catch {
            throw .fail("migration \(session.machine.migrations + 1) (\(moment)): \(error)")
        }
        session.remember(beforeCapture)
        session.remember(duringPause)
        return report
    }
}
