/// The harness guest's runtime: a vector table, an entry point, exception entry and exit, and an
/// interpreter of `GuestStep`s, assembled by `A64Assembler` and loaded at `GuestLayout.ramBase`.
///
/// A vCPU starts at `entryOffset` with X0 = its context block (`GuestContext`), PSTATE EL1h with
/// every interrupt masked (KVM's reset state), MMU and caches off. It sets SP and VBAR_EL1 and
/// interprets its main program. Register use, for the whole life of the vCPU:
///
/// | register | holds |
/// |---|---|
/// | X19 | the context block |
/// | X20 | the next step |
/// | X21 | the accumulator |
/// | X22 | the running program's first step (jump targets are relative to it) |
/// | X23 | which program runs: 0 main, 1 IRQ handler, 2 FIQ handler (logged with each entry) |
///
/// An IRQ (or FIQ) from EL1 saves X0–X30, ELR_EL1 and SPSR_EL1 on the stack, bumps the depth,
/// interprets the IRQ (FIQ) program, and restores everything before ERET, so handlers nest (a
/// handler may unmask) and the interrupted step resumes exactly. Every other exception is
/// unexpected: the runtime reports ESR_EL1, ELR_EL1, FAR_EL1, SPSR_EL1, the current step and the
/// vector number through the fault window and powers the VM off (PSCI SYSTEM_OFF); if that
/// returns it keeps storing to the window, so a fault never spins without an exit.
public enum GuestRuntime {
    /// The assembled runtime and where its entry point is.
    public struct Image: Sendable {
        public let program: A64Program
        /// Byte offset of the entry point in the image (after the 2 KiB vector table).
        public let entryOffset: Int
    }

    /// Assembles the runtime for `transport`. It is a constant of this package and its tests
    /// assemble it, so an error here is a package defect; callers still get it as a typed error
    /// rather than a trap.
    public static func image(transport: GuestTransport = .mmioExits) throws(A64AssemblyError) -> Image {
        var asm = A64Assembler()
        let labels = Labels(&asm, transport: transport)
        vectorTable(&asm, labels)
        if case .uart(let base) = transport { boot(&asm, labels, uart: base) }
        entry(&asm, labels)
        exceptionEntry(&asm, labels, handler: labels.irqEntry, programField: GuestContext.irqProgram, kind: 1)
        exceptionEntry(&asm, labels, handler: labels.fiqEntry, programField: GuestContext.fiqProgram, kind: 2)
        fault(&asm, labels)
        interpreter(&asm, labels)
        systemRegisterStubs(&asm, labels)
        gicv5Stubs(&asm, labels)
        if case .uart(let base) = transport { uartRoutines(&asm, labels, base: base) }
        let program = try asm.assemble()
        let start = transport == .mmioExits ? labels.entry : labels.boot
        return Image(program: program, entryOffset: program.offset(of: start.name) ?? 0)
    }


    /// PSCI 0.2 SYSTEM_OFF (SMC32 function id).
    static let psciSystemOff: UInt64 = 0x8400_0008

    /// Bytes an exception frame takes: X0–X30, ELR_EL1, SPSR_EL1, rounded to 16.
    static let frameBytes: UInt32 = 272

    /// The labels shared between the pieces of the runtime.
    struct Labels {
        let entry, irqEntry, fiqEntry, fault, badStep, interpret, next, readStubs, writeStubs: A64Label
        let gicv5Stubs, boot, uartWord: A64Label
        let transport: GuestTransport

        init(_ asm: inout A64Assembler, transport: GuestTransport) {
            self.transport = transport
            entry = asm.label("entry")
            irqEntry = asm.label("irq_entry")
            fiqEntry = asm.label("fiq_entry")
            fault = asm.label("fault")
            badStep = asm.label("bad_step")
            interpret = asm.label("interpret")
            next = asm.label("next_step")
            readStubs = asm.label("read_stubs")
            writeStubs = asm.label("write_stubs")
            gicv5Stubs = asm.label("gicv5_stubs")
            boot = asm.label("boot")
            uartWord = asm.label("uart_word")
        }
    }

