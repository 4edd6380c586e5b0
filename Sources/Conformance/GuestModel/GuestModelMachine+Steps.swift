import GICModel
import GICVocabulary
import GuestHarness

/// Each `GuestOp` on the model, as the runtime executes it in the guest (`GuestRuntime`):
/// bookkeeping stays in the vCPU, system registers go to the virtual interface, GIC MMIO and SGI
/// writes exit to KVM, host calls exit to the host.
extension GuestModelMachine {
    /// Executes one step; returns a stop when the vCPU stops for the scheduler or the run ends.
    mutating func execute(_ op: GuestOp, vcpu: Int) -> Stop? {
        switch op {
        case .end:
            return endFrame(vcpu)
        case .read(let register):
            setAccumulator(vcpu, readSystemRegister(register, vcpu: vcpu))
        case .write(let register, let operand):
            let value = value(of: operand, vcpu)
            writeSystemRegister(register, value, vcpu: vcpu)
        case .mmioRead(let frame, let offset):
            guard let place = guestPlace(frame, offset: offset, vcpu: vcpu) else {
                return .ended(.broken(vcpu: vcpu, "MMIO read outside the GIC and RAM"))
            }
            setAccumulator(vcpu, UInt64(guestLoad(place, vcpu: vcpu)))
        case .mmioWrite(let frame, let offset, let operand):
            guard let place = guestPlace(frame, offset: offset, vcpu: vcpu) else {
                return .ended(.broken(vcpu: vcpu, "MMIO write outside the GIC and RAM"))
            }
            guestStore(place, UInt32(truncatingIfNeeded: value(of: operand, vcpu)), vcpu: vcpu)
        case .readBit(let offset, let operand):
            let intid = UInt32(truncatingIfNeeded: value(of: operand, vcpu))
            let (target, wordOffset) = bitLocation(offset, intid: intid, vcpu: vcpu)
            var word: UInt32 = 0
            kernelExit(vcpu) { word = $0.guestRead(target, offset: wordOffset) }
            setAccumulator(vcpu, UInt64(word >> (intid % 32) & 1))
        case .writeBit(let offset, let operand):
            let intid = UInt32(truncatingIfNeeded: value(of: operand, vcpu))
            let (target, wordOffset) = bitLocation(offset, intid: intid, vcpu: vcpu)
            kernelExit(vcpu) { $0.guestWrite(target, offset: wordOffset, 1 << (intid % 32)) }
        case .writePriority(let operand, let priority):
            let intid = UInt32(truncatingIfNeeded: value(of: operand, vcpu))
            let (target, _) = bitLocation(0, intid: intid, vcpu: vcpu)
            kernelExit(vcpu) { $0.guestWrite(target, offset: 0x400 + intid, UInt32(priority), bytes: 1) }
        case .log(let tag, let operand):
            let value = value(of: operand, vcpu)
            appendLog(tag, value, vcpu: vcpu)
        case .host(let call, let operand):
            return hostCall(call, operand: value(of: operand, vcpu), vcpu: vcpu)
        case .hostRead:
            return .ended(.broken(vcpu: vcpu, "host read: no scenario answers reads yet"))
        case .set(let operand): setAccumulator(vcpu, value(of: operand, vcpu))
        case .add(let operand): setAccumulator(vcpu, accumulator(vcpu) &+ value(of: operand, vcpu))
        case .subtract(let operand): setAccumulator(vcpu, accumulator(vcpu) &- value(of: operand, vcpu))
        case .and(let operand): setAccumulator(vcpu, accumulator(vcpu) & value(of: operand, vcpu))
        case .or(let operand): setAccumulator(vcpu, accumulator(vcpu) | value(of: operand, vcpu))
        case .shiftLeft(let operand): setAccumulator(vcpu, accumulator(vcpu) << (value(of: operand, vcpu) & 63))
        case .shiftRight(let operand): setAccumulator(vcpu, accumulator(vcpu) >> (value(of: operand, vcpu) & 63))
        case .store(let variable, let operand): cpus[vcpu].variables[Int(variable & 0xF)] = value(of: operand, vcpu)
        case .increment(let variable): cpus[vcpu].variables[Int(variable & 0xF)] &+= 1
        case .jump(let label):
            jump(to: label, vcpu: vcpu)
        case .jumpIf(let comparison, let operand, let label):
            let left = accumulator(vcpu)
            let right = value(of: operand, vcpu)
            let taken: Bool
            switch comparison {
            case .equal: taken = left == right
            case .notEqual: taken = left != right
            case .below: taken = left < right
            case .aboveOrEqual: taken = left >= right
            }
            if taken { jump(to: label, vcpu: vcpu) }
        case .mask(let which):
            if which != .fiq { cpus[vcpu].irqMasked = true }
            if which != .irq { cpus[vcpu].fiqMasked = true }
        case .unmask(let which):
            if which != .fiq { cpus[vcpu].irqMasked = false }
            if which != .irq { cpus[vcpu].fiqMasked = false }
        case .waitForInterrupt:
            return wait(vcpu)
        case .spin:
            delivery.timerDeadlinePasses(vcpu)
        case .synchronize, .barrier:
            break
        case .drainLog:
            drain(vcpu)
        case .gicv5(let instruction, _):
            return .ended(.broken(vcpu: vcpu, "\(instruction) on a GICv3 guest"))
        case .undefinedInstruction:
            return .ended(.fault(vcpu: vcpu, GuestFault(vector: 4, esr: 0x0200_0000, elr: GuestHarnessScenarios.undefinedInstructionAddress)))
        }
        return nil
    }

