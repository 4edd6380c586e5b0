import GICv5Model
import GICVocabulary
import GuestHarness

/// Runs a GICv5 guest case on `GICv5Model` instead of QEMU: the same `GuestPrograms`, step by step,
/// with the GICv5 system registers and instructions on a `GICv5CPUInterface`, the IRS's
/// configuration frame on a `GICv5IRSConfigFrame`, the guest's IST writes kept as memory, and the
/// virtual timer driving its level PPI (CNTV, PPI 27). Bare metal and one PE: there are no exits,
/// an interrupt is taken before a step whenever the CPU interface signals one and IRQs are unmasked.
/// The result is the `GuestOutcome` QEMU's run should produce.
struct GICv5ModelMachine {
    struct Frame {
        var kind: GuestProgramKind
        var program: GuestProgram
        var next = 0
        var accumulator: UInt64 = 0
        var irqMaskedBefore = true
    }

    var cpu = GICv5CPUInterface(iaffid: 0)
    var frame: GICv5IRSConfigFrame
    /// 32-bit words the guest stored to its tables area.
    var memory: [UInt64: UInt32] = [:]
    /// ICC_PPI_PRIORITYRn_EL1 as written, for an implementation that keeps their RES0 bits.
    var rawPriorities = [UInt64](repeating: 0, count: PPIPriorityRegisters.count)
    /// No ICC_PPI_* register written since reset, and the IRS never read enabled since reset
    /// (`GICv5Implementation.staleCandidatesAtReset`).
    var stalePPICandidate: Bool
    var staleIRSCandidate: Bool
    /// The PL011, whose interrupt line is SPI 1's wire.
    var uart = GICv5UARTLine(control: 0x301)  // UARTCR as the runtime's boot leaves it
    var timerControl: UInt64 = 0
    var timerCompare: UInt64 = 0
    let programs: GuestPrograms
    let mutations: GICv5Mutation
    var frames: [Frame]
    var irqMasked = true
    var variables = [UInt64](repeating: 0, count: GuestContext.variableCount)
    var log: [GuestLogEntry] = []
    var dropped: UInt64 = 0
    var trace = GuestTrace()
    var steps = 0

    static let stepLimit = 2_000_000
    static let logCapacity = GuestLayout.logStride / 16

    init(_ programs: GuestPrograms, implementation: GICv5Implementation = .qemu11, mutations: GICv5Mutation = []) {
        frame = GICv5IRSConfigFrame(irs: GICv5IRS(spiCount: implementation.spiCount, implementation: implementation))
        self.programs = programs
        self.mutations = mutations
        stalePPICandidate = implementation.staleCandidatesAtReset
        staleIRSCandidate = implementation.staleCandidatesAtReset
        frames = [Frame(kind: .main, program: programs.main)]
    }

    var irs: GICv5IRS {
        get { frame.irs }
        set { frame.irs = newValue }
    }

    /// Runs the main program to its end (or a fault, a hang, a step the machine cannot run).
    mutating func run() -> GuestOutcome {
        while true {
            steps += 1
            if steps > Self.stepLimit { return finish(.hung(vcpu: 0, "more than \(Self.stepLimit) guest steps")) }
            takeInterruptIfSignalled()
            guard let op = fetch() else { return finish(.broken(vcpu: 0, "ran past the end of a program")) }
            if let end = execute(op) { return finish(end) }
        }
    }

    func finish(_ end: GuestRunEnd) -> GuestOutcome {
        GuestOutcome(trace: trace, end: end, final: [])
    }

    /// The interrupt the CPU interface signals now, if any.
    var signalled: PendingInterrupt? { GICv5Guest.signalled(cpu, irs) }

    mutating func takeInterruptIfSignalled() {
        guard !irqMasked, signalled != nil else { return }
        frames.append(Frame(kind: .irq, program: programs.irq, irqMaskedBefore: irqMasked))
        irqMasked = true
    }

    mutating func fetch() -> GuestOp? {
        let top = frames.count - 1
        guard frames[top].next < frames[top].program.ops.count else { return nil }
        frames[top].next += 1
        return frames[top].program.ops[frames[top].next - 1]
    }

    var accumulator: UInt64 {
        get { frames[frames.count - 1].accumulator }
        set { frames[frames.count - 1].accumulator = newValue }
    }

