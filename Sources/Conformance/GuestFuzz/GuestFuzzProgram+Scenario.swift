import GuestHarness

extension GuestFuzzProgram {
    /// The guest scenario the program stands for.
    func scenario() throws(GuestProgramError) -> GuestScenario {
        var calls = HostCalls()
        let lower = calls.call(.operandLine(level: false))
        var programs: [GuestPrograms] = []
        for vcpu in 0..<vcpuCount {
            let split = eoiModes[vcpu]
            var main = GuestScript()
            if split {
                main.append(.read(.iccCTLR))
                main.append(.or(.immediate(2)))
                main.append(.write(.iccCTLR, .accumulator))
            }
            for (phase, blocks) in phases[vcpu].enumerated() {
                for block in blocks { append(block, to: &main, calls: &calls, lower: lower, split: split) }
                let isLastPhase = phase == phases[vcpu].count - 1
                if !(isLastPhase && vcpu == vcpuCount - 1) {
                    main.host(calls.call(.switchTo((vcpu + 1) % vcpuCount)))
                }
            }
            main.finish()

            var handler = GuestScript()
            handler.acknowledge()
            handler.remember(in: 0)
            handler.host(lower, .variable(0))
            handler.recall(0)
            handler.endOfInterrupt()
            if split { handler.deactivate() }
            handler.append(.end)
            programs.append(GuestPrograms(main: try main.program(), irq: try handler.program()))
        }
        var scenario = GuestScenario(vcpuCount: vcpuCount, interruptCount: Self.interruptCount, programs: programs)
        var setup = GuestSetup.standard(vcpus: vcpuCount)
        for interrupt in interrupts {
            if interrupt.intid < 32 {
                for vcpu in 0..<vcpuCount { setup += GuestSetup.interrupt(interrupt.intid, priority: interrupt.priority, vcpu: vcpu) }
            } else {
                setup += GuestSetup.interrupt(interrupt.intid, priority: interrupt.priority, vcpu: interrupt.vcpu, edge: interrupt.edge)
            }
        }
        scenario.setup = setup
        scenario.calls = calls.actions
        for interrupt in interrupts {
            let owners = interrupt.intid < 32 ? Array(0..<vcpuCount) : [0]
            for vcpu in owners {
                scenario.finalObservations += [.active(interrupt.intid, vcpu: vcpu), .latch(interrupt.intid, vcpu: vcpu)]
                if interrupt.intid >= 16 { scenario.finalObservations.append(.line(interrupt.intid, vcpu: vcpu)) }
            }
        }
        return scenario
    }

    /// The steps of one block.
    private func append(_ block: FuzzBlock, to main: inout GuestScript, calls: inout HostCalls, lower: UInt32, split: Bool) {
        switch block {
        case .raise(let intid, let vcpu):
            main.host(calls.call(intid < 32 ? .ppiLine(intid, vcpu: vcpu, level: true) : .spiLine(intid, level: true)))
        case .pendFromHost(let intid, let vcpu):
            main.host(calls.call(.setPending(intid, vcpu: vcpu)))
        case .lineFromHost(let intid, let vcpu):
            main.host(calls.call(.setLineLevel(intid, vcpu: vcpu, level: true)))
        case .pendFromGuest(let intid):
            main.append(.writeBit(offset: 0x200, intid: .immediate(UInt64(intid))))
        case .sgi(let intid, let targets, let broadcast):
            main.append(.write(.iccSGI1R, .immediate(UInt64(intid & 0xF) << 24 | UInt64(targets) | (broadcast ? 1 << 40 : 0))))
        case .priorityMask(let value):
            main.append(.write(.iccPMR, .immediate(UInt64(value))))
        case .window:
            main.takeInterrupts()
        case .poll(let attempts):
            main.pollAcknowledge(attempts: UInt64(attempts))
            let none = main.label()
            main.append(.jumpIf(.equal, .immediate(1023), none))
            main.remember(in: 1)
            main.host(lower, .variable(1))
            main.recall(1)
            main.endOfInterrupt()
            if split { main.deactivate() }
            main.bind(none)
        case .observe(let register):
            main.observe(register)
        }
    }
}
