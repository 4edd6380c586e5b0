import CKVM
import GICModel
import GICSnapshot
import GICVocabulary
import KVM
import MinimalVMM
import VGIC

/// A real Linux guest on the library's GIC: Debian's arm64 kernel, the one the lab machine
/// booted, run by the minimal VMM on the in-kernel vgic-v3 (Conformance.docc/LinuxGuest.md).
/// Each scenario boots its own guest (≈ 10–20 s under the lab's QEMU).
extension ScenarioCatalog {
    public static var linux: [Scenario] {
        [
            Scenario("linux.boot.v3", requires: [.guestExecution]) { context in LinuxScenarios.boot(&context, its: false) },
            Scenario("linux.boot.v3_its", requires: [.guestExecution]) { context in LinuxScenarios.boot(&context, its: true) },
            Scenario("linux.timer.v3", requires: [.guestExecution]) { context in LinuxScenarios.timer(&context) },
            Scenario("linux.uart.v3", requires: [.guestExecution]) { context in LinuxScenarios.uart(&context, wiring: .irqfd) },
            Scenario("linux.uart.v3_irq_line", requires: [.guestExecution]) { context in LinuxScenarios.uart(&context, wiring: .irqLine) },
            Scenario("linux.smp.v3", requires: [.guestExecution]) { context in LinuxScenarios.smp(&context) },
            Scenario("linux.migration.v3", requires: [.guestExecution]) { context in LinuxMigrationScenario.run(&context) },
        ]
    }
}

enum LinuxScenarios {
    static let seed: UInt64 = 0x11_6E_57_0000_0000

    /// Boots a guest (with an ITS when asked), runs `body` on it, stops it; a boot that fails or
    /// a guest that never reaches its init fails the scenario, with the console and the vCPUs'
    /// counts.
    static func withGuest(
        _ context: inout ScenarioContext, its: Bool = false, wiring: SPILevelLine.Wiring = .irqfd, _ body: (inout LinuxSession, inout VGICInitChecks) throws(ScenarioFailure) -> Void
    ) -> Outcome {
        var session: LinuxSession
        do throws(ScenarioFailure) {
            session = try LinuxSession(context, LinuxMachineConfiguration(its: its, uartWiring: wiring), seed: seed)
        } catch {
            return error.outcome()
        }
        context.record("boot_to_init", session.bootToInit, unit: "ms")
        if let initUptime = session.firstReport?.value(of: "INIT").flatMap({ Int64($0) }) {
            context.record("guest_uptime_at_init", initUptime, unit: "ms")
        }
        var checks = VGICInitChecks()
        do throws(ScenarioFailure) {
            try body(&session, &checks)
        } catch {
            session.machine.stop()
            return error.outcome()
        }
        session.machine.stop()
        for (index, statistics) in session.machine.vcpuStatistics.enumerated() {
            checks.check("vCPU \(index) ran without a failure (\(statistics.failure ?? ""))", statistics.failure == nil)
            checks.expect("vCPU \(index) MMIO outside every device", statistics.unclaimedAccesses, 0)
        }
        context.record("uart_line_calls", Int64(session.machine.console.lineCalls), unit: "count")
        context.record("uart_acknowledgements", Int64(session.machine.console.acknowledgementsTaken), unit: "count")
        checks.check("the UART's line (\(session.machine.console.wiring.map { "\($0)" } ?? "detached")) never refused", session.machine.console.lineError == nil)
        return checks.outcome
    }

    /// `linux.boot.v3` / `linux.boot.v3_its`: the guest reaches its init, and its log shows the
    /// GIC driver probing what the devicetree described — 32 SPIs, one redistributor per CPU in
    /// the legacy block, the ITS when there is one — PSCI at the kernel line's version, and all
    /// four CPUs online; /proc/interrupts names the timer (PPI 27) and the UART (SPI 33).
    static func boot(_ context: inout ScenarioContext, its: Bool) -> Outcome {
        let behaviour = KernelBehaviour(release: context.kernelRelease) ?? .linux7
        return withGuest(&context, its: its) { session, checks throws(ScenarioFailure) in
            guard let report = session.firstReport else { throw .fail("no READY report") }
            let log = report.values(of: "KLOG")
            checks.check("the GIC driver found 32 SPIs", LinuxGuest.anyLine(log, containing: "GICv3: 32 SPIs implemented"))
            for cpu in 0..<4 {
                let base = LinuxMachineConfiguration.redistributorBase + UInt64(cpu) * 0x2_0000
                let text = "CPU\(cpu): found redistributor \(cpu) region 0:" + LinuxGuest.hex16(base)
                checks.check("the GIC driver found \(text)", LinuxGuest.anyLine(log, containing: text))
            }
            let version = behaviour.defaultPSCIVersion
            let psci = "psci: PSCIv\(version >> 16).\(version & 0xFFFF) detected in firmware."
            checks.check("the guest found \(psci) (\(behaviour))", LinuxGuest.anyLine(log, containing: psci))
            if its {
                let window = "ITS [mem " + LinuxGuest.hex16(LinuxMachineConfiguration.itsBase, digits: 8) + "-"
                    + LinuxGuest.hex16(LinuxMachineConfiguration.itsBase + 0x1_FFFF, digits: 8) + "]"
                checks.check("the ITS driver found \(window)", LinuxGuest.anyLine(log, containing: window))
                checks.check("the ITS driver probed it", LinuxGuest.anyLine(log, containing: "ITS@" + LinuxGuest.hex16(LinuxMachineConfiguration.itsBase)))
            } else {
                checks.check("no ITS is probed without one", !LinuxGuest.anyLine(log, containing: "ITS@"))
            }
            checks.expect("CPUs online", report.value(of: "CPUS"), "0-3")
            checks.expect("arch_timer's hardware interrupt", report.interrupt("arch_timer")?.hardwareIRQ.map { String($0) }, "27")
            checks.expect("uart-pl011's hardware interrupt", report.interrupt("uart-pl011")?.hardwareIRQ.map { String($0) }, "33")
            checks.expect("CPUs in /proc/interrupts", report.interrupt("arch_timer")?.perCPU.count, 4)
        }
    }