    func value(of operand: GuestOperand) -> UInt64 {
        switch operand {
        case .immediate(let value): value
        case .accumulator: accumulator
        case .variable(let number): variables[Int(number & 0xF)]
        }
    }

    /// One step; a run end when the run stops.
    mutating func execute(_ op: GuestOp) -> GuestRunEnd? {
        switch op {
        case .end:
            let frame = frames[frames.count - 1]
            if frame.kind == .main {
                trace.events.append(.finished(vcpu: 0, accumulator: frame.accumulator))
                return .completed
            }
            frames.removeLast()
            irqMasked = frame.irqMaskedBefore
        case .read(let register):
            guard let value = readRegister(register) else { return .broken(vcpu: 0, "\(register) on a GICv5 guest") }
            accumulator = value
        case .write(let register, let operand):
            guard writeRegister(register, value(of: operand)) else { return .broken(vcpu: 0, "\(register) on a GICv5 guest") }
        case .mmioRead(let base, let offset):
            guard base == .absolute, let word = mmioRead(UInt64(offset)) else {
                return .broken(vcpu: 0, "MMIO read of \(hex(UInt64(offset))) outside the IRS and the tables")
            }
            accumulator = UInt64(word)
        case .mmioWrite(let base, let offset, let operand):
            guard base == .absolute, mmioWrite(UInt64(offset), UInt32(truncatingIfNeeded: value(of: operand))) else {
                return .broken(vcpu: 0, "MMIO write of \(hex(UInt64(offset))) outside the IRS and the tables")
            }
        case .gicv5(let instruction, let operand):
            let result = execute(instruction, operand: value(of: operand))
            if instruction.returnsResult { accumulator = result }
        case .log(let tag, let operand):
            appendLog(tag, value(of: operand))
        case .set(let operand): accumulator = value(of: operand)
        case .add(let operand): accumulator = accumulator &+ value(of: operand)
        case .subtract(let operand): accumulator = accumulator &- value(of: operand)
        case .and(let operand): accumulator = accumulator & value(of: operand)
        case .or(let operand): accumulator = accumulator | value(of: operand)
        case .shiftLeft(let operand): accumulator = accumulator << (value(of: operand) & 63)
        case .shiftRight(let operand): accumulator = accumulator >> (value(of: operand) & 63)
        case .store(let variable, let operand): variables[Int(variable & 0xF)] = value(of: operand)
        case .increment(let variable): variables[Int(variable & 0xF)] &+= 1
        case .jump(let label):
            frames[frames.count - 1].next = frames[frames.count - 1].program.target(of: label)
        case .jumpIf(let comparison, let operand, let label):
            let left = accumulator
            let right = value(of: operand)
            let taken: Bool
            switch comparison {
            case .equal: taken = left == right
            case .notEqual: taken = left != right
            case .below: taken = left < right
            case .aboveOrEqual: taken = left >= right
            }
            if taken { frames[frames.count - 1].next = frames[frames.count - 1].program.target(of: label) }
        case .mask(let which):
            if which != .fiq { irqMasked = true }
        case .unmask(let which):
            if which != .fiq { irqMasked = false }
        case .waitForInterrupt:
            // WFI wakes on a signalled interrupt whatever PSTATE.I says; with none it never wakes.
            if signalled == nil { return .hung(vcpu: 0, "WFI with nothing that could wake it") }
        case .synchronize, .barrier, .spin:
            break
        case .drainLog:
            // The runtime writes its lines to UARTDR: the transmit interrupt's raw status rises.
            _ = uart.write(GICv5UARTLine.data, 0)
            updateUARTWire()
            for entry in log { trace.events.append(.logged(vcpu: 0, entry)) }
            if dropped > 0 { trace.events.append(.dropped(vcpu: 0, count: dropped)) }
            log = []
            dropped = 0
        case .host, .hostRead, .readBit, .writeBit, .writePriority, .undefinedInstruction:
            return .broken(vcpu: 0, "\(op) has no meaning on the GICv5 guest")
        }
        return nil
    }

    mutating func appendLog(_ tag: GuestLogTag, _ value: UInt64) {
        guard log.count < Self.logCapacity else {
            dropped += 1
            return
        }
        let frame = frames[frames.count - 1]
        log.append(GuestLogEntry(tag: tag, value: value, depth: UInt8(truncatingIfNeeded: frames.count - 1),
                                 program: frame.kind, step: frame.next - 1))
    }
}
