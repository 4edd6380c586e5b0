/// The handful of A64 instructions the lab's guest programs use, encoded from the Arm ARM
/// (DDI 0487, C6.2) so a guest program reads as assembly, not as hex.
///
/// Only what the scenarios need: moves of 16-bit immediates, a 32-bit store, system-register
/// moves, HVC and a branch. Each function returns the instruction word (little-endian in memory).
enum A64 {
    /// A general-purpose register number, 0...30 (31 is XZR/WZR or SP depending on the
    /// instruction, and never needed here).
    struct Register: Equatable {
        let number: UInt32
        init(_ number: UInt32) {
            precondition(number <= 30, "A64.Register: x0...x30 only")
            self.number = number
        }
    }

    /// `MOVZ Xd, #imm16, LSL #shift` (shift 0, 16, 32 or 48): sf=1 opc=10 100101 hw imm16 Rd.
    static func movz(_ rd: Register, _ imm16: UInt16, shift: UInt32 = 0) -> UInt32 {
        0xD280_0000 | hw(shift) << 21 | UInt32(imm16) << 5 | rd.number
    }

    /// `MOVK Xd, #imm16, LSL #shift`: sf=1 opc=11 100101 hw imm16 Rd (keeps the other bits).
    static func movk(_ rd: Register, _ imm16: UInt16, shift: UInt32) -> UInt32 {
        0xF280_0000 | hw(shift) << 21 | UInt32(imm16) << 5 | rd.number
    }

    /// The MOVZ/MOVK sequence that loads the 64-bit `value` into `rd` (MOVZ of the low half,
    /// then a MOVK for each non-zero higher half).
    static func load(_ rd: Register, _ value: UInt64) -> [UInt32] {
        var words = [movz(rd, UInt16(truncatingIfNeeded: value))]
        for shift in stride(from: UInt32(16), through: 48, by: 16) {
            let part = UInt16(truncatingIfNeeded: value >> UInt64(shift))
            if part != 0 { words.append(movk(rd, part, shift: shift)) }
        }
        return words
    }

    /// `STR Wt, [Xn]` (unsigned offset 0): size=10 111001 00 imm12=0 Rn Rt. A single-register
    /// store without writeback, so a trapped access carries a valid syndrome (ISV=1) and KVM
    /// reports it as `KVM_EXIT_MMIO` rather than `KVM_EXIT_ARM_NISV`.
    static func str32(_ rt: Register, base rn: Register) -> UInt32 {
        0xB900_0000 | rn.number << 5 | rt.number
    }

    /// `STR Xt, [Xn]` (unsigned offset 0): the 64-bit form, size=11.
    static func str64(_ rt: Register, base rn: Register) -> UInt32 {
        0xF900_0000 | rn.number << 5 | rt.number
    }

    /// `MRS Xt, <sysreg>`: 1101010100 1 1 o0 op1 CRn CRm op2 Rt, with op0 = 2 + o0.
    static func mrs(_ rt: Register, op0: UInt32, op1: UInt32, crn: UInt32, crm: UInt32, op2: UInt32) -> UInt32 {
        0xD530_0000 | (op0 - 2) << 19 | op1 << 16 | crn << 12 | crm << 8 | op2 << 5 | rt.number
    }

    /// `MSR <sysreg>, Xt`: as MRS with L=0.
    static func msr(op0: UInt32, op1: UInt32, crn: UInt32, crm: UInt32, op2: UInt32, _ rt: Register) -> UInt32 {
        0xD510_0000 | (op0 - 2) << 19 | op1 << 16 | crn << 12 | crm << 8 | op2 << 5 | rt.number
    }

    /// `ISB`: makes system-register writes visible to what follows.
    static let isb: UInt32 = 0xD503_3FDF

    /// `HVC #imm16`: 11010100 000 imm16 000 10. With PSCI, a call into KVM's firmware interface.
    static func hvc(_ imm16: UInt16 = 0) -> UInt32 {
        0xD400_0002 | UInt32(imm16) << 5
    }

    /// `B .+offset` (offset in bytes, a multiple of 4, within ±128 MiB).
    static func branch(by offset: Int32) -> UInt32 {
        0x1400_0000 | (UInt32(bitPattern: offset / 4) & 0x03FF_FFFF)
    }

    private static func hw(_ shift: UInt32) -> UInt32 {
        precondition(shift % 16 == 0 && shift <= 48, "A64: shift is 0, 16, 32 or 48")
        return shift / 16
    }
}