    /// `end`: the main program reports done (a userspace exit); a handler returns.
    mutating func endFrame(_ vcpu: Int) -> Stop? {
        guard let frame = cpus[vcpu].frames.last else { return .ended(.broken(vcpu: vcpu, "no program")) }
        if frame.kind == .main {
            delivery.exit(vcpu)
            trace.events.append(.finished(vcpu: vcpu, accumulator: frame.accumulator))
            return .finished
        }
        cpus[vcpu].frames.removeLast()
        cpus[vcpu].irqMasked = frame.irqMaskedBefore
        cpus[vcpu].fiqMasked = frame.fiqMaskedBefore
        return nil
    }

    /// The step just executed, as the lab's hang report names it (`main[1] .waitForInterrupt`).
    func currentStep(_ vcpu: Int) -> String {
        guard let frame = cpus[vcpu].frames.last, frame.next > 0 else { return "no step" }
        return "\(frame.kind)[\(frame.next - 1)] \(frame.program.ops[frame.next - 1])"
    }

    /// A jump; a jump back is a loop, and a guest looping is a guest letting time pass: an
    /// armed timer reaches its deadline (the model has no clock, and the scenarios only rely on
    /// the timer firing while the guest waits for it, by WFI, a loop or a spin).
    mutating func jump(to label: GuestLabel, vcpu: Int) {
        let top = cpus[vcpu].frames.count - 1
        let target = cpus[vcpu].frames[top].program.target(of: label)
        if target < cpus[vcpu].frames[top].next { delivery.timerDeadlinePasses(vcpu) }
        cpus[vcpu].frames[top].next = target
    }

    /// Logs an entry as the runtime does: tag, value, depth, program, step; dropped when full.
    mutating func appendLog(_ tag: GuestLogTag, _ value: UInt64, vcpu: Int) {
        guard cpus[vcpu].log.count < Self.logCapacity else {
            cpus[vcpu].dropped += 1
            return
        }
        let frame = cpus[vcpu].frames[cpus[vcpu].frames.count - 1]
        cpus[vcpu].log.append(GuestLogEntry(
            tag: tag, value: value, depth: UInt8(truncatingIfNeeded: cpus[vcpu].frames.count - 1), program: frame.kind,
            step: frame.next - 1))
    }