    /// `linux.timer.v3`: the virtual timer's interrupt (PPI 27, KVM's mapped timer) keeps
    /// arriving: the arch_timer count grows between two reads of /proc/interrupts, and the
    /// guest's clock moves on.
    static func timer(_ context: inout ScenarioContext) -> Outcome {
        withGuest(&context) { session, checks throws(ScenarioFailure) in
            let first = try session.ask(LinuxSession.reportInterrupts)
            let second = try session.ask(LinuxSession.spinAndReport)
            guard let before = first.interrupt("arch_timer"), let after = second.interrupt("arch_timer") else {
                throw .fail("no arch_timer row in /proc/interrupts")
            }
            checks.check("arch_timer grew: \(before.total) → \(after.total)", after.total > before.total)
            let uptime = (first.value(of: "UPTIME").flatMap { Int64($0) }, second.value(of: "UPTIME").flatMap { Int64($0) })
            if let start = uptime.0, let end = uptime.1 {
                checks.check("the guest's clock ran at least the 200 ms spun: \(start) → \(end) ms", end - start >= 200)
            } else {
                checks.check("UPTIME reported", false)
            }
        }
    }

    /// `linux.uart.v3` / `linux.uart.v3_irq_line`: bytes sent to the PL011 reach the guest
    /// through its receive interrupt, a level-sensitive SPI wired through an irqfd with a
    /// resampler (or driven with `KVM_IRQ_LINE`), each exactly once: one byte, a few, then a burst
    /// of 40 (more than the 16-entry FIFO), echoed back in order. On an irqfd the guest's
    /// acknowledgements come back on the resample eventfd.
    static func uart(_ context: inout ScenarioContext, wiring: SPILevelLine.Wiring) -> Outcome {
        withGuest(&context, wiring: wiring) { session, checks throws(ScenarioFailure) in
            checks.expect("the UART's wiring", session.machine.console.wiring, wiring)
            let before = try session.ask(LinuxSession.reportInterrupts)
            for count in [1, 7, 40] {
                session.sendEcho(count)
                try session.awaitEcho()
            }
            let after = try session.ask(LinuxSession.reportInterrupts)
            checks.expect("bytes echoed", session.machine.stream.echo.count, 48)
            guard let from = before.interrupt("uart-pl011"), let to = after.interrupt("uart-pl011") else {
                throw .fail("no uart-pl011 row in /proc/interrupts")
            }
            checks.check("uart-pl011 interrupts grew: \(from.total) → \(to.total)", to.total > from.total)
            checks.check("the line ends low", !session.machine.console.lineLevel)
            let acknowledgements = session.machine.console.acknowledgementsTaken
            switch wiring {
            case .irqfd: checks.check("the guest's acknowledgements came back on the resample eventfd (\(acknowledgements))", acknowledgements > 0)
            case .irqLine: checks.expect("no resample eventfd, no acknowledgements", acknowledgements, 0)
            }
        }
    }

    /// `linux.smp.v3`: vCPUs 1–3 start powered off and come up through the guest's own PSCI
    /// CPU_ON, which KVM handles in the kernel (the VMM sees no exit); each then takes its own
    /// timer interrupts: every per-CPU arch_timer count grows while the guest keeps each CPU busy.
    static func smp(_ context: inout ScenarioContext) -> Outcome {
        withGuest(&context) { session, checks throws(ScenarioFailure) in
            guard let report = session.firstReport else { throw .fail("no READY report") }
            let log = report.values(of: "KLOG")
            for cpu in 1..<4 {
                let text = "CPU\(cpu): Booted secondary processor " + LinuxGuest.hex16(UInt64(cpu), digits: 10)
                checks.check("the guest logged \"\(text)\"", LinuxGuest.anyLine(log, containing: text))
            }
            checks.expect("CPUs online", report.value(of: "CPUS"), "0-3")
            let states: [MPState]
            do throws(MachineError) {
                states = try session.machine.whilePaused { vcpus, _ in
                    vcpus.identities.map { identity in LinuxGuest.mpState(of: identity.id, in: &vcpus) }
                }
            } catch {
                throw .fail("pausing to read the power states: \(error)")
            }
            for (index, state) in states.enumerated() { checks.expect("vCPU \(index) power state", state, .runnable) }
            let first = try session.ask(LinuxSession.reportInterrupts)
            let second = try session.ask(LinuxSession.spinAndReport)
            guard let before = first.interrupt("arch_timer"), let after = second.interrupt("arch_timer"),
                before.perCPU.count == 4, after.perCPU.count == 4
            else { throw .fail("no arch_timer row for 4 CPUs") }
            for cpu in 0..<4 {
                checks.check(
                    "CPU \(cpu) took timer interrupts: \(before.perCPU[cpu]) → \(after.perCPU[cpu])", after.perCPU[cpu] > before.perCPU[cpu])
            }
        }
    }
}
