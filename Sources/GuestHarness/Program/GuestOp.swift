/// One step of a guest program: what the guest does next, in the order it does it.
///
/// Programs are data: the runtime (`GuestRuntime`) interprets them inside the guest, and the
/// conformance layer executes the same steps on the reference model, so a scenario is written
/// once and both sides run exactly it. Each step is one architectural action (a system
/// register access, a GIC MMIO access, an exit to the host, a mask change) plus bookkeeping on
/// the accumulator, the variables and the log, which touch no GIC state.
///
/// Every step ends with the action complete: system-register writes are followed by an ISB,
/// `unmask` by an ISB, so an interrupt the step makes deliverable is taken right after it.
public enum GuestOp: Hashable, Sendable {
    /// The end of the program: the main program reports done; a handler returns (ERET).
    case end
    /// accumulator = the register's value (`MRS`).
    case read(GuestSysReg)
    /// The register = operand (`MSR`, then `ISB`).
    case write(GuestSysReg, GuestOperand)
    /// accumulator = the 32-bit word at `offset` in `frame` (a trapped GIC access).
    case mmioRead(GuestFrame, offset: UInt32)
    /// The 32-bit word at `offset` in `frame` = operand.
    case mmioWrite(GuestFrame, offset: UInt32, GuestOperand)
    /// accumulator = the bit for INTID `intid` (operand) of a one-bit-per-interrupt register at
    /// `offset` (ISENABLER 0x100, ISPENDR 0x200, ISACTIVER 0x300, …) in the frame that holds
    /// it: this vCPU's SGI_base for INTIDs below 32, the distributor above.
    case readBit(offset: UInt32, intid: GuestOperand)
    /// Writes just that bit (a set/clear-register write of `1 << (intid % 32)`).
    case writeBit(offset: UInt32, intid: GuestOperand)
    /// The IPRIORITYR byte of INTID `intid` = `priority` (a byte store).
    case writePriority(intid: GuestOperand, priority: UInt8)
    /// Appends (tag, operand) to this vCPU's log in guest memory: no exit, so no effect on KVM.
    case log(GuestLogTag, GuestOperand)
    /// An exit to the host: call `call` with the operand (a store to the call window). The host
    /// acts (injects, lowers a line, switches vCPU…) before the guest continues.
    case host(call: UInt32, GuestOperand)
    /// An exit to the host that returns a value: accumulator = the host's answer (a load).
    case hostRead(call: UInt32)
    /// accumulator = operand.
    case set(GuestOperand)
    /// accumulator = accumulator + operand (wrapping).
    case add(GuestOperand)
    /// accumulator = accumulator − operand (wrapping).
    case subtract(GuestOperand)
    /// accumulator = accumulator & operand.
    case and(GuestOperand)
    /// accumulator = accumulator | operand.
    case or(GuestOperand)
    /// accumulator = accumulator << (operand mod 64).
    case shiftLeft(GuestOperand)
    /// accumulator = accumulator >> (operand mod 64).
    case shiftRight(GuestOperand)
    /// variable = operand.
    case store(variable: UInt8, GuestOperand)
    /// variable = variable + 1.
    case increment(variable: UInt8)
    /// Continue at `target`.
    case jump(GuestLabel)
    /// Continue at `target` if `accumulator <comparison> operand`.
    case jumpIf(GuestComparison, GuestOperand, GuestLabel)
    /// Masks (`DAIFSet`) the interrupts in `which`.
    case mask(GuestInterruptMask)
    /// Unmasks (`DAIFClr`, then `ISB`): a pending interrupt is taken right here.
    case unmask(GuestInterruptMask)
    /// `WFI`: waits until an interrupt is pending (KVM blocks the vCPU thread meanwhile).
    case waitForInterrupt
    /// `ISB`.
    case synchronize
    /// `DSB SY`.
    case barrier
    /// Reports every logged entry to the host (two exits each) and empties the log.
    case drainLog
    /// Busy-waits `operand` loop iterations (no GIC access, no exit).
    case spin(GuestOperand)
    /// Executes `UDF #0`: an Undefined Instruction exception, which the runtime reports as a
    /// fault. For checking the fault path itself.
    case undefinedInstruction
    /// A GICv5 system instruction: `GIC CD*` / `GSB` with the operand as Xt, or `GICR CDIA` /
    /// `CDNMIA` whose result becomes the accumulator (the operand is then unused). GICv5 guests
    /// only (`GuestTransport.uart` on QEMU's `gic-version=x-5`).
    case gicv5(GuestGICv5Instruction, GuestOperand)
}

/// A comparison of the accumulator with an operand (unsigned).
public enum GuestComparison: UInt16, Hashable, Sendable {
    case equal = 0, notEqual = 1, below = 2, aboveOrEqual = 3
}

/// The PSTATE interrupt masks a step changes.
public enum GuestInterruptMask: UInt16, Hashable, Sendable {
    /// IRQ only (DAIF.I, bit value 2).
    case irq = 2
    /// FIQ only (DAIF.F, 1).
    case fiq = 1
    /// Both.
    case both = 3
}

/// A program position a jump names; bound by `GuestScript.bind`.
public struct GuestLabel: Hashable, Sendable {
    let id: Int
}

/// What a log entry records, as the scenario names it. The runtime stores the raw value; the
/// names are for reading traces.
public struct GuestLogTag: Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt16

    public init(_ rawValue: UInt16) { self.rawValue = rawValue }

    /// An INTID the guest acknowledged (IAR0/IAR1 value).
    public static let acknowledged = GuestLogTag(1)
    /// A value read for a check (register, bit, counter).
    public static let observed = GuestLogTag(2)
    /// ICC_RPR_EL1.
    public static let runningPriority = GuestLogTag(3)
    /// ICC_AP1R0_EL1 or AP0R0.
    public static let activePriorities = GuestLogTag(4)
    /// ICC_HPPIR value.
    public static let highestPending = GuestLogTag(5)
    /// A bit of ISACTIVER for the INTID being handled.
    public static let active = GuestLogTag(6)
    /// A bit of ISPENDR for the INTID being handled.
    public static let pending = GuestLogTag(7)
    /// A counter value or difference (latency figures; not compared with the model).
    public static let ticks = GuestLogTag(8)
    /// A timer control value (CNTV_CTL_EL0).
    public static let timer = GuestLogTag(9)
    /// A poll that gave up (the value is how many polls ran).
    public static let gaveUp = GuestLogTag(10)
    /// A marker the scenario places to delimit phases.
    public static let marker = GuestLogTag(11)

    public var description: String {
        switch rawValue {
        case 1: "ack"
        case 2: "observed"
        case 3: "rpr"
        case 4: "apr"
        case 5: "hppir"
        case 6: "active"
        case 7: "pending"
        case 8: "ticks"
        case 9: "timer"
        case 10: "gave-up"
        case 11: "marker"
        default: "tag\(rawValue)"
        }
    }
}
