import GICVocabulary

extension A64Assembler {
    /// A system register operand of MRS/MSR, by its encoding. The listing names it in the generic
    /// form `s<op0>_<op1>_c<n>_c<m>_<op2>` that GNU as accepts for any register, so no name
    /// table has to agree with binutils'.
    public struct SystemRegister: Hashable, Sendable {
        public let encoding: SysRegEncoding

        /// Op0 must be 2 or 3 (the MRS/MSR register space); the vocabulary's encodings of the
        /// GIC and timer registers all are.
        public init(_ encoding: SysRegEncoding) {
            self.encoding = encoding
        }

        /// The o0:op1:CRn:CRm:op2 bits of the instruction (o0 = op0 − 2).
        var fields: UInt32 {
            (UInt32(encoding.op0) & 1) << 19 | UInt32(encoding.op1) << 16 | UInt32(encoding.crn) << 12
                | UInt32(encoding.crm) << 8 | UInt32(encoding.op2) << 5
        }

        /// `s3_0_c12_c12_0`.
        public var name: String {
            "s\(encoding.op0)_\(encoding.op1)_c\(encoding.crn)_c\(encoding.crm)_\(encoding.op2)"
        }

        private init(_ op0: UInt8, _ op1: UInt8, _ crn: UInt8, _ crm: UInt8, _ op2: UInt8) {
            encoding = SysRegEncoding(instr: UInt16(op0) << 14 | UInt16(op1) << 11 | UInt16(crn) << 7 | UInt16(crm) << 3 | UInt16(op2))
        }

        // The EL1 registers the runtime's exception path uses (Arm ARM D23.2).
        /// VBAR_EL1: the vector table's base.
        public static let vbarEL1 = SystemRegister(3, 0, 12, 0, 0)
        /// ELR_EL1: where an exception returns to.
        public static let elrEL1 = SystemRegister(3, 0, 4, 0, 1)
        /// SPSR_EL1: the state an exception returns to.
        public static let spsrEL1 = SystemRegister(3, 0, 4, 0, 0)
        /// ESR_EL1: the syndrome of the last synchronous exception or SError.
        public static let esrEL1 = SystemRegister(3, 0, 5, 2, 0)
        /// FAR_EL1: the faulting address.
        public static let farEL1 = SystemRegister(3, 0, 6, 0, 0)
        /// DAIF: the current interrupt masks.
        public static let daif = SystemRegister(3, 3, 4, 2, 1)
    }
}
