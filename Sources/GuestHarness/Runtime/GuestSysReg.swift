import GICVocabulary

/// The system registers a guest program may read or write, as data: each case's raw value is
/// its slot in the runtime's stub tables, and `access` says which directions exist (a write to
/// IAR or a read of EOIR is UNDEFINED, so the step cannot be built).
///
/// Encodings: Arm ARM DDI 0487 D23 (GIC system registers, generic timer) and IHI 0069 §12; the
/// GICv5 ones from GICv5Model.docc/GICv5Architecture.md (QEMU 11's `gicv5_cpuif_reginfo` agrees);
/// the ICC registers the vgic also exposes to userspace are in `ICCRegister`.
public enum GuestSysReg: UInt16, Sendable, CaseIterable, CustomStringConvertible {
    case iccIAR0, iccIAR1, iccEOIR0, iccEOIR1, iccDIR, iccHPPIR0, iccHPPIR1, iccRPR
    case iccPMR, iccBPR0, iccBPR1, iccCTLR, iccSRE, iccIGRPEN0, iccIGRPEN1
    case iccAP0R0, iccAP0R1, iccAP0R2, iccAP0R3, iccAP1R0, iccAP1R1, iccAP1R2, iccAP1R3
    case iccSGI0R, iccSGI1R, iccASGI1R
    case cntfrq, cntvct, cntvCTL, cntvCVAL, cntvTVAL
    case mpidr
    // GICv5 (FEAT_GCIE) CPU interface registers: the GICv5 guest lab's; a GICv3 guest must not use them.
    case v5PPIHMR0, v5PPIHMR1, v5IDR0, v5HPPIR, v5ICSR, v5IAFFIDR, v5PPIENABLER0, v5PPIENABLER1
    case v5PPICACTIVER0, v5PPICACTIVER1, v5PPISACTIVER0, v5PPISACTIVER1, v5PPICPENDR0, v5PPICPENDR1, v5PPISPENDR0, v5PPISPENDR1
    case v5PPIPRIORITYR0, v5PPIPRIORITYR1, v5PPIPRIORITYR2, v5PPIPRIORITYR3, v5PPIPRIORITYR4, v5PPIPRIORITYR5, v5PPIPRIORITYR6, v5PPIPRIORITYR7
    case v5PPIPRIORITYR8, v5PPIPRIORITYR9, v5PPIPRIORITYR10, v5PPIPRIORITYR11, v5PPIPRIORITYR12, v5PPIPRIORITYR13, v5PPIPRIORITYR14, v5PPIPRIORITYR15
    case v5APR, v5CR0, v5PCR

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
        case .v5PPIHMR0: (SysRegEncoding(instr: 0xC650), .read, "ICC_PPI_HMR0_EL1") // 3,0,12,10,0
        case .v5PPIHMR1: (SysRegEncoding(instr: 0xC651), .read, "ICC_PPI_HMR1_EL1") // 3,0,12,10,1
        case .v5IDR0: (SysRegEncoding(instr: 0xC652), .read, "ICC_IDR0_EL1") // 3,0,12,10,2
        case .v5HPPIR: (SysRegEncoding(instr: 0xC653), .read, "ICC_HPPIR_EL1") // 3,0,12,10,3
        case .v5ICSR: (SysRegEncoding(instr: 0xC654), .readWrite, "ICC_ICSR_EL1") // 3,0,12,10,4
        case .v5IAFFIDR: (SysRegEncoding(instr: 0xC655), .read, "ICC_IAFFIDR_EL1") // 3,0,12,10,5
        case .v5PPIENABLER0: (SysRegEncoding(instr: 0xC656), .readWrite, "ICC_PPI_ENABLER0_EL1") // 3,0,12,10,6
        case .v5PPIENABLER1: (SysRegEncoding(instr: 0xC657), .readWrite, "ICC_PPI_ENABLER1_EL1") // 3,0,12,10,7
        case .v5PPICACTIVER0: (SysRegEncoding(instr: 0xC668), .readWrite, "ICC_PPI_CACTIVER0_EL1") // 3,0,12,13,0
        case .v5PPICACTIVER1: (SysRegEncoding(instr: 0xC669), .readWrite, "ICC_PPI_CACTIVER1_EL1") // 3,0,12,13,1
        case .v5PPISACTIVER0: (SysRegEncoding(instr: 0xC66A), .readWrite, "ICC_PPI_SACTIVER0_EL1") // 3,0,12,13,2
        case .v5PPISACTIVER1: (SysRegEncoding(instr: 0xC66B), .readWrite, "ICC_PPI_SACTIVER1_EL1") // 3,0,12,13,3
        case .v5PPICPENDR0: (SysRegEncoding(instr: 0xC66C), .readWrite, "ICC_PPI_CPENDR0_EL1") // 3,0,12,13,4
        case .v5PPICPENDR1: (SysRegEncoding(instr: 0xC66D), .readWrite, "ICC_PPI_CPENDR1_EL1") // 3,0,12,13,5
        case .v5PPISPENDR0: (SysRegEncoding(instr: 0xC66E), .readWrite, "ICC_PPI_SPENDR0_EL1") // 3,0,12,13,6
        case .v5PPISPENDR1: (SysRegEncoding(instr: 0xC66F), .readWrite, "ICC_PPI_SPENDR1_EL1") // 3,0,12,13,7
        case .v5PPIPRIORITYR0: (SysRegEncoding(instr: 0xC670), .readWrite, "ICC_PPI_PRIORITYR0_EL1") // 3,0,12,14,0
        case .v5PPIPRIORITYR1: (SysRegEncoding(instr: 0xC671), .readWrite, "ICC_PPI_PRIORITYR1_EL1") // 3,0,12,14,1
        case .v5PPIPRIORITYR2: (SysRegEncoding(instr: 0xC672), .readWrite, "ICC_PPI_PRIORITYR2_EL1") // 3,0,12,14,2
        case .v5PPIPRIORITYR3: (SysRegEncoding(instr: 0xC673), .readWrite, "ICC_PPI_PRIORITYR3_EL1") // 3,0,12,14,3
        case .v5PPIPRIORITYR4: (SysRegEncoding(instr: 0xC674), .readWrite, "ICC_PPI_PRIORITYR4_EL1") // 3,0,12,14,4
        case .v5PPIPRIORITYR5: (SysRegEncoding(instr: 0xC675), .readWrite, "ICC_PPI_PRIORITYR5_EL1") // 3,0,12,14,5
        case .v5PPIPRIORITYR6: (SysRegEncoding(instr: 0xC676), .readWrite, "ICC_PPI_PRIORITYR6_EL1") // 3,0,12,14,6
        case .v5PPIPRIORITYR7: (SysRegEncoding(instr: 0xC677), .readWrite, "ICC_PPI_PRIORITYR7_EL1") // 3,0,12,14,7
        case .v5PPIPRIORITYR8: (SysRegEncoding(instr: 0xC678), .readWrite, "ICC_PPI_PRIORITYR8_EL1") // 3,0,12,15,0
        case .v5PPIPRIORITYR9: (SysRegEncoding(instr: 0xC679), .readWrite, "ICC_PPI_PRIORITYR9_EL1") // 3,0,12,15,1
        case .v5PPIPRIORITYR10: (SysRegEncoding(instr: 0xC67A), .readWrite, "ICC_PPI_PRIORITYR10_EL1") // 3,0,12,15,2
        case .v5PPIPRIORITYR11: (SysRegEncoding(instr: 0xC67B), .readWrite, "ICC_PPI_PRIORITYR11_EL1") // 3,0,12,15,3
        case .v5PPIPRIORITYR12: (SysRegEncoding(instr: 0xC67C), .readWrite, "ICC_PPI_PRIORITYR12_EL1") // 3,0,12,15,4
        case .v5PPIPRIORITYR13: (SysRegEncoding(instr: 0xC67D), .readWrite, "ICC_PPI_PRIORITYR13_EL1") // 3,0,12,15,5
        case .v5PPIPRIORITYR14: (SysRegEncoding(instr: 0xC67E), .readWrite, "ICC_PPI_PRIORITYR14_EL1") // 3,0,12,15,6
        case .v5PPIPRIORITYR15: (SysRegEncoding(instr: 0xC67F), .readWrite, "ICC_PPI_PRIORITYR15_EL1") // 3,0,12,15,7
        case .v5APR: (SysRegEncoding(instr: 0xCE00), .readWrite, "ICC_APR_EL1") // 3,1,12,0,0
        case .v5CR0: (SysRegEncoding(instr: 0xCE01), .readWrite, "ICC_CR0_EL1") // 3,1,12,0,1
        case .v5PCR: (SysRegEncoding(instr: 0xCE02), .readWrite, "ICC_PCR_EL1") // 3,1,12,0,2
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
        case .v5PPIHMR0: "v5PPIHMR0"
        case .v5PPIHMR1: "v5PPIHMR1"
        case .v5IDR0: "v5IDR0"
        case .v5HPPIR: "v5HPPIR"
        case .v5ICSR: "v5ICSR"
        case .v5IAFFIDR: "v5IAFFIDR"
        case .v5PPIENABLER0: "v5PPIENABLER0"
        case .v5PPIENABLER1: "v5PPIENABLER1"
        case .v5PPICACTIVER0: "v5PPICACTIVER0"
        case .v5PPICACTIVER1: "v5PPICACTIVER1"
        case .v5PPISACTIVER0: "v5PPISACTIVER0"
        case .v5PPISACTIVER1: "v5PPISACTIVER1"
        case .v5PPICPENDR0: "v5PPICPENDR0"
        case .v5PPICPENDR1: "v5PPICPENDR1"
        case .v5PPISPENDR0: "v5PPISPENDR0"
        case .v5PPISPENDR1: "v5PPISPENDR1"
        case .v5PPIPRIORITYR0: "v5PPIPRIORITYR0"
        case .v5PPIPRIORITYR1: "v5PPIPRIORITYR1"
        case .v5PPIPRIORITYR2: "v5PPIPRIORITYR2"
        case .v5PPIPRIORITYR3: "v5PPIPRIORITYR3"
        case .v5PPIPRIORITYR4: "v5PPIPRIORITYR4"
        case .v5PPIPRIORITYR5: "v5PPIPRIORITYR5"
        case .v5PPIPRIORITYR6: "v5PPIPRIORITYR6"
        case .v5PPIPRIORITYR7: "v5PPIPRIORITYR7"
        case .v5PPIPRIORITYR8: "v5PPIPRIORITYR8"
        case .v5PPIPRIORITYR9: "v5PPIPRIORITYR9"
        case .v5PPIPRIORITYR10: "v5PPIPRIORITYR10"
        case .v5PPIPRIORITYR11: "v5PPIPRIORITYR11"
        case .v5PPIPRIORITYR12: "v5PPIPRIORITYR12"
        case .v5PPIPRIORITYR13: "v5PPIPRIORITYR13"
        case .v5PPIPRIORITYR14: "v5PPIPRIORITYR14"
        case .v5PPIPRIORITYR15: "v5PPIPRIORITYR15"
        case .v5APR: "v5APR"
        case .v5CR0: "v5CR0"
        case .v5PCR: "v5PCR"
        }
    }

    /// A GICv5 CPU-interface register (the cases after `mpidr`).
    public var isGICv5: Bool { rawValue >= GuestSysReg.v5PPIHMR0.rawValue }

    public var encoding: SysRegEncoding { row.encoding }
    public var access: Access { row.access }
    public var description: String { row.name }
}
