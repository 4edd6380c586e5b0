/// The guest steps scenarios are written in: each helper appends what a GIC driver does, so a
/// program reads as the guest's steps ("acknowledge, lower the line, EOI, deactivate").
extension GuestScript {
    /// Reads IAR1 (IAR0 for Group 0) into the accumulator and logs it as acknowledged.
    public mutating func acknowledge(group1: Bool = true) {
        append(.read(group1 ? .iccIAR1 : .iccIAR0))
        append(.log(.acknowledged, .accumulator))
    }

    /// Writes the accumulator (the INTID just acknowledged) to EOIR1 (EOIR0).
    public mutating func endOfInterrupt(group1: Bool = true) {
        append(.write(group1 ? .iccEOIR1 : .iccEOIR0, .accumulator))
    }

    /// Writes the accumulator to DIR.
    public mutating func deactivate() {
        append(.write(.iccDIR, .accumulator))
    }

    /// Saves the accumulator in `variable` (the INTID a handler works on, across other steps).
    public mutating func remember(in variable: UInt8) {
        append(.store(variable: variable, .accumulator))
    }

    /// Loads `variable` into the accumulator.
    public mutating func recall(_ variable: UInt8) {
        append(.set(.variable(variable)))
    }

    /// Logs `register`'s value with `tag` (the accumulator is overwritten).
    public mutating func observe(_ register: GuestSysReg, as tag: GuestLogTag = .observed) {
        append(.read(register))
        append(.log(tag, .accumulator))
    }

    /// Logs a bit of a one-bit-per-interrupt register (ISACTIVER 0x300, ISPENDR 0x200, …) for the
    /// INTID in `variable`, as the guest reads it through MMIO.
    public mutating func observeBit(offset: UInt32, ofVariable variable: UInt8, as tag: GuestLogTag) {
        append(.readBit(offset: offset, intid: .variable(variable)))
        append(.log(tag, .accumulator))
    }

    /// Opens an interrupt window: unmask IRQs (a pending one is taken here), mask them again.
    public mutating func takeInterrupts(_ which: GuestInterruptMask = .irq) {
        append(.unmask(which))
        append(.mask(which))
    }

    /// Polls IAR1 (IAR0) with interrupts masked until it returns an INTID other than 1023, at
    /// most `attempts` times; logs the INTID as acknowledged, or `gaveUp` with the attempt count.
    /// The accumulator ends as the INTID or 1023. Each attempt is a WFI-free read, so an
    /// interrupt the kernel never presents ends in a logged give-up rather than a hang.
    public mutating func pollAcknowledge(group1: Bool = true, attempts: UInt64 = 1000, counter: UInt8 = 15) {
        let again = label()
        let got = label()
        let done = label()
        append(.store(variable: counter, .immediate(attempts)))
        bind(again)
        append(.read(group1 ? .iccIAR1 : .iccIAR0))
        append(.jumpIf(.notEqual, .immediate(1023), got))
        append(.set(.variable(counter)))
        append(.subtract(.immediate(1)))
        append(.store(variable: counter, .accumulator))
        append(.jumpIf(.notEqual, .immediate(0), again))
        append(.log(.gaveUp, .immediate(attempts)))
        append(.set(.immediate(1023)))
        append(.jump(done))
        bind(got)
        append(.log(.acknowledged, .accumulator))
        bind(done)
    }

    /// Calls the host (`calls[call]`) with an operand.
    public mutating func host(_ call: UInt32, _ operand: GuestOperand = .immediate(0)) {
        append(.host(call: call, operand))
    }

    /// Reports the log and ends the program.
    public mutating func finish() {
        append(.drainLog)
        append(.end)
    }
}
