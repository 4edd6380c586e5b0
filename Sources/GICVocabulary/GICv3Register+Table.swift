/// The GICv3 register map KVM exposes through `DIST_REGS` and `REDIST_REGS`, as data.
///
/// Source: `vgic_v3_dist_registers[]` and `vgic_v3_rd_registers[]` in `arch/arm64/kvm/vgic/vgic-mmio-v3.c`
/// and GICVocabulary.docc/GICv3RegisterMap.md. Lengths are the kernel's region lengths: a distributor bank
/// covers all 1024 INTIDs (`bits_per_irq × 1024 / 8` bytes) even though the first 32 INTIDs' part is RAZ/WI,
/// and each SGI-frame bank covers the 32 private INTIDs. GICD_CTLR/TYPER/IIDR/TYPER2 are one 16-byte region
/// in the kernel (`vgic_mmio_*_v3_misc`); they are listed separately here because they behave differently.
///
/// Every fact about a register is a column of its row: offset, length, width, bits per INTID, what
/// a userspace access does (`uaccess`), which interrupt state a bank shows (`field`), the bits a
/// write stores (`stored`), the value after CTRL_INIT (`reset`) and how a snapshot treats it
/// (`restore`). The model dispatches on these columns, `RestoreOrder` takes its operations from
/// them, and `RegisterTableBehaviourTests` checks each column against the model's behaviour.
extension GICv3Register {
    // MARK: Distributor (64 KiB frame at the GICD base)

    public static let gicdCTLR = GICv3Register(
        "GICD_CTLR", .distributor, offset: 0x0000, uaccess: .directState,
        stored: 0x2, reset: .value(0x50), restore: .writeBack)  // EnableGrp1; ARE_NS and DS read as one
    public static let gicdTYPER = GICv3Register(
        "GICD_TYPER", .distributor, offset: 0x0004, uaccess: .readOnly,
        stored: 0, reset: .configuration, restore: .identity)
    public static let gicdIIDR = GICv3Register(
        "GICD_IIDR", .distributor, offset: 0x0008, uaccess: .checkedWrite,
        stored: 0xF000, reset: .value(0x4B00_343B), restore: .implementation)  // Revision 2 or 3 only
    public static let gicdTYPER2 = GICv3Register(
        "GICD_TYPER2", .distributor, offset: 0x000C, uaccess: .checkedWrite,
        stored: 0, reset: .value(0), restore: .identity)
    public static let gicdSTATUSR = GICv3Register(
        "GICD_STATUSR", .distributor, offset: 0x0010, uaccess: .statusSets,
        stored: 0, reset: .value(0xFFFF_FFFF), restore: .notSaved)  // vgic_mmio_read_rao
    public static let gicdIGROUPR = GICv3Register(
        "GICD_IGROUPR", .distributor, offset: 0x0080, length: 0x80, bitsPerInterrupt: 1, uaccess: .plain,
        field: .group, stored: 0xFFFF_FFFF, reset: .fields(sgi: 1, ppi: 1, spi: 1), restore: .writeBack)
    public static let gicdISENABLER = GICv3Register(
        "GICD_ISENABLER", .distributor, offset: 0x0100, length: 0x80, bitsPerInterrupt: 1, uaccess: .setBits,
        field: .enable, stored: 0xFFFF_FFFF, reset: .fields(sgi: 1, ppi: 0, spi: 0), restore: .writeBack)
    public static let gicdICENABLER = GICv3Register(
        "GICD_ICENABLER", .distributor, offset: 0x0180, length: 0x80, bitsPerInterrupt: 1, uaccess: .clearBits,
        field: .enable, stored: 0xFFFF_FFFF, reset: .fields(sgi: 1, ppi: 0, spi: 0), restore: .clearsBeforeSet)
    public static let gicdISPENDR = GICv3Register(
        "GICD_ISPENDR", .distributor, offset: 0x0200, length: 0x80, bitsPerInterrupt: 1, uaccess: .latchOnly,
        field: .pending, stored: 0xFFFF_FFFF, reset: .zeroFields, restore: .writeBack)
    public static let gicdICPENDR = GICv3Register(
        "GICD_ICPENDR", .distributor, offset: 0x0280, length: 0x80, bitsPerInterrupt: 1, uaccess: .razWI,
        field: .pending, stored: 0, reset: .zeroFields, restore: .notSaved)
    public static let gicdISACTIVER = GICv3Register(
        "GICD_ISACTIVER", .distributor, offset: 0x0300, length: 0x80, bitsPerInterrupt: 1, uaccess: .setBits,
        field: .active, stored: 0xFFFF_FFFF, reset: .zeroFields, restore: .writeBack)
    public static let gicdICACTIVER = GICv3Register(
        "GICD_ICACTIVER", .distributor, offset: 0x0380, length: 0x80, bitsPerInterrupt: 1, uaccess: .clearBits,
        field: .active, stored: 0xFFFF_FFFF, reset: .zeroFields, restore: .clearsBeforeSet)
    public static let gicdIPRIORITYR = GICv3Register(
        "GICD_IPRIORITYR", .distributor, offset: 0x0400, length: 0x400, bitsPerInterrupt: 8, uaccess: .maskedPriority,
        field: .priority, stored: 0xF8F8_F8F8, reset: .zeroFields, restore: .writeBack)
    public static let gicdITARGETSR = GICv3Register(
        "GICD_ITARGETSR", .distributor, offset: 0x0800, length: 0x400, bitsPerInterrupt: 8, uaccess: .razWI,
        stored: 0, reset: .zeroFields, restore: .notSaved)
    public static let gicdICFGR = GICv3Register(
        "GICD_ICFGR", .distributor, offset: 0x0C00, length: 0x100, bitsPerInterrupt: 2, uaccess: .plain,
        field: .configuration, stored: 0xAAAA_AAAA, reset: .fields(sgi: 2, ppi: 0, spi: 2), restore: .writeBack)
    public static let gicdIGRPMODR = GICv3Register(
        "GICD_IGRPMODR", .distributor, offset: 0x0D00, length: 0x80, bitsPerInterrupt: 1, uaccess: .razWI,
        stored: 0, reset: .zeroFields, restore: .notSaved)
    public static let gicdIROUTER = GICv3Register(
        "GICD_IROUTER", .distributor, offset: 0x6000, length: 0x2000, width: .bits64, bitsPerInterrupt: 64,
        uaccess: .routing, field: .routing, stored: 0xFF_FFFF, reset: .zeroFields, restore: .writeBack)
    public static let gicdIDREGS = GICv3Register(
        "GICD_IDREGS", .distributor, offset: 0xFFD0, length: 48, uaccess: .readOnly,
        stored: 0, reset: .configuration, restore: .notSaved)

