import GICVocabulary

/// The system registers a guest program may read or write, as data: each case's raw value is
/// its slot in the runtime's stub tables, and `access` says which directions exist (a write to
/// IAR or a read of EOIR is UNDEFINED, so the step cannot be built).
///
/// Encodings: Arm ARM DDI 0487 D23 (GIC system registers, generic timer) and IHI 0069 §12;
/// the ICC registers the vgic also exposes to userspace are in `ICCRegister`.
public enum GuestSysReg: UInt16, Sendable, CaseIterable, CustomStringConvertible {
    case iccIAR0, iccIAR1, iccEOIR0, iccEOIR1, iccDIR, iccHPPIR0, iccHPPIR1, iccRPR
    case iccPMR, iccBPR0, iccBPR1, iccCTLR, iccSRE, iccIGRPEN0, iccIGRPEN1
    case iccAP0R0, iccAP0R1, iccAP0R2, iccAP0R3, iccAP1R0, iccAP1R1, iccAP1R2, iccAP1R3
    case iccSGI0R, iccSGI1R, iccASGI1R
    case cntfrq, cntvct, cntvCTL, cntvCVAL, cntvTVAL
    case mpidr

    /// Readable, writable, or both.
    public enum Access: Sendable {
        case read, write, readWrite

        public var readable: Bool { self != .write }
        public var writable: Bool { self != .read }
    }

    /// The register's (op0, op1, CRn, CRm, op2), its access and name, in one row.
    public var row: (encoding: SysRegEncoding, access: Access, name: String) {
        switch self {
        case .iccIAR0: (SysRegEncoding(instr: 0xC640), .read, "ICC_IAR0_EL1")      // 3,0,12,8,0
        case .iccIAR1: (SysRegEncoding(instr: 0xC660), .read, "ICC_IAR1_EL1")      // 3,0,12,12,0
        case .iccEOIR0: (SysRegEncoding(instr: 0xC641), .write, "ICC_EOIR0_EL1")   // 3,0,12,8,1
        case .iccEOIR1: (SysRegEncoding(instr: 0xC661), .write, "ICC_EOIR1_EL1")   // 3,0,12,12,1
        case .iccDIR: (SysRegEncoding(instr: 0xC659), .write, "ICC_DIR_EL1")       // 3,0,12,11,1
        case .iccHPPIR0: (SysRegEncoding(instr: 0xC642), .read, "ICC_HPPIR0_EL1")  // 3,0,12,8,2
        case .iccHPPIR1: (SysRegEncoding(instr: 0xC662), .read, "ICC_HPPIR1_EL1")  // 3,0,12,12,2
        case .iccRPR: (SysRegEncoding(instr: 0xC65B), .read, "ICC_RPR_EL1")        // 3,0,12,11,3
        case .iccPMR: (ICCRegister.iccPMR.encoding, .readWrite, "ICC_PMR_EL1")
        case .iccBPR0: (ICCRegister.iccBPR0.encoding, .readWrite, "ICC_BPR0_EL1")
        case .iccBPR1: (ICCRegister.iccBPR1.encoding, .readWrite, "ICC_BPR1_EL1")
        case .iccCTLR: (ICCRegister.iccCTLR.encoding, .readWrite, "ICC_CTLR_EL1")
        case .iccSRE: (ICCRegister.iccSRE.encoding, .readWrite, "ICC_SRE_EL1")
        case .iccIGRPEN0: (ICCRegister.iccIGRPEN0.encoding, .readWrite, "ICC_IGRPEN0_EL1")
        case .iccIGRPEN1: (ICCRegister.iccIGRPEN1.encoding, .readWrite, "ICC_IGRPEN1_EL1")
        case .iccAP0R0: (ICCRegister.iccAP0R0.encoding, .readWrite, "ICC_AP0R0_EL1")
        case .iccAP0R1: (ICCRegister.iccAP0R1.encoding, .readWrite, "ICC_AP0R1_EL1")
        case .iccAP0R2: (ICCRegister.iccAP0R2.encoding, .readWrite, "ICC_AP0R2_EL1")
        case .iccAP0R3: (ICCRegister.iccAP0R3.encoding, .readWrite, "ICC_AP0R3_EL1")
        case .iccAP1R0: (ICCRegister.iccAP1R0.encoding, .readWrite, "ICC_AP1R0_EL1")
        case .iccAP1R1: (ICCRegister.iccAP1R1.encoding, .readWrite, "ICC_AP1R1_EL1")
        case .iccAP1R2: (ICCRegister.iccAP1R2.encoding, .readWrite, "ICC_AP1R2_EL1")
        case .iccAP1R3: (ICCRegister.iccAP1R3.encoding, .readWrite, "ICC_AP1R3_EL1")
        case .iccSGI0R: (SysRegEncoding(instr: 0xC65F), .write, "ICC_SGI0R_EL1")   // 3,0,12,11,7
        case .iccSGI1R: (SysRegEncoding(instr: 0xC65D), .write, "ICC_SGI1R_EL1")   // 3,0,12,11,5
        case .iccASGI1R: (SysRegEncoding(instr: 0xC65E), .write, "ICC_ASGI1R_EL1") // 3,0,12,11,6
        case .cntfrq: (SysRegEncoding(instr: 0xDF00), .read, "CNTFRQ_EL0")         // 3,3,14,0,0
        case .cntvct: (SysRegEncoding(instr: 0xDF02), .read, "CNTVCT_EL0")         // 3,3,14,0,2
        case .cntvCTL: (SysRegEncoding(instr: 0xDF19), .readWrite, "CNTV_CTL_EL0") // 3,3,14,3,1
        case .cntvCVAL: (SysRegEncoding(instr: 0xDF1A), .readWrite, "CNTV_CVAL_EL0") // 3,3,14,3,2
        case .cntvTVAL: (SysRegEncoding(instr: 0xDF18), .readWrite, "CNTV_TVAL_EL0") // 3,3,14,3,0
        case .mpidr: (SysRegEncoding(instr: 0xC005), .read, "MPIDR_EL1")           // 3,0,0,0,5
        }
    }

