/// The GICv3 register map KVM exposes through `DIST_REGS` and `REDIST_REGS`, as data.
///
/// Source: `vgic_v3_dist_registers[]` and `vgic_v3_rd_registers[]` in `arch/arm64/kvm/vgic/vgic-mmio-v3.c`
/// and GICVocabulary.docc/GICv3RegisterMap.md. Lengths are the kernel's region lengths: a distributor bank
/// covers all 1024 INTIDs (`bits_per_irq × 1024 / 8` bytes) even though the first 32 INTIDs' part is RAZ/WI,
/// and each SGI-frame bank covers the 32 private INTIDs. GICD_CTLR/TYPER/IIDR/TYPER2 are one 16-byte region
/// in the kernel (`vgic_mmio_*_v3_misc`); they are listed separately here because they behave differently.
extension GICv3Register {
    // MARK: Distributor (64 KiB frame at the GICD base)

    public static let gicdCTLR = GICv3Register("GICD_CTLR", .distributor, offset: 0x0000, uaccess: .directState)
    public static let gicdTYPER = GICv3Register("GICD_TYPER", .distributor, offset: 0x0004, uaccess: .readOnly)
    public static let gicdIIDR = GICv3Register("GICD_IIDR", .distributor, offset: 0x0008, uaccess: .checkedWrite)
    public static let gicdTYPER2 = GICv3Register("GICD_TYPER2", .distributor, offset: 0x000C, uaccess: .checkedWrite)
    public static let gicdSTATUSR = GICv3Register("GICD_STATUSR", .distributor, offset: 0x0010, uaccess: .statusSets)
    public static let gicdIGROUPR = GICv3Register(
        "GICD_IGROUPR", .distributor, offset: 0x0080, length: 0x80, bitsPerInterrupt: 1, uaccess: .plain)
    public static let gicdISENABLER = GICv3Register(
        "GICD_ISENABLER", .distributor, offset: 0x0100, length: 0x80, bitsPerInterrupt: 1, uaccess: .setBits)
    public static let gicdICENABLER = GICv3Register(
        "GICD_ICENABLER", .distributor, offset: 0x0180, length: 0x80, bitsPerInterrupt: 1, uaccess: .clearBits)
    public static let gicdISPENDR = GICv3Register(
        "GICD_ISPENDR", .distributor, offset: 0x0200, length: 0x80, bitsPerInterrupt: 1, uaccess: .latchOnly)
    public static let gicdICPENDR = GICv3Register(
        "GICD_ICPENDR", .distributor, offset: 0x0280, length: 0x80, bitsPerInterrupt: 1, uaccess: .razWI)
    public static let gicdISACTIVER = GICv3Register(
        "GICD_ISACTIVER", .distributor, offset: 0x0300, length: 0x80, bitsPerInterrupt: 1, uaccess: .setBits)
    public static let gicdICACTIVER = GICv3Register(
        "GICD_ICACTIVER", .distributor, offset: 0x0380, length: 0x80, bitsPerInterrupt: 1, uaccess: .clearBits)
    public static let gicdIPRIORITYR = GICv3Register(
        "GICD_IPRIORITYR", .distributor, offset: 0x0400, length: 0x400, bitsPerInterrupt: 8,
        uaccess: .maskedPriority)
    public static let gicdITARGETSR = GICv3Register(
        "GICD_ITARGETSR", .distributor, offset: 0x0800, length: 0x400, bitsPerInterrupt: 8, uaccess: .razWI)
    public static let gicdICFGR = GICv3Register(
        "GICD_ICFGR", .distributor, offset: 0x0C00, length: 0x100, bitsPerInterrupt: 2, uaccess: .plain)
    public static let gicdIGRPMODR = GICv3Register(
        "GICD_IGRPMODR", .distributor, offset: 0x0D00, length: 0x80, bitsPerInterrupt: 1, uaccess: .razWI)
    public static let gicdIROUTER = GICv3Register(
        "GICD_IROUTER", .distributor, offset: 0x6000, length: 0x2000, width: .bits64, bitsPerInterrupt: 64,
        uaccess: .routing)
    public static let gicdIDREGS = GICv3Register(
        "GICD_IDREGS", .distributor, offset: 0xFFD0, length: 48, uaccess: .readOnly)

    // MARK: Redistributor RD frame (RD_base)