    // MARK: Redistributor RD frame (RD_base)

    /// EnableLPIs is stored only when the VM has an ITS; IR and CES read as one at Revision 3.
    public static let gicrCTLR = GICv3Register(
        "GICR_CTLR", .redistributorRD, offset: 0x0000, uaccess: .plain,
        stored: 0x1, reset: .value(0x6), restore: .writeBack)
    public static let gicrIIDR = GICv3Register(
        "GICR_IIDR", .redistributorRD, offset: 0x0004, uaccess: .readOnly,
        stored: 0, reset: .value(0x4B00_043B), restore: .notSaved)
    public static let gicrTYPER = GICv3Register(
        "GICR_TYPER", .redistributorRD, offset: 0x0008, length: 8, width: .bits64, uaccess: .readOnly,
        stored: 0, reset: .configuration, restore: .identity)
    public static let gicrSTATUSR = GICv3Register(
        "GICR_STATUSR", .redistributorRD, offset: 0x0010, uaccess: .statusSets,
        stored: 0, reset: .value(0), restore: .notSaved)
    public static let gicrWAKER = GICv3Register(
        "GICR_WAKER", .redistributorRD, offset: 0x0014, uaccess: .razWI,
        stored: 0, reset: .value(0), restore: .notSaved)
    /// Stored: all but RES0 bits 63:59, 55:52 and 6:5 (`vgic_sanitise_propbaser` then fixes up
    /// the shareability and cacheability fields). One register for the VM (`dist->propbaser`).
    /// Resets to 0, or to 0x580 (`INITIAL_PROPBASER_VALUE`) once the VM has an ITS, which
    /// `vgic_its_create` writes (GICVocabulary.docc/ITSRegisterMap.md).
    public static let gicrPROPBASER = GICv3Register(
        "GICR_PROPBASER", .redistributorRD, offset: 0x0070, length: 8, width: .bits64, uaccess: .sanitised,
        stored: 0x070F_FFFF_FFFF_FF9F, reset: .configuration, restore: .onlyIfDifferent)
    /// Stored: all but RES0 bits 63, 61:59, 55:52, 15:12 and 6:0, and PTZ (bit 62), which the
    /// kernel keeps but always reads as zero (`vgic_mmio_read_pendbase`). Resets to
    /// `INITIAL_PENDBASER_VALUE` (inner RaWb, Inner Shareable).
    public static let gicrPENDBASER = GICv3Register(
        "GICR_PENDBASER", .redistributorRD, offset: 0x0078, length: 8, width: .bits64, uaccess: .sanitised,
        stored: 0x070F_FFFF_FFFF_0F80, reset: .value(0x580), restore: .onlyIfDifferent)
    public static let gicrINVLPIR = GICv3Register(
        "GICR_INVLPIR", .redistributorRD, offset: 0x00A0, length: 8, width: .bits64, uaccess: .writeOnly,
        stored: 0, reset: .value(0), restore: .notSaved)
    public static let gicrINVALLR = GICv3Register(
        "GICR_INVALLR", .redistributorRD, offset: 0x00B0, length: 8, width: .bits64, uaccess: .writeOnly,
        stored: 0, reset: .value(0), restore: .notSaved)
    public static let gicrSYNCR = GICv3Register(
        "GICR_SYNCR", .redistributorRD, offset: 0x00C0, uaccess: .readOnly,
        stored: 0, reset: .value(0), restore: .notSaved)
    public static let gicrIDREGS = GICv3Register(
        "GICR_IDREGS", .redistributorRD, offset: 0xFFD0, length: 48, uaccess: .readOnly,
        stored: 0, reset: .configuration, restore: .notSaved)

