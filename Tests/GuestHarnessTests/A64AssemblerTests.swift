import GICVocabulary
@testable import GuestHarness
import Testing

/// Every expected word below is what GNU as (binutils 2.40, `aarch64-linux-gnu-as`) produced for
/// the line next to it; `RuntimeListingTests` checks the whole runtime the same way, live.
@Suite("A64 assembler encodings")
struct A64AssemblerTests {
    /// Assembles `build` and returns (word, text) pairs.
    func assemble(_ build: (inout A64Assembler) -> Void) throws -> [A64Instruction] {
        var asm = A64Assembler()
        build(&asm)
        return try asm.assemble().instructions
    }

    @Test("each instruction form encodes as GNU as does, and lists as GNU as reads it")
    func forms() throws {
        let expected: [(UInt32, String)] = [
            (0xD282_4680, "movz x0, #0x1234"),
            (0xF2F7_DDE3, "movk x3, #0xbeef, lsl #48"),
            (0xAA01_03E0, "mov x0, x1"),
            (0x9100_013F, "mov sp, x9"),
            (0x9100_03E9, "mov x9, sp"),
            (0x9100_4020, "add x0, x1, #16"),
            (0x9104_43FF, "add sp, sp, #272"),
            (0xD104_43FF, "sub sp, sp, #272"),
            (0xD100_0529, "sub x9, x9, #1"),
            (0x9140_05EF, "add x15, x15, #1, lsl #12"),
            (0xF100_095F, "cmp x10, #2"),
            (0xEB0E_02BF, "cmp x21, x14"),
            (0x8B09_09EF, "add x15, x15, x9, lsl #2"),
            (0xCB16_028A, "sub x10, x20, x22"),
            (0x8A0E_02B5, "and x21, x21, x14"),
            (0xAA17_6231, "orr x17, x17, x23, lsl #24"),
            (0xCA03_0041, "eor x1, x2, x3"),
            (0x9AD1_214A, "lsl x10, x10, x17"),
            (0x9AD1_254A, "lsr x10, x10, x17"),
            (0xD370_BE31, "lsl x17, x17, #16"),
            (0xD345_FDD1, "lsr x17, x14, #5"),
            (0xD340_0DAF, "ubfx x15, x13, #0, #4"),
            (0x3940_0289, "ldrb w9, [x20]"),
            (0x3940_068A, "ldrb w10, [x20, #1]"),
            (0x7940_068B, "ldrh w11, [x20, #2]"),
            (0xB940_068C, "ldr w12, [x20, #4]"),
            (0xF940_068D, "ldr x13, [x20, #8]"),
            (0xF900_3A74, "str x20, [x19, #112]"),
            (0xF900_327F, "str xzr, [x19, #96]"),
            (0xB900_01EE, "str w14, [x15]"),
            (0x3900_01F0, "strb w16, [x15]"),
            (0xF86F_7A2E, "ldr x14, [x17, x15, lsl #3]"),
            (0xF82B_7A2E, "str x14, [x17, x11, lsl #3]"),
            (0xB871_79EA, "ldr w10, [x15, x17, lsl #2]"),
            (0xA9BF_7BFD, "stp x29, x30, [sp, #-16]!"),
            (0xA8C1_7BFD, "ldp x29, x30, [sp], #16"),
            (0xA900_07E0, "stp x0, x1, [sp]"),
            (0xA90F_27FE, "stp x30, x9, [sp, #240]"),
            (0xA94E_77FC, "ldp x28, x29, [sp, #224]"),
            (0xD65F_03C0, "ret"),
            (0xD61F_01E0, "br x15"),
            (0xD63F_01E0, "blr x15"),
            (0xD538_CC00, "mrs x0, s3_0_c12_c12_0"),
            (0xD518_CC20, "msr s3_0_c12_c12_1, x0"),
            (0xD518_C009, "msr s3_0_c12_c0_0, x9"),
            (0xD508_C120, "sys #0, c12, c1, #1, x0"),
            (0xD528_C300, "sysl x0, #0, c12, c3, #0"),
            (0xD538_CA80, "mrs x0, s3_0_c12_c10_4"),
            (0xD519_C020, "msr s3_1_c12_c0_1, x0"),
            (0xD503_42DF, "msr daifset, #2"),
            (0xD503_43FF, "msr daifclr, #3"),
            (0xD503_201F, "nop"),
            (0xD503_207F, "wfi"),
            (0xD503_3FDF, "isb"),
            (0xD503_3F9F, "dsb sy"),
            (0xD69F_03E0, "eret"),
            (0xD400_0002, "hvc #0x0"),
            (0xDEAD_BEEF, ".word 0xdeadbeef"),
        ]
        let got = try assemble { asm in
            asm.movz(.x0, 0x1234)
            asm.movk(.x3, 0xBEEF, shift: 48)
            asm.mov(.x0, .x1)
            asm.movStackPointer(.sp, .x9)
            asm.movStackPointer(.x9, .sp)
            asm.add(.x0, .x1, 16)
            asm.add(.sp, .sp, 272)
            asm.sub(.sp, .sp, 272)
            asm.sub(.x9, .x9, 1)
            asm.add(.x15, .x15, 1, shifted: true)
            asm.cmp(.x10, 2)
            asm.cmp(.x21, .x14)
            asm.add(.x15, .x15, .x9, lsl: 2)
            asm.sub(.x10, .x20, .x22)
            asm.and(.x21, .x21, .x14)
            asm.orr(.x17, .x17, .x23, lsl: 24)
            asm.eor(.x1, .x2, .x3)
            asm.lsl(.x10, .x10, .x17)
            asm.lsr(.x10, .x10, .x17)
            asm.lsl(.x17, .x17, 16)
            asm.lsr(.x17, .x14, 5)
            asm.ubfx(.x15, .x13, lsb: 0, width: 4)
            asm.ldr(.byte, .x9, base: .x20)
            asm.ldr(.byte, .x10, base: .x20, offset: 1)
            asm.ldr(.halfword, .x11, base: .x20, offset: 2)
            asm.ldr(.word, .x12, base: .x20, offset: 4)
            asm.ldr(.doubleword, .x13, base: .x20, offset: 8)
            asm.str(.doubleword, .x20, base: .x19, offset: 112)
            asm.str(.doubleword, .zr, base: .x19, offset: 96)
            asm.str(.word, .x14, base: .x15)
            asm.str(.byte, .x16, base: .x15)
            asm.ldr(.doubleword, .x14, base: .x17, index: .x15, scaled: true)
            asm.str(.doubleword, .x14, base: .x17, index: .x11, scaled: true)
            asm.ldr(.word, .x10, base: .x15, index: .x17, scaled: true)
            asm.stp(.x29, .x30, base: .sp, offset: -16, .preIndex)
            asm.ldp(.x29, .x30, base: .sp, offset: 16, .postIndex)
            asm.stp(.x0, .x1, base: .sp, offset: 0)
            asm.stp(.x30, .x9, base: .sp, offset: 240)
            asm.ldp(.x28, .x29, base: .sp, offset: 224)
            asm.ret()
            asm.br(.x15)
            asm.blr(.x15)
            asm.mrs(.x0, .init(SysRegEncoding(instr: 0xC660)))
            asm.msr(.init(SysRegEncoding(instr: 0xC661)), .x0)
            asm.msr(.vbarEL1, .x9)
            asm.sys(op1: 0, crn: 12, crm: 1, op2: 1, .x0)
            asm.sysl(.x0, op1: 0, crn: 12, crm: 3, op2: 0)
            asm.mrs(.x0, .init(SysRegEncoding(instr: 0xC654)))
            asm.msr(.init(SysRegEncoding(instr: 0xCE01)), .x0)
            asm.maskExceptions(2)
            asm.unmaskExceptions(3)
            asm.nop()
            asm.wfi()
            asm.isb()
            asm.dsbSY()
            asm.eret()
            asm.hvc(0)
            asm.word(0xDEAD_BEEF)
        }
        #expect(got.count == expected.count)
        for (instruction, (word, text)) in zip(got, expected) {
            #expect(instruction.text == text)
            #expect(instruction.word == word, "\(text): \(hex(instruction.word)) != \(hex(word))")
        }
    }

