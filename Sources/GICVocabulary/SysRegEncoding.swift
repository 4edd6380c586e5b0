/// A system register's (Op0, Op1, CRn, CRm, Op2), and its 16-bit packed form for CPU_SYSREGS attrs.
///
/// `instr = Op0<<14 | Op1<<11 | CRn<<7 | CRm<<3 | Op2` (`KVM_REG_ARM_VGIC_SYSREG_*_MASK`,
/// `KVM_DEV_ARM_VGIC_SYSREG_INSTR_MASK` 0xffff; GICVocabulary.docc/AttributeEncodings.md,
/// GICVocabulary.docc/GICv3RegisterMap.md). The fields are 2, 3, 4, 4 and 3 bits wide, which together fill
/// the 16 bits exactly, so every `UInt16` is some encoding.
public struct SysRegEncoding: Hashable, Comparable, Sendable {
    public let op0: UInt8
    public let op1: UInt8
    public let crn: UInt8
    public let crm: UInt8
    public let op2: UInt8

    /// Checks the field widths: Op0 0–3, Op1 0–7, CRn 0–15, CRm 0–15, Op2 0–7; a wider value throws
    /// `.outOfRange` naming the field (`.sysRegOp0`, …).
    public init(op0: UInt8, op1: UInt8, crn: UInt8, crm: UInt8, op2: UInt8) throws(GICValueError) {
        try require(op0, in: 0...3, .sysRegOp0)
        try require(op1, in: 0...7, .sysRegOp1)
        try require(crn, in: 0...15, .sysRegCRn)
        try require(crm, in: 0...15, .sysRegCRm)
        try require(op2, in: 0...7, .sysRegOp2)
        self.op0 = op0
        self.op1 = op1
        self.crn = crn
        self.crm = crm
        self.op2 = op2
    }

    /// Unpacks a 16-bit `instr`; every value is valid.
    public init(instr: UInt16) {
        op0 = UInt8(truncatingIfNeeded: instr >> 14) & 0x3
        op1 = UInt8(truncatingIfNeeded: instr >> 11) & 0x7
        crn = UInt8(truncatingIfNeeded: instr >> 7) & 0xF
        crm = UInt8(truncatingIfNeeded: instr >> 3) & 0xF
        op2 = UInt8(truncatingIfNeeded: instr) & 0x7
    }

    /// For the register table, whose fields are literals in range.
    init(_ op0: UInt8, _ op1: UInt8, _ crn: UInt8, _ crm: UInt8, _ op2: UInt8) {
        self.op0 = op0 & 0x3
        self.op1 = op1 & 0x7
        self.crn = crn & 0xF
        self.crm = crm & 0xF
        self.op2 = op2 & 0x7
    }

    /// `Op0<<14 | Op1<<11 | CRn<<7 | CRm<<3 | Op2`.
    public var instr: UInt16 {
        UInt16(op0) << 14 | UInt16(op1) << 11 | UInt16(crn) << 7 | UInt16(crm) << 3 | UInt16(op2)
    }

    public static func < (lhs: SysRegEncoding, rhs: SysRegEncoding) -> Bool { lhs.instr < rhs.instr }
}