    /// The case's name, for printing a step as Swift source.
    public var caseName: String {
        switch self {
        case .iccIAR0: "iccIAR0"
        case .iccIAR1: "iccIAR1"
        case .iccEOIR0: "iccEOIR0"
        case .iccEOIR1: "iccEOIR1"
        case .iccDIR: "iccDIR"
        case .iccHPPIR0: "iccHPPIR0"
        case .iccHPPIR1: "iccHPPIR1"
        case .iccRPR: "iccRPR"
        case .iccPMR: "iccPMR"
        case .iccBPR0: "iccBPR0"
        case .iccBPR1: "iccBPR1"
        case .iccCTLR: "iccCTLR"
        case .iccSRE: "iccSRE"
        case .iccIGRPEN0: "iccIGRPEN0"
        case .iccIGRPEN1: "iccIGRPEN1"
        case .iccAP0R0: "iccAP0R0"
        case .iccAP0R1: "iccAP0R1"
        case .iccAP0R2: "iccAP0R2"
        case .iccAP0R3: "iccAP0R3"
        case .iccAP1R0: "iccAP1R0"
        case .iccAP1R1: "iccAP1R1"
        case .iccAP1R2: "iccAP1R2"
        case .iccAP1R3: "iccAP1R3"
        case .iccSGI0R: "iccSGI0R"
        case .iccSGI1R: "iccSGI1R"
        case .iccASGI1R: "iccASGI1R"
        case .cntfrq: "cntfrq"
        case .cntvct: "cntvct"
        case .cntvCTL: "cntvCTL"
        case .cntvCVAL: "cntvCVAL"
        case .cntvTVAL: "cntvTVAL"
        case .mpidr: "mpidr"
        }
    }

    public var encoding: SysRegEncoding { row.encoding }
    public var access: Access { row.access }
    public var description: String { row.name }
}