    @Test("branches and ADR resolve backward and forward labels as GNU as does")
    func labels() throws {
        let got = try assemble { asm in
            let back = asm.label("back")
            let forward = asm.label("fwd")
            asm.bind(back)
            asm.b(back)                         // b back        = 0x14000000
            asm.bl(forward)                     // bl fwd        = 0x94000007
            asm.b(.ne, forward)                 // b.ne fwd      = 0x540000C1
            asm.cbz(.x15, forward)              // cbz x15, fwd  = 0xB40000AF
            asm.cbnz(.x1, back)                 // cbnz x1, back = 0xB5FFFF81
            asm.tbz(.x3, bit: 5, forward)       // tbz w3, #5    = 0x36280063
            asm.tbnz(.x3, bit: 40, back)        // tbnz x3, #40  = 0xB747FF43
            asm.adr(.x15, forward)              // adr x15, fwd  = 0x1000002F
            asm.bind(forward)
            asm.nop()
        }
        #expect(got.map { $0.word } == [
            0x1400_0000, 0x9400_0007, 0x5400_00C1, 0xB400_00AF, 0xB5FF_FF81, 0x3628_0063, 0xB747_FF43, 0x1000_002F, 0xD503_201F,
        ])
    }

    @Test("mov of a 64-bit constant is MOVZ then a MOVK per non-zero higher half", arguments: [
        (UInt64(0), [UInt32(0xD280_0000)]),
        (UInt64(0x0A00_0000), [UInt32(0xD280_0000), 0xF2A1_4000]),
        (UInt64(0x8400_0008), [UInt32(0xD280_0100), 0xF2B0_8000]),
        (UInt64(0xBEEF_0000_0000_0001), [UInt32(0xD280_0020), 0xF2F7_DDE0]),
    ])
    func constants(value: UInt64, words: [UInt32]) throws {
        #expect(try assemble { $0.mov(.x0, value) }.map { $0.word } == words)
    }

    @Test("bad operands are typed errors at assemble time, never traps")
    func refusals() {
        func error(_ build: (inout A64Assembler) -> Void) -> A64AssemblyError? {
            var asm = A64Assembler()
            build(&asm)
            do throws(A64AssemblyError) {
                _ = try asm.assemble()
                return nil
            } catch {
                return error
            }
        }
        #expect(error { $0.add(.x0, .x1, 4096) } == .immediateOutOfRange(instruction: "add", value: 4096))
        #expect(error { $0.ldr(.doubleword, .x0, base: .x1, offset: 12) } == .misaligned(instruction: "ldr", value: 12))
        #expect(error { $0.ldr(.word, .x0, base: .x1, offset: 16384) } == .immediateOutOfRange(instruction: "ldr", value: 16384))
        #expect(error { $0.stp(.x0, .x1, base: .sp, offset: 512) } == .immediateOutOfRange(instruction: "stp", value: 512))
        #expect(error { $0.mov(.sp, .x1) } == .invalidRegister(instruction: "mov", register: "sp"))
        #expect(error { $0.movz(.x0, 1, shift: 8) } == .immediateOutOfRange(instruction: "movz", value: 8))
        #expect(error { $0.maskExceptions(16) } == .immediateOutOfRange(instruction: "msr daifset", value: 16))
        #expect(error { asm in
            let nowhere = asm.label("nowhere")
            asm.b(nowhere)
        } == .unboundLabel("nowhere_0"))
        #expect(error { asm in
            let twice = asm.label("twice")
            asm.bind(twice)
            asm.bind(twice)
        } == .reboundLabel("twice_0"))
        #expect(error { asm in
            let far = asm.label("far")
            asm.cbz(.x0, far)
            for _ in 0..<(1 << 18) { asm.nop() }
            asm.bind(far)
        } == .targetOutOfRange(instruction: "cbz x0, far_0", distance: 4 * (1 << 18 + 1)))
    }
}