    /// `drainLog`: two userspace exits per entry and one for the end; the log reaches the trace.
    mutating func drain(_ vcpu: Int) {
        for _ in 0..<(2 * cpus[vcpu].log.count + 1) { userspaceExit(vcpu) }
        for entry in cpus[vcpu].log { trace.events.append(.logged(vcpu: vcpu, entry)) }
        if cpus[vcpu].dropped > 0 { trace.events.append(.dropped(vcpu: vcpu, count: cpus[vcpu].dropped)) }
        cpus[vcpu].log = []
        cpus[vcpu].dropped = 0
    }

    /// A host call: a userspace exit, the action, and either the same vCPU again or a switch.
    mutating func hostCall(_ call: UInt32, operand: UInt64, vcpu: Int) -> Stop? {
        guard Int(call) < scenario.calls.count else {
            return .ended(.broken(vcpu: vcpu, "host call \(call), which the scenario does not define"))
        }
        delivery.exit(vcpu)
        let (result, next) = perform(scenario.calls[Int(call)], caller: vcpu, operand: operand)
        trace.events.append(.called(vcpu: vcpu, call: Int(call), operand: operand, result))
        if let next { return .switched(to: next) }
        delivery.enter(vcpu, loading: true)
        return nil
    }

    /// `WFI`, which KVM traps: if the vCPU has a pending interrupt it goes straight back; else it
    /// blocks until one arrives — here only the timer can, when its deadline passes.
    mutating func wait(_ vcpu: Int) -> Stop? {
        delivery.exit(vcpu)
        if !delivery.hasPendingInterrupt(vcpu) {
            delivery.timerDeadlinePasses(vcpu)
            if delivery.timerInterruptWaiting(vcpu) { delivery.takeTimerInterrupt(vcpu) }
            guard delivery.hasPendingInterrupt(vcpu) else {
                return .ended(.hung(vcpu: vcpu, "WFI with nothing that could wake it, in \(currentStep(vcpu))"))
            }
        }
        delivery.enter(vcpu, loading: false)
        return nil
    }

    // MARK: System registers

    mutating func readSystemRegister(_ register: GuestSysReg, vcpu: Int) -> UInt64 {
        switch register {
        case .iccIAR0: return UInt64(delivery.guestAcknowledge(group1: false, vcpu: vcpu))
        case .iccIAR1: return UInt64(delivery.guestAcknowledge(group1: true, vcpu: vcpu))
        case .iccHPPIR0: return UInt64(delivery.guestHighestPending(group1: false, vcpu: vcpu))
        case .iccHPPIR1: return UInt64(delivery.guestHighestPending(group1: true, vcpu: vcpu))
        case .iccRPR: return UInt64(delivery.guestRunningPriority(vcpu: vcpu))
        case .iccPMR: return UInt64(delivery.gic.redistributors[vcpu].cpuInterface.pmr)
        case .iccBPR0: return delivery.guestBinaryPoint(group1: false, vcpu: vcpu)
        case .iccBPR1: return delivery.guestBinaryPoint(group1: true, vcpu: vcpu)
        case .iccCTLR: return delivery.guestControl(vcpu: vcpu)
        case .iccSRE: return 0x7
        case .iccIGRPEN0: return delivery.gic.redistributors[vcpu].cpuInterface.groupEnable0 ? 1 : 0
        case .iccIGRPEN1: return delivery.gic.redistributors[vcpu].cpuInterface.groupEnable1 ? 1 : 0
        case .iccAP0R0, .iccAP0R1, .iccAP0R2, .iccAP0R3:
            return delivery.guestActivePriorities(Int(register.rawValue - GuestSysReg.iccAP0R0.rawValue), group1: false, vcpu: vcpu)
        case .iccAP1R0, .iccAP1R1, .iccAP1R2, .iccAP1R3:
            return delivery.guestActivePriorities(Int(register.rawValue - GuestSysReg.iccAP1R0.rawValue), group1: true, vcpu: vcpu)
        case .cntfrq: return 62_500_000
        case .cntvct: return 0
        case .cntvCTL: return delivery.timers[vcpu].control
        case .cntvCVAL, .cntvTVAL: return 0
        case .mpidr: return delivery.mpidr(vcpu)
        default: return 0  // write-only registers, and the GICv5 ones a GICv3 guest has not
        }
    }

