@testable import Conformance
import Testing

/// The lab's guest programs are assembled by `A64`; every expected word below is what GNU as
/// (binutils 2.40, `aarch64-linux-gnu-as`) produced for the instruction in the test name.
@Suite("A64 instruction encodings")
struct A64EncodingTests {
    @Test("movz x0, #0x1234 = 0xD2824680")
    func movzLow() { #expect(A64.movz(.init(0), 0x1234) == 0xD282_4680) }

    @Test("movz x0, #0xa00, lsl #16 = 0xD2A14000")
    func movzShifted() { #expect(A64.movz(.init(0), 0x0A00, shift: 16) == 0xD2A1_4000) }

    @Test("movk x0, #0x8400, lsl #16 = 0xF2B08000")
    func movk16() { #expect(A64.movk(.init(0), 0x8400, shift: 16) == 0xF2B0_8000) }

    @Test("movk x3, #0xbeef, lsl #48 = 0xF2F7DDE3")
    func movk48() { #expect(A64.movk(.init(3), 0xBEEF, shift: 48) == 0xF2F7_DDE3) }

    @Test("str w1, [x0] = 0xB9000001 and str x2, [x5] = 0xF90000A2")
    func stores() {
        #expect(A64.str32(.init(1), base: .init(0)) == 0xB900_0001)
        #expect(A64.str64(.init(2), base: .init(5)) == 0xF900_00A2)
    }

    @Test("mrs x1, ICC_IAR1_EL1 = 0xD538CC01 and msr ICC_EOIR1_EL1, x1 = 0xD518CC21")
    func systemRegisters() {
        #expect(A64.mrs(.init(1), op0: 3, op1: 0, crn: 12, crm: 12, op2: 0) == 0xD538_CC01)
        #expect(A64.msr(op0: 3, op1: 0, crn: 12, crm: 12, op2: 1, .init(1)) == 0xD518_CC21)
    }

    @Test("isb, hvc #0, hvc #0x42")
    func fixed() {
        #expect(A64.isb == 0xD503_3FDF)
        #expect(A64.hvc(0) == 0xD400_0002)
        #expect(A64.hvc(0x42) == 0xD400_0842)
    }

    @Test("b . = 0x14000000, b .-8 = 0x17FFFFFE, b .+16 = 0x14000004")
    func branches() {
        #expect(A64.branch(by: 0) == 0x1400_0000)
        #expect(A64.branch(by: -8) == 0x17FF_FFFE)
        #expect(A64.branch(by: 16) == 0x1400_0004)
    }

    @Test("load emits MOVZ then a MOVK per non-zero higher half", arguments: [
        (UInt64(0), [UInt32(0xD280_0000)]),
        (UInt64(0x0A00_0000), [UInt32(0xD280_0000), 0xF2A1_4000]),
        (UInt64(0x8400_0008), [UInt32(0xD280_0100), 0xF2B0_8000]),
        (UInt64(0xBEEF_0000_0000_0001), [UInt32(0xD280_0020), 0xF2F7_DDE0]),
    ])
    func load(value: UInt64, words: [UInt32]) {
        #expect(A64.load(.init(0), value) == words)
    }
}
