import GICModel
import GICVocabulary
import GuestHarness

/// The guest harness itself, on the real kernel: the report channel and the interpreter's
/// operations, the fault report, the watchdog, several vCPUs with their own entry, stack and id.
/// Every other guest scenario relies on these.
extension GuestCatalog {
    static var harness: [GuestCase] {
        [
            GuestCase("guest.harness.report_channel", build: GuestHarnessScenarios.reportChannel, check: GuestHarnessScenarios.checkReportChannel),
            GuestCase("guest.harness.fault_report", build: GuestHarnessScenarios.faultReport, check: GuestHarnessScenarios.checkFaultReport),
            GuestCase("guest.harness.watchdog", build: GuestHarnessScenarios.watchdog, check: GuestHarnessScenarios.checkWatchdog),
            GuestCase("guest.harness.four_vcpus", build: GuestHarnessScenarios.fourVCPUs, check: GuestHarnessScenarios.checkFourVCPUs),
        ]
    }
}

enum GuestHarnessScenarios {
    /// The interpreter's arithmetic, variables, jumps, log and a host call with an operand, all
    /// reported back exactly: 7 + 5 = 12, (12 << 4) | 3 = 0xC3, & 0xF0 = 0xC0, >> 4 = 0xC, − 2 =
    /// 0xA; a loop logs 3, 2, 1; the host call receives 0xA; MPIDR_EL1 reads the affinity the
    /// kernel reports; the program ends with 0xBEEF.
    @Sendable static func reportChannel() throws(GuestProgramError) -> GuestScenario {
        var calls = HostCalls()
        var main = GuestScript()
        main.append(.log(.marker, .immediate(0x1234)))
        main.append(.set(.immediate(7)))
        main.append(.add(.immediate(5)))
        main.append(.log(.observed, .accumulator))
        main.append(.shiftLeft(.immediate(4)))
        main.append(.or(.immediate(3)))
        main.append(.log(.observed, .accumulator))
        main.append(.and(.immediate(0xF0)))
        main.append(.shiftRight(.immediate(4)))
        main.append(.subtract(.immediate(2)))
        main.append(.log(.observed, .accumulator))
        main.host(calls.call(.observe(.systemRegister(.iccPMR, vcpu: 0))), .accumulator)
        main.append(.store(variable: 3, .immediate(3)))
        let loop = main.label()
        main.bind(loop)
        main.append(.log(.observed, .variable(3)))
        main.append(.set(.variable(3)))
        main.append(.subtract(.immediate(1)))
        main.append(.store(variable: 3, .accumulator))
        main.append(.jumpIf(.notEqual, .immediate(0), loop))
        main.observe(.mpidr)
        main.append(.drainLog)
        main.append(.set(.immediate(0xBEEF)))
        main.append(.end)
        var scenario = GuestScenario(vcpuCount: 1, programs: [GuestPrograms(main: try main.program())])
        scenario.calls = calls.actions
        return scenario
    }

    @Sendable static func checkReportChannel(_ outcome: GuestOutcome, _ context: GuestCheckContext) -> Outcome {
        var checks = GuestChecks()
        checks.expectCompleted(outcome)
        let mpidr = 0x8000_0000 | UInt64(context.affinities.first?.packed ?? 0)
        checks.expect("logged values", outcome.trace.values(.observed, of: 0) , [12, 0xC3, 0xA, 3, 2, 1, mpidr])
        checks.expect("marker", outcome.trace.values(.marker, of: 0), [0x1234])
        // The host call comes first (logs reach the host at the drain), with the operand the guest
        // computed; it reads PMR, 0 at reset.
        checks.expect("events", outcome.trace.events.filter { if case .logged = $0 { return false } else { return true } },
            [.called(vcpu: 0, call: 0, operand: 0xA, .observed(0)), .finished(vcpu: 0, accumulator: 0xBEEF)])
        return checks.verdict("\(outcome.trace.events.count) events reported exactly")
    }

    /// `UDF #0` in the main program: the runtime reports a synchronous exception from EL1 with
    /// SP_ELx (vector 4), EC 0 (unknown reason), ELR at the UDF, and powers the VM off; the host
    /// ends the scenario with that report instead of waiting.
    @Sendable static func faultReport() throws(GuestProgramError) -> GuestScenario {
        var main = GuestScript()
        main.append(.log(.marker, .immediate(1)))
        main.append(.drainLog)
        main.append(.undefinedInstruction)
        main.append(.end)
        return GuestScenario(vcpuCount: 1, programs: [GuestPrograms(main: try main.program())])
    }

