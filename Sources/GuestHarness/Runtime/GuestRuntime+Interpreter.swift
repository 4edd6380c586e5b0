/// The step interpreter: fetch a 32-byte step, resolve its operand, dispatch on the opcode
/// through a jump table with one branch per `GuestOpcode`, and loop until `end`.
///
/// After the fetch: X9 opcode, X10 operand source, X11 field a, X12 field b, X13 the immediate,
/// X16 field c, X14 the operand's value; X20 already points at the following step. Each op
/// leaves X19–X23 as the table in `GuestRuntime` says and branches back to `next_step`.
extension GuestRuntime {
    static func interpreter(_ asm: inout A64Assembler, _ labels: Labels) {
        asm.bind(labels.interpret)
        asm.stp(.x29, .x30, base: .sp, offset: -16, .preIndex)
        asm.mov(.x22, .x20)

        asm.bind(labels.next)
        asm.str(.doubleword, .x20, base: .x19, offset: Int64(GuestContext.currentStep))
        asm.ldr(.byte, .x9, base: .x20)
        asm.ldr(.byte, .x10, base: .x20, offset: 1)
        asm.ldr(.halfword, .x11, base: .x20, offset: 2)
        asm.ldr(.word, .x12, base: .x20, offset: 4)
        asm.ldr(.doubleword, .x13, base: .x20, offset: 8)
        asm.ldr(.doubleword, .x16, base: .x20, offset: 16)
        asm.add(.x20, .x20, UInt32(GuestStep.size))
        // The operand: the immediate, the accumulator (source 1) or variable imm & 15 (source 2).
        asm.mov(.x14, .x13)
        let notAccumulator = asm.label("not_acc")
        let resolved = asm.label("resolved")
        asm.cmp(.x10, 1)
        asm.b(.ne, notAccumulator)
        asm.mov(.x14, .x21)
        asm.bind(notAccumulator)
        asm.cmp(.x10, 2)
        asm.b(.ne, resolved)
        asm.ubfx(.x15, .x13, lsb: 0, width: 4)
        asm.add(.x17, .x19, UInt32(GuestContext.variables))
        asm.ldr(.doubleword, .x14, base: .x17, index: .x15, scaled: true)
        asm.bind(resolved)
        asm.cmp(.x9, UInt32(GuestOpcode.allCases.count))
        asm.b(.hs, labels.badStep)
        let table = asm.label("op_table")
        asm.adr(.x15, table)
        asm.add(.x15, .x15, .x9, lsl: 2)
        asm.br(.x15)

        // The jump table, in `GuestOpcode` order.
        var handlers: [(GuestOpcode, A64Label)] = []
        asm.bind(table)
        for opcode in GuestOpcode.allCases {
            let handler = asm.label("op_\(opcode.name)")
            handlers.append((opcode, handler))
            asm.b(handler)
        }
        for (opcode, handler) in handlers {
            asm.bind(handler)
            operation(opcode, &asm, labels)
        }
    }

