/// What one vCPU runs: its main program and the handlers for the interrupts it takes.
public struct GuestPrograms: Hashable, Sendable {
    /// Runs from the vCPU's first entry; its `end` reports done.
    public var main: GuestProgram
    /// Runs on each IRQ (Group 1 interrupts); its `end` returns to the interrupted step.
    public var irq: GuestProgram
    /// Runs on each FIQ (Group 0 interrupts, which a GICv3 guest with SRE takes as vFIQs).
    public var fiq: GuestProgram

    public init(main: GuestProgram, irq: GuestProgram = Self.acknowledgingHandler(group1: true),
                fiq: GuestProgram = Self.acknowledgingHandler(group1: false)) {
        self.main = main
        self.irq = irq
        self.fiq = fiq
    }

    /// A handler for interrupts a scenario does not expect: acknowledge through IAR1 (IAR0),
    /// log the INTID as acknowledged, EOI it, return. Logging keeps it visible in the trace; the
    /// EOI keeps a stray interrupt from being taken again and again without an exit.
    public static func acknowledgingHandler(group1: Bool) -> GuestProgram {
        GuestProgram(
            ops: [
                .read(group1 ? .iccIAR1 : .iccIAR0),
                .log(.acknowledged, .accumulator),
                .write(group1 ? .iccEOIR1 : .iccEOIR0, .accumulator),
                .end,
            ], targets: [:])
    }
}

/// Which of a vCPU's programs a step or log entry belongs to (the runtime's X23).
public enum GuestProgramKind: UInt8, Hashable, Sendable, CustomStringConvertible {
    case main = 0, irq = 1, fiq = 2

    public var description: String {
        switch self {
        case .main: "main"
        case .irq: "irq"
        case .fiq: "fiq"
        }
    }
}