    // MARK: Redistributor SGI frame (RD_base + 0x10000): the private INTIDs 0–31

    public static let gicrIGROUPR0 = GICv3Register(
        "GICR_IGROUPR0", .redistributorSGI, offset: 0x1_0080, bitsPerInterrupt: 1, uaccess: .plain,
        field: .group, stored: 0xFFFF_FFFF, reset: .fields(sgi: 1, ppi: 1, spi: 1), restore: .writeBack)
    public static let gicrISENABLER0 = GICv3Register(
        "GICR_ISENABLER0", .redistributorSGI, offset: 0x1_0100, bitsPerInterrupt: 1, uaccess: .setBits,
        field: .enable, stored: 0xFFFF_FFFF, reset: .fields(sgi: 1, ppi: 0, spi: 0), restore: .writeBack)
    public static let gicrICENABLER0 = GICv3Register(
        "GICR_ICENABLER0", .redistributorSGI, offset: 0x1_0180, bitsPerInterrupt: 1, uaccess: .clearBits,
        field: .enable, stored: 0xFFFF_FFFF, reset: .fields(sgi: 1, ppi: 0, spi: 0), restore: .clearsBeforeSet)
    public static let gicrISPENDR0 = GICv3Register(
        "GICR_ISPENDR0", .redistributorSGI, offset: 0x1_0200, bitsPerInterrupt: 1, uaccess: .latchOnly,
        field: .pending, stored: 0xFFFF_FFFF, reset: .zeroFields, restore: .writeBack)
    public static let gicrICPENDR0 = GICv3Register(
        "GICR_ICPENDR0", .redistributorSGI, offset: 0x1_0280, bitsPerInterrupt: 1, uaccess: .razWI,
        field: .pending, stored: 0, reset: .zeroFields, restore: .notSaved)
    public static let gicrISACTIVER0 = GICv3Register(
        "GICR_ISACTIVER0", .redistributorSGI, offset: 0x1_0300, bitsPerInterrupt: 1, uaccess: .setBits,
        field: .active, stored: 0xFFFF_FFFF, reset: .zeroFields, restore: .writeBack)
    public static let gicrICACTIVER0 = GICv3Register(
        "GICR_ICACTIVER0", .redistributorSGI, offset: 0x1_0380, bitsPerInterrupt: 1, uaccess: .clearBits,
        field: .active, stored: 0xFFFF_FFFF, reset: .zeroFields, restore: .clearsBeforeSet)
    public static let gicrIPRIORITYR = GICv3Register(
        "GICR_IPRIORITYR", .redistributorSGI, offset: 0x1_0400, length: 32, bitsPerInterrupt: 8,
        uaccess: .maskedPriority, field: .priority, stored: 0xF8F8_F8F8, reset: .zeroFields, restore: .writeBack)
    /// GICR_ICFGR0 (SGIs) and GICR_ICFGR1 (PPIs): `vgic_mmio_write_config` ignores INTIDs below 32
    /// ("The arch timer code relies on PPIs being level triggered"), so nothing is stored.
    public static let gicrICFGR = GICv3Register(
        "GICR_ICFGR", .redistributorSGI, offset: 0x1_0C00, length: 8, bitsPerInterrupt: 2, uaccess: .plain,
        field: .configuration, stored: 0, reset: .fields(sgi: 2, ppi: 0, spi: 2), restore: .notSaved)
    public static let gicrIGRPMODR0 = GICv3Register(
        "GICR_IGRPMODR0", .redistributorSGI, offset: 0x1_0D00, bitsPerInterrupt: 1, uaccess: .razWI,
        stored: 0, reset: .zeroFields, restore: .notSaved)
    /// Architecturally 2 bits for each of the 16 SGIs; RAZ/WI under KVM.
    public static let gicrNSACR = GICv3Register(
        "GICR_NSACR", .redistributorSGI, offset: 0x1_0E00, bitsPerInterrupt: 2, uaccess: .razWI,
        stored: 0, reset: .zeroFields, restore: .notSaved)

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