    /// The body of one opcode.
    static func operation(_ opcode: GuestOpcode, _ asm: inout A64Assembler, _ labels: Labels) {
        switch opcode {
        case .end:
            asm.ldp(.x29, .x30, base: .sp, offset: 16, .postIndex)
            asm.ret()
            return

        case .read:
            asm.cmp(.x11, UInt32(GuestSysReg.allCases.count))
            asm.b(.hs, labels.badStep)
            asm.adr(.x15, labels.readStubs)
            asm.add(.x15, .x15, .x11, lsl: 4)
            asm.blr(.x15)
            asm.mov(.x21, .x0)

        case .write:
            asm.cmp(.x11, UInt32(GuestSysReg.allCases.count))
            asm.b(.hs, labels.badStep)
            asm.mov(.x0, .x14)
            asm.adr(.x15, labels.writeStubs)
            asm.add(.x15, .x15, .x11, lsl: 4)
            asm.blr(.x15)

        case .mmioRead, .mmioWrite:
            // X15 = frames[a] + b.
            asm.cmp(.x11, UInt32(GuestFrame.allCases.count))
            asm.b(.hs, labels.badStep)
            asm.add(.x17, .x19, UInt32(GuestContext.frames))
            asm.ldr(.doubleword, .x15, base: .x17, index: .x11, scaled: true)
            asm.add(.x15, .x15, .x12)
            if opcode == .mmioRead {
                asm.ldr(.word, .x21, base: .x15)
            } else {
                asm.str(.word, .x14, base: .x15)
            }

        case .readBit, .writeBit, .writePriority:
            // The frame holding INTID X14: this vCPU's SGI_base below 32, else the distributor.
            let shared = asm.label("shared_\(opcode.name)")
            let framed = asm.label("framed_\(opcode.name)")
            asm.cmp(.x14, 32)
            asm.b(.hs, shared)
            asm.ldr(.doubleword, .x15, base: .x19, offset: Int64(GuestContext.frames + 8 * Int(GuestFrame.redistributorSGI.rawValue)))
            asm.b(framed)
            asm.bind(shared)
            asm.ldr(.doubleword, .x15, base: .x19, offset: Int64(GuestContext.frames + 8 * Int(GuestFrame.distributor.rawValue)))
            asm.bind(framed)
            if opcode == .writePriority {
                // IPRIORITYR (0x400) + INTID: one byte per interrupt.
                asm.add(.x15, .x15, 0x400)
                asm.add(.x15, .x15, .x14)
                asm.str(.byte, .x16, base: .x15)
            } else {
                asm.add(.x15, .x15, .x12)
                asm.lsr(.x17, .x14, 5)
                asm.add(.x15, .x15, .x17, lsl: 2)
                asm.ubfx(.x17, .x14, lsb: 0, width: 5)
                if opcode == .readBit {
                    asm.ldr(.word, .x10, base: .x15)
                    asm.lsr(.x10, .x10, .x17)
                    asm.ubfx(.x21, .x10, lsb: 0, width: 1)
                } else {
                    asm.movz(.x10, 1)
                    asm.lsl(.x10, .x10, .x17)
                    asm.str(.word, .x10, base: .x15)
                }
            }

        case .log:
            // Entry: header = tag | depth << 16 | program << 24 | step index << 32, then the value.
            let full = asm.label("log_full")
            asm.ldr(.doubleword, .x15, base: .x19, offset: Int64(GuestContext.logCursor))
            asm.ldr(.doubleword, .x17, base: .x19, offset: Int64(GuestContext.logLimit))
            asm.cmp(.x15, .x17)
            asm.b(.hs, full)
            asm.ldr(.doubleword, .x17, base: .x19, offset: Int64(GuestContext.depth))
            asm.lsl(.x17, .x17, 16)
            asm.orr(.x17, .x17, .x12)
            asm.orr(.x17, .x17, .x23, lsl: 24)
            asm.sub(.x10, .x20, .x22)
            asm.lsr(.x10, .x10, 5)
            asm.sub(.x10, .x10, 1)
            asm.orr(.x17, .x17, .x10, lsl: 32)
            asm.stp(.x17, .x14, base: .x15, offset: 0)
            asm.add(.x15, .x15, 16)
            asm.str(.doubleword, .x15, base: .x19, offset: Int64(GuestContext.logCursor))
            asm.b(labels.next)
            asm.bind(full)
            asm.ldr(.doubleword, .x17, base: .x19, offset: Int64(GuestContext.dropped))
            asm.add(.x17, .x17, 1)
            asm.str(.doubleword, .x17, base: .x19, offset: Int64(GuestContext.dropped))

        case .host, .hostRead:
            guard labels.transport == .mmioExits else {
                asm.b(labels.badStep)  // no host to call on bare metal
                return
            }
            // The call window address names the step: callWindow + (step − ramBase).
            asm.sub(.x15, .x20, UInt32(GuestStep.size))
            asm.mov(.x17, GuestLayout.ramBase)
            asm.sub(.x15, .x15, .x17)
            asm.mov(.x17, GuestLayout.callWindow)
            asm.add(.x15, .x15, .x17)
            if opcode == .host {
                asm.str(.doubleword, .x14, base: .x15)
            } else {
                asm.ldr(.doubleword, .x21, base: .x15)
            }

        case .set: asm.mov(.x21, .x14)
        case .add: asm.add(.x21, .x21, .x14)
        case .subtract: asm.sub(.x21, .x21, .x14)
        case .and: asm.and(.x21, .x21, .x14)
        case .or: asm.orr(.x21, .x21, .x14)
        case .shiftLeft: asm.lsl(.x21, .x21, .x14)
        case .shiftRight: asm.lsr(.x21, .x21, .x14)

        case .store, .increment:
            asm.ubfx(.x11, .x11, lsb: 0, width: 4)
            asm.add(.x17, .x19, UInt32(GuestContext.variables))
            if opcode == .store {
                asm.str(.doubleword, .x14, base: .x17, index: .x11, scaled: true)
            } else {
                asm.ldr(.doubleword, .x15, base: .x17, index: .x11, scaled: true)
                asm.add(.x15, .x15, 1)
                asm.str(.doubleword, .x15, base: .x17, index: .x11, scaled: true)
            }

        case .jump:
            asm.add(.x20, .x22, .x12, lsl: 5)

        case .jumpIf:
            let taken = asm.label("taken")
            let cases: [(GuestComparison, A64Condition)] = [(.equal, .eq), (.notEqual, .ne), (.below, .lo), (.aboveOrEqual, .hs)]
            var checks: [A64Label] = []
            for (comparison, _) in cases {
                let check = asm.label("if_\(comparison.rawValue)")
                checks.append(check)
                asm.cmp(.x11, UInt32(comparison.rawValue))
                asm.b(.eq, check)
            }
            asm.b(labels.badStep)
            for (index, (_, condition)) in cases.enumerated() {
                asm.bind(checks[index])
                asm.cmp(.x21, .x14)
                asm.b(condition, taken)
                asm.b(labels.next)
            }
            asm.bind(taken)
            asm.add(.x20, .x22, .x12, lsl: 5)

        case .mask, .unmask:
            let masks: [GuestInterruptMask] = [.irq, .fiq, .both]
            let done = asm.label("\(opcode.name)_done")
            var bodies: [A64Label] = []
            for mask in masks {
                let body = asm.label("\(opcode.name)_\(mask.rawValue)")
                bodies.append(body)
                asm.cmp(.x11, UInt32(mask.rawValue))
                asm.b(.eq, body)
            }
            asm.b(labels.badStep)
            for (index, mask) in masks.enumerated() {
                asm.bind(bodies[index])
                if opcode == .mask {
                    asm.maskExceptions(UInt32(mask.rawValue))
                } else {
                    asm.unmaskExceptions(UInt32(mask.rawValue))
                    asm.isb()
                }
                asm.b(done)
            }
            asm.bind(done)

        case .waitForInterrupt: asm.wfi()
        case .synchronize: asm.isb()
        case .barrier: asm.dsbSY()

        case .drainLog where labels.transport != .mmioExits:
            uartDrain(&asm, labels)

        case .drainLog:
            // Every entry as two stores (header, value), then the dropped count; the log is reset.
            let loop = asm.label("drain_loop")
            let finished = asm.label("drain_finished")
            asm.ldr(.doubleword, .x15, base: .x19, offset: Int64(GuestContext.logBase))
            asm.ldr(.doubleword, .x17, base: .x19, offset: Int64(GuestContext.logCursor))
            asm.mov(.x10, GuestLayout.logHeaderAddress)
            asm.bind(loop)
            asm.cmp(.x15, .x17)
            asm.b(.hs, finished)
            asm.ldp(.x11, .x13, base: .x15, offset: 0)
            asm.str(.doubleword, .x11, base: .x10)
            asm.str(.doubleword, .x13, base: .x10, offset: 8)
            asm.add(.x15, .x15, 16)
            asm.b(loop)
            asm.bind(finished)
            asm.ldr(.doubleword, .x11, base: .x19, offset: Int64(GuestContext.dropped))
            asm.str(.doubleword, .x11, base: .x10, offset: 16)
            asm.ldr(.doubleword, .x15, base: .x19, offset: Int64(GuestContext.logBase))
            asm.str(.doubleword, .x15, base: .x19, offset: Int64(GuestContext.logCursor))
            asm.str(.doubleword, .zr, base: .x19, offset: Int64(GuestContext.dropped))

        case .undefinedInstruction:
            asm.udf(0)

        case .gicv5:
            // The stub for instruction a, with X0 = the operand; b = 1: X0 is a result (SYSL).
            let noResult = asm.label("gicv5_no_result")
            asm.cmp(.x11, UInt32(GuestGICv5Instruction.allCases.count))
            asm.b(.hs, labels.badStep)
            asm.mov(.x0, .x14)
            asm.adr(.x15, labels.gicv5Stubs)
            asm.add(.x15, .x15, .x11, lsl: 4)
            asm.blr(.x15)
            asm.cbz(.x12, noResult)
            asm.mov(.x21, .x0)
            asm.bind(noResult)

        case .spin:
            let loop = asm.label("spin_loop")
            let finished = asm.label("spin_done")
            asm.mov(.x15, .x14)
            asm.bind(loop)
            asm.cbz(.x15, finished)
            asm.sub(.x15, .x15, 1)
            asm.b(loop)
            asm.bind(finished)
        }
        asm.b(labels.next)
    }
}
