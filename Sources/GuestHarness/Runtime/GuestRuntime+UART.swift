/// The runtime's UART transport (`GuestTransport.uart`): the bare-metal boot of vCPU 0 and the
/// report lines, written byte by byte to the PL011's data register (UARTDR, offset 0).
///
/// Lines (`GuestUARTDecoder` reads them; every number is 16 lower-case hex digits after a space):
///
/// | line | meaning |
/// |---|---|
/// | `@@GL <header> <value>` | one log entry (header as `GuestLogEntry.header`) |
/// | `@@GE <dropped>` | the end of a drain, with the count the full log dropped |
/// | `@@GF <vector> <ESR> <ELR> <FAR> <SPSR> <step>` | an unexpected exception (`GuestFault`) |
/// | `@@GD <accumulator>` | the main program ended |
extension GuestRuntime {
    /// UARTCR (offset 0x30) with UARTEN, TXE and RXE: QEMU's PL011 transmits only when enabled.
    static let uartControlEnabled: UInt64 = 0x301

    /// vCPU 0's first instruction on bare metal: enable the UART, X0 = its context block, then the
    /// common entry (which follows directly).
    static func boot(_ asm: inout A64Assembler, _ labels: Labels, uart base: UInt64) {
        asm.bind(labels.boot)
        asm.mov(.x5, base)
        asm.mov(.x2, uartControlEnabled)
        asm.str(.word, .x2, base: .x5, offset: 0x30)
        asm.mov(.x0, GuestLayout.context(0))
    }

    /// Writes `text` to the UART (X2, X5 clobbered).
    static func uartText(_ asm: inout A64Assembler, _ labels: Labels, _ text: String) {
        guard case .uart(let base) = labels.transport else { return }
        asm.mov(.x5, base)
        for byte in text.utf8 {
            asm.movz(.x2, UInt16(byte))
            asm.str(.word, .x2, base: .x5)
        }
    }

    /// `uart_word`: writes a space and X1 as 16 hex digits, most significant first. Clobbers X1–X5
    /// and nothing else (returns through X30).
    static func uartRoutines(_ asm: inout A64Assembler, _ labels: Labels, base: UInt64) {
        asm.bind(labels.uartWord)
        asm.mov(.x5, base)
        asm.movz(.x2, 0x20)
        asm.str(.word, .x2, base: .x5)
        asm.movz(.x3, 60)
        let loop = asm.label("hex_digit")
        let letter = asm.label("hex_letter")
        let put = asm.label("hex_put")
        let done = asm.label("hex_done")
        asm.bind(loop)
        asm.lsr(.x2, .x1, .x3)
        asm.ubfx(.x2, .x2, lsb: 0, width: 4)
        asm.cmp(.x2, 10)
        asm.b(.hs, letter)
        asm.add(.x2, .x2, 0x30)
        asm.b(put)
        asm.bind(letter)
        asm.add(.x2, .x2, 0x57)
        asm.bind(put)
        asm.str(.word, .x2, base: .x5)
        asm.cbz(.x3, done)
        asm.sub(.x3, .x3, 4)
        asm.b(loop)
        asm.bind(done)
        asm.ret()
    }

    /// `drainLog` on the UART: an `@@GL` line per entry, then `@@GE` with the dropped count; the log
    /// is reset. X15 walks the log, X17 is its end.
    static func uartDrain(_ asm: inout A64Assembler, _ labels: Labels) {
        let loop = asm.label("uart_drain_loop")
        let finished = asm.label("uart_drain_finished")
        asm.ldr(.doubleword, .x15, base: .x19, offset: Int64(GuestContext.logBase))
        asm.ldr(.doubleword, .x17, base: .x19, offset: Int64(GuestContext.logCursor))
        asm.bind(loop)
        asm.cmp(.x15, .x17)
        asm.b(.hs, finished)
        uartText(&asm, labels, "@@GL")
        asm.ldr(.doubleword, .x1, base: .x15, offset: 0)
        asm.bl(labels.uartWord)
        asm.ldr(.doubleword, .x1, base: .x15, offset: 8)
        asm.bl(labels.uartWord)
        uartText(&asm, labels, "\n")
        asm.add(.x15, .x15, 16)
        asm.b(loop)
        asm.bind(finished)
        uartText(&asm, labels, "@@GE")
        asm.ldr(.doubleword, .x1, base: .x19, offset: Int64(GuestContext.dropped))
        asm.bl(labels.uartWord)
        uartText(&asm, labels, "\n")
        asm.ldr(.doubleword, .x15, base: .x19, offset: Int64(GuestContext.logBase))
        asm.str(.doubleword, .x15, base: .x19, offset: Int64(GuestContext.logCursor))
        asm.str(.doubleword, .zr, base: .x19, offset: Int64(GuestContext.dropped))
    }
}