    // MARK: Vectors

    /// The 16 vector entries of 128 bytes (Arm ARM D1.10.2): IRQ and FIQ from the current EL
    /// with SP_ELx go to the handlers, every other entry reports a fault with its number.
    static func vectorTable(_ asm: inout A64Assembler, _ labels: Labels) {
        for vector in 0..<16 {
            asm.align(128)
            switch vector {
            case 5: asm.b(labels.irqEntry)
            case 6: asm.b(labels.fiqEntry)
            default:
                asm.movz(.x0, UInt16(vector))
                asm.b(labels.fault)
            }
        }
        asm.align(128)
    }

    // MARK: Entry

    static func entry(_ asm: inout A64Assembler, _ labels: Labels) {
        asm.bind(labels.entry)
        asm.mov(.x19, .x0)
        asm.ldr(.doubleword, .x9, base: .x19, offset: Int64(GuestContext.stackTop))
        asm.movStackPointer(.sp, .x9)
        asm.mov(.x9, GuestLayout.ramBase)
        asm.msr(.vbarEL1, .x9)
        asm.isb()
        asm.movz(.x23, 0)
        asm.str(.doubleword, .zr, base: .x19, offset: Int64(GuestContext.depth))
        asm.ldr(.doubleword, .x20, base: .x19, offset: Int64(GuestContext.mainProgram))
        asm.movz(.x21, 0)
        asm.bl(labels.interpret)
        // The main program ended: report the accumulator, again on every resume.
        let done = asm.label("done")
        guard case .uart = labels.transport else {
            asm.mov(.x9, GuestLayout.doneAddress)
            asm.bind(done)
            asm.str(.doubleword, .x21, base: .x9)
            asm.b(done)
            return
        }
        // On the UART: one line, then power off.
        uartText(&asm, labels, "@@GD")
        asm.mov(.x1, .x21)
        asm.bl(labels.uartWord)
        uartText(&asm, labels, "\n")
        powerOff(&asm)
    }

    // MARK: Exceptions

    /// Saves the interrupted context, runs the handler program, restores and returns.
    static func exceptionEntry(_ asm: inout A64Assembler, _ labels: Labels, handler: A64Label, programField: Int, kind: UInt16) {
        asm.bind(handler)
        asm.sub(.sp, .sp, frameBytes)
        for pair in 0..<15 {
            asm.stp(.x(2 * pair)!, .x(2 * pair + 1)!, base: .sp, offset: Int64(16 * pair))
        }
        asm.mrs(.x9, .elrEL1)
        asm.mrs(.x10, .spsrEL1)
        asm.stp(.x30, .x9, base: .sp, offset: 240)
        asm.str(.doubleword, .x10, base: .sp, offset: 256)
        asm.ldr(.doubleword, .x9, base: .x19, offset: Int64(GuestContext.depth))
        asm.add(.x9, .x9, 1)
        asm.str(.doubleword, .x9, base: .x19, offset: Int64(GuestContext.depth))
        asm.movz(.x23, kind)
        asm.ldr(.doubleword, .x20, base: .x19, offset: Int64(programField))
        asm.movz(.x21, 0)
        asm.bl(labels.interpret)
        asm.ldr(.doubleword, .x9, base: .x19, offset: Int64(GuestContext.depth))
        asm.sub(.x9, .x9, 1)
        asm.str(.doubleword, .x9, base: .x19, offset: Int64(GuestContext.depth))
        asm.ldr(.doubleword, .x10, base: .sp, offset: 256)
        asm.ldp(.x30, .x9, base: .sp, offset: 240)
        asm.msr(.elrEL1, .x9)
        asm.msr(.spsrEL1, .x10)
        for pair in (0..<15).reversed() {
            asm.ldp(.x(2 * pair)!, .x(2 * pair + 1)!, base: .sp, offset: Int64(16 * pair))
        }
        asm.add(.sp, .sp, frameBytes)
        asm.eret()
    }