    public static let gicrCTLR = GICv3Register("GICR_CTLR", .redistributorRD, offset: 0x0000, uaccess: .plain)
    public static let gicrIIDR = GICv3Register("GICR_IIDR", .redistributorRD, offset: 0x0004, uaccess: .readOnly)
    public static let gicrTYPER = GICv3Register(
        "GICR_TYPER", .redistributorRD, offset: 0x0008, length: 8, width: .bits64, uaccess: .readOnly)
    public static let gicrSTATUSR = GICv3Register(
        "GICR_STATUSR", .redistributorRD, offset: 0x0010, uaccess: .statusSets)
    public static let gicrWAKER = GICv3Register("GICR_WAKER", .redistributorRD, offset: 0x0014, uaccess: .razWI)
    public static let gicrPROPBASER = GICv3Register(
        "GICR_PROPBASER", .redistributorRD, offset: 0x0070, length: 8, width: .bits64, uaccess: .sanitised)
    public static let gicrPENDBASER = GICv3Register(
        "GICR_PENDBASER", .redistributorRD, offset: 0x0078, length: 8, width: .bits64, uaccess: .sanitised)
    public static let gicrINVLPIR = GICv3Register(
        "GICR_INVLPIR", .redistributorRD, offset: 0x00A0, length: 8, width: .bits64, uaccess: .writeOnly)
    public static let gicrINVALLR = GICv3Register(
        "GICR_INVALLR", .redistributorRD, offset: 0x00B0, length: 8, width: .bits64, uaccess: .writeOnly)
    public static let gicrSYNCR = GICv3Register("GICR_SYNCR", .redistributorRD, offset: 0x00C0, uaccess: .readOnly)
    public static let gicrIDREGS = GICv3Register(
        "GICR_IDREGS", .redistributorRD, offset: 0xFFD0, length: 48, uaccess: .readOnly)

    // MARK: Redistributor SGI frame (RD_base + 0x10000): the private INTIDs 0–31

    public static let gicrIGROUPR0 = GICv3Register(
        "GICR_IGROUPR0", .redistributorSGI, offset: 0x1_0080, bitsPerInterrupt: 1, uaccess: .plain)
    public static let gicrISENABLER0 = GICv3Register(
        "GICR_ISENABLER0", .redistributorSGI, offset: 0x1_0100, bitsPerInterrupt: 1, uaccess: .setBits)
    public static let gicrICENABLER0 = GICv3Register(
        "GICR_ICENABLER0", .redistributorSGI, offset: 0x1_0180, bitsPerInterrupt: 1, uaccess: .clearBits)
    public static let gicrISPENDR0 = GICv3Register(
        "GICR_ISPENDR0", .redistributorSGI, offset: 0x1_0200, bitsPerInterrupt: 1, uaccess: .latchOnly)
    public static let gicrICPENDR0 = GICv3Register(
        "GICR_ICPENDR0", .redistributorSGI, offset: 0x1_0280, bitsPerInterrupt: 1, uaccess: .razWI)
    public static let gicrISACTIVER0 = GICv3Register(
        "GICR_ISACTIVER0", .redistributorSGI, offset: 0x1_0300, bitsPerInterrupt: 1, uaccess: .setBits)
    public static let gicrICACTIVER0 = GICv3Register(
        "GICR_ICACTIVER0", .redistributorSGI, offset: 0x1_0380, bitsPerInterrupt: 1, uaccess: .clearBits)
    public static let gicrIPRIORITYR = GICv3Register(
        "GICR_IPRIORITYR", .redistributorSGI, offset: 0x1_0400, length: 32, bitsPerInterrupt: 8,
        uaccess: .maskedPriority)
    /// GICR_ICFGR0 (SGIs, read-only edge) and GICR_ICFGR1 (PPIs).
    public static let gicrICFGR = GICv3Register(
        "GICR_ICFGR", .redistributorSGI, offset: 0x1_0C00, length: 8, bitsPerInterrupt: 2, uaccess: .plain)
    public static let gicrIGRPMODR0 = GICv3Register(
        "GICR_IGRPMODR0", .redistributorSGI, offset: 0x1_0D00, bitsPerInterrupt: 1, uaccess: .razWI)
    /// Architecturally 2 bits for each of the 16 SGIs; RAZ/WI under KVM.
    public static let gicrNSACR = GICv3Register(
        "GICR_NSACR", .redistributorSGI, offset: 0x1_0E00, bitsPerInterrupt: 2, uaccess: .razWI)

    // MARK: Tables

    /// Every distributor register, in offset order.
    public static let distributor: [GICv3Register] = [
        gicdCTLR, gicdTYPER, gicdIIDR, gicdTYPER2, gicdSTATUSR, gicdIGROUPR, gicdISENABLER, gicdICENABLER,
        gicdISPENDR, gicdICPENDR, gicdISACTIVER, gicdICACTIVER, gicdIPRIORITYR, gicdITARGETSR, gicdICFGR,
        gicdIGRPMODR, gicdIROUTER, gicdIDREGS,
    ]

    /// Every redistributor register, RD frame then SGI frame, in attr-offset order.
    public static let redistributor: [GICv3Register] = [
        gicrCTLR, gicrIIDR, gicrTYPER, gicrSTATUSR, gicrWAKER, gicrPROPBASER, gicrPENDBASER, gicrINVLPIR,
        gicrINVALLR, gicrSYNCR, gicrIDREGS,
        gicrIGROUPR0, gicrISENABLER0, gicrICENABLER0, gicrISPENDR0, gicrICPENDR0, gicrISACTIVER0,
        gicrICACTIVER0, gicrIPRIORITYR, gicrICFGR, gicrIGRPMODR0, gicrNSACR,
    ]

    /// Both tables.
    public static let all: [GICv3Register] = distributor + redistributor
}