    mutating func writeSystemRegister(_ register: GuestSysReg, _ value: UInt64, vcpu: Int) {
        let intid = UInt32(truncatingIfNeeded: value & 0xFF_FFFF)
        switch register {
        case .iccEOIR0: delivery.guestEndOfInterrupt(intid, group1: false, vcpu: vcpu)
        case .iccEOIR1: delivery.guestEndOfInterrupt(intid, group1: true, vcpu: vcpu)
        case .iccDIR:
            if delivery.deactivationTraps(vcpu) {
                kernelExit(vcpu) { $0.emulateTrappedDeactivate(intid, vcpu: vcpu) }
            } else {
                delivery.guestDeactivate(intid, vcpu: vcpu)
            }
        case .iccPMR: delivery.guestSetPriorityMask(value, vcpu: vcpu)
        case .iccBPR0: delivery.guestSetBinaryPoint(value, group1: false, vcpu: vcpu)
        case .iccBPR1: delivery.guestSetBinaryPoint(value, group1: true, vcpu: vcpu)
        case .iccCTLR: delivery.guestSetControl(value, vcpu: vcpu)
        case .iccIGRPEN0: delivery.guestSetGroupEnable(value, group1: false, vcpu: vcpu)
        case .iccIGRPEN1: delivery.guestSetGroupEnable(value, group1: true, vcpu: vcpu)
        case .iccAP0R0, .iccAP0R1, .iccAP0R2, .iccAP0R3:
            delivery.guestSetActivePriorities(Int(register.rawValue - GuestSysReg.iccAP0R0.rawValue), group1: false, value, vcpu: vcpu)
        case .iccAP1R0, .iccAP1R1, .iccAP1R2, .iccAP1R3:
            delivery.guestSetActivePriorities(Int(register.rawValue - GuestSysReg.iccAP1R0.rawValue), group1: true, value, vcpu: vcpu)
        case .iccSGI1R: kernelExit(vcpu) { $0.guestGenerateSGI(value, group1Allowed: true, vcpu: vcpu) }
        case .iccSGI0R, .iccASGI1R: kernelExit(vcpu) { $0.guestGenerateSGI(value, group1Allowed: false, vcpu: vcpu) }
        case .cntvCTL: delivery.guestSetTimerControl(value, vcpu: vcpu)
        case .cntvTVAL: delivery.guestSetTimerDeadline(value, isTimerValue: true, vcpu: vcpu)
        case .cntvCVAL: delivery.guestSetTimerDeadline(value, isTimerValue: false, vcpu: vcpu)
        default: break  // read-only registers, and the GICv5 ones a GICv3 guest has not
        }
    }

    // MARK: Frames

    func guestFrame(_ frame: GuestFrame, vcpu: Int) -> VGICDelivery.GuestFrame? {
        switch frame {
        case .absolute: nil
        case .distributor: .distributor
        case .redistributor: .redistributor(vcpu: vcpu)
        case .redistributorSGI: .redistributorSGI(vcpu: vcpu)
        }
    }

    /// The frame and word offset of INTID `intid`'s bit in a bank at `offset`, as the runtime
    /// computes them: this vCPU's SGI frame below 32, the distributor above.
    func bitLocation(_ offset: UInt32, intid: UInt32, vcpu: Int) -> (VGICDelivery.GuestFrame, UInt32) {
        let frame: VGICDelivery.GuestFrame = intid < 32 ? .redistributorSGI(vcpu: vcpu) : .distributor
        return (frame, offset + (intid / 32) * 4)
    }
}