    @Sendable static func checkFaultReport(_ outcome: GuestOutcome, _ context: GuestCheckContext) -> Outcome {
        guard case .fault(0, let fault) = outcome.end else {
            return .fail("expected a fault report, the run ended: \(outcome.end)")
        }
        var checks = GuestChecks()
        checks.expect("vector", fault.vector, 4)
        checks.expect("exception class", fault.exceptionClass, 0)
        checks.expect("ELR", fault.elr, undefinedInstructionAddress)
        checks.expect("marker drained before the fault", outcome.trace.values(.marker, of: 0), [1])
        return checks.verdict("fault reported: \(fault)")
    }

    /// Where the runtime's `UDF` is: the expected ELR of the fault scenario.
    static var undefinedInstructionAddress: UInt64 {
        guard let program = try? GuestRuntime.image().program,
            let label = program.labels.first(where: { $0.name.hasPrefix("op_undefinedInstruction_") })
        else { return 0 }
        return GuestLayout.ramBase + UInt64(label.index * 4)
    }

    /// A guest waiting (WFI, interrupts masked, nothing pending) never exits; the watchdog ends
    /// the `KVM_RUN` after one second and the run names the step it hung in.
    @Sendable static func watchdog() throws(GuestProgramError) -> GuestScenario {
        var main = GuestScript()
        main.append(.mask(.both))
        main.append(.waitForInterrupt)
        main.append(.end)
        var scenario = GuestScenario(vcpuCount: 1, programs: [GuestPrograms(main: try main.program())])
        scenario.watchdogMilliseconds = 1000
        return scenario
    }

    @Sendable static func checkWatchdog(_ outcome: GuestOutcome, _ context: GuestCheckContext) -> Outcome {
        guard case .hung(0, let detail) = outcome.end else {
            return .fail("expected the watchdog to end a hung guest, the run ended: \(outcome.end)")
        }
        guard ScenarioFilter.matches(detail, "main[1] .waitForInterrupt") else {
            return .fail("hang detail does not name the WFI step: \(detail)")
        }
        return .pass("hang detected: \(detail)")
    }

    /// Four vCPUs, each with its own context, stack and log: each logs its MPIDR_EL1 and its
    /// variable 0 and hands over to the next; the host sees the entries in schedule order and
    /// each vCPU's MPIDR is the affinity the kernel reported for it.
    @Sendable static func fourVCPUs() throws(GuestProgramError) -> GuestScenario {
        var calls = HostCalls()
        var programs: [GuestPrograms] = []
        for vcpu in 0..<4 {
            var main = GuestScript()
            main.observe(.mpidr)
            main.append(.store(variable: 0, .immediate(UInt64(100 + vcpu))))
            main.append(.log(.observed, .variable(0)))
            main.append(.drainLog)
            if vcpu < 3 { main.host(calls.call(.switchTo(vcpu + 1))) }
            main.append(.end)
            programs.append(GuestPrograms(main: try main.program()))
        }
        var scenario = GuestScenario(vcpuCount: 4, programs: programs)
        scenario.calls = calls.actions
        return scenario
    }

    @Sendable static func checkFourVCPUs(_ outcome: GuestOutcome, _ context: GuestCheckContext) -> Outcome {
        var checks = GuestChecks()
        checks.expectCompleted(outcome)
        for vcpu in 0..<4 {
            let mpidr = 0x8000_0000 | UInt64(vcpu < context.affinities.count ? context.affinities[vcpu].packed : 0)
            checks.expect("vCPU \(vcpu) values", outcome.trace.values(.observed, of: vcpu), [mpidr, UInt64(100 + vcpu)])
        }
        let order = outcome.trace.events.compactMap { event -> Int? in
            if case .finished(let vcpu, _) = event { return vcpu }
            return nil
        }
        // vCPU 0 hands over to 1, 1 to 2, 2 to 3; 3 ends first, then the host resumes the others in order.
        checks.expect("vCPUs finished", order, [3, 0, 1, 2])
        return checks.verdict("4 vCPUs ran their own programs in schedule order")
    }
}