    /// X0 holds the vector number (0xFF: a step the runtime cannot execute).
    static func fault(_ asm: inout A64Assembler, _ labels: Labels) {
        asm.bind(labels.badStep)
        asm.movz(.x0, 0xFF)
        asm.bind(labels.fault)
        if case .uart = labels.transport {
            // X24–X28 are never used by the runtime, so the report survives the UART routine.
            asm.mov(.x24, .x0)
            asm.mrs(.x25, .esrEL1)
            asm.mrs(.x26, .elrEL1)
            asm.mrs(.x27, .farEL1)
            asm.mrs(.x28, .spsrEL1)
            uartText(&asm, labels, "@@GF")
            for register in [A64Register.x24, .x25, .x26, .x27, .x28, .x20] {
                asm.mov(.x1, register)
                asm.bl(labels.uartWord)
            }
            uartText(&asm, labels, "\n")
            powerOff(&asm)
            return
        }
        asm.mrs(.x1, .esrEL1)
        asm.mrs(.x2, .elrEL1)
        asm.mrs(.x3, .farEL1)
        asm.mrs(.x4, .spsrEL1)
        asm.mov(.x9, GuestLayout.faultWindow)
        asm.str(.doubleword, .x1, base: .x9, offset: 8)
        asm.str(.doubleword, .x2, base: .x9, offset: 16)
        asm.str(.doubleword, .x3, base: .x9, offset: 24)
        asm.str(.doubleword, .x4, base: .x9, offset: 32)
        asm.str(.doubleword, .x20, base: .x9, offset: 40)
        asm.str(.doubleword, .x0, base: .x9)
        asm.mov(.x0, psciSystemOff)
        asm.hvc(0)
        let stopped = asm.label("stopped")
        asm.bind(stopped)
        asm.str(.doubleword, .x0, base: .x9)
        asm.b(stopped)
    }

    /// PSCI SYSTEM_OFF; if it returns, wait for ever (no exit to report through).
    static func powerOff(_ asm: inout A64Assembler) {
        asm.mov(.x0, psciSystemOff)
        asm.hvc(0)
        let stopped = asm.label("off")
        asm.bind(stopped)
        asm.wfi()
        asm.b(stopped)
    }

    // MARK: System register stubs

    /// One 16-byte stub per `GuestSysReg`, in raw-value order: read stubs `MRS X0, reg; RET`,
    /// write stubs `MSR reg, X0; ISB; RET`. A direction the register lacks branches to
    /// `bad_step` (programs are checked, so only a corrupted step gets there).
    static func systemRegisterStubs(_ asm: inout A64Assembler, _ labels: Labels) {
        asm.align(16)
        asm.bind(labels.readStubs)
        for register in GuestSysReg.allCases {
            let start = asm.count
            if register.access.readable {
                asm.mrs(.x0, A64Assembler.SystemRegister(register.encoding))
                asm.ret()
            } else {
                asm.b(labels.badStep)
            }
            while asm.count - start < 4 { asm.nop() }
        }
        asm.bind(labels.writeStubs)
        for register in GuestSysReg.allCases {
            let start = asm.count
            if register.access.writable {
                asm.msr(A64Assembler.SystemRegister(register.encoding), .x0)
                asm.isb()
                asm.ret()
            } else {
                asm.b(labels.badStep)
            }
            while asm.count - start < 4 { asm.nop() }
        }
    }

    /// One 16-byte stub per `GuestGICv5Instruction`, in raw-value order: `SYS #0, C12, Cm, #op2, X0;
    /// RET` (X0 is the operand) or `SYSL X0, #0, C12, C3, #op2; RET` (X0 is the result).
    static func gicv5Stubs(_ asm: inout A64Assembler, _ labels: Labels) {
        asm.align(16)
        asm.bind(labels.gicv5Stubs)
        for instruction in GuestGICv5Instruction.allCases {
            let start = asm.count
            let (crm, op2) = instruction.encoding
            if instruction.returnsResult {
                asm.sysl(.x0, op1: 0, crn: 12, crm: crm, op2: op2)
            } else {
                asm.sys(op1: 0, crn: 12, crm: crm, op2: op2, .x0)
            }
            asm.ret()
            while asm.count - start < 4 { asm.nop() }
        }
    }
}
