/// The ITS registers KVM exposes through `KVM_DEV_ARM_VGIC_GRP_ITS_REGS`, as data.
///
/// Source: `its_registers[]`, `vgic_its_create`, `vgic_its_reset`, the `vgic_mmio_*_its_*`
/// handlers and `vgic_sanitise_its_*` in `arch/arm64/kvm/vgic/vgic-its.c` (identical in Debian
/// 6.12.118 and 7.3.4 for everything below), the constants of `include/linux/irqchip/arm-gic-v3.h`
/// and `Documentation/virt/kvm/devices/arm-vgic-its.rst` (GICVocabulary.docc/ITSRegisterMap.md).
/// The reset values are what the lab reads on both kernels (`its.registers.reset`).
extension ITSRegister {
    /// Enabled (0) writable; Quiescent (31) read-only. Resets disabled and quiescent.
    public static let gitsCTLR = ITSRegister(
        "GITS_CTLR", offset: 0x0000, width: .bits32, uaccess: .control,
        writable: 0x1, reset: [0x8000_0000], restore: .afterTables)
    /// Revision (15:12) 0, ProductID (31:24) 0x4B (`PRODUCT_ID_KVM`), Implementer 0x43B (Arm).
    public static let gitsIIDR = ITSRegister(
        "GITS_IIDR", offset: 0x0004, width: .bits32, uaccess: .abiRevision,
        writable: 0xF000, reset: [0x4B00_043B], restore: .abiRevision)
    /// Physical LPIs (0), ITT entry size 8 (7:4 = 7), 16 EventID bits (12:8 = 15), 16 DeviceID
    /// bits (17:13 = 15); PTA and CIL 0.
    public static let gitsTYPER = ITSRegister(
        "GITS_TYPER", offset: 0x0008, width: .bits64, uaccess: .readOnly,
        writable: 0, reset: [0x1_EF71], restore: .identity)
    /// All but bits 15:12 are kept as written (RES0 bits included), with the shareability (11:10)
    /// and cacheability (61:59, 55:53) fields sanitised.
    public static let gitsCBASER = ITSRegister(
        "GITS_CBASER", offset: 0x0080, width: .bits64, uaccess: .commandQueueBase,
        writable: 0xFFFF_FFFF_FFFF_0FFF, reset: [0], restore: .queueBase)
    /// Offset (19:5).
    public static let gitsCWRITER = ITSRegister(
        "GITS_CWRITER", offset: 0x0088, width: .bits64, uaccess: .commandWriter,
        writable: 0x000F_FFE0, reset: [0], restore: .writeBack)
    /// Offset (19:5), through the userspace write only.
    public static let gitsCREADR = ITSRegister(
        "GITS_CREADR", offset: 0x0090, width: .bits64, uaccess: .commandReader,
        writable: 0x000F_FFE0, reset: [0], restore: .writeBack)
    /// BASER0: device table (Type 1), BASER1: collection table (Type 4), both Entry_Size 8
    /// (52:48 = 7), 64 KiB pages (9:8 = 2), Inner Shareable (11:10 = 1), inner RaWb (61:59 = 3),
    /// outer same as inner; not Valid. BASER2…7 read 0. Writable: everything but Type (58:56),
    /// Entry_Size and the page size, and for the collection table Indirect (62).
    public static let gitsBASER = ITSRegister(
        "GITS_BASER", offset: 0x0100, length: 0x40, width: .bits64, uaccess: .tableBase,
        writable: 0xF8E0_FFFF_FFFF_FCFF,
        reset: [0x1907_0000_0000_0600, 0x1C07_0000_0000_0600, 0, 0, 0, 0, 0, 0], restore: .writeBack)
    /// GITS_PIDR4 … GITS_CIDR3 (`vgic_mmio_read_its_idregs`): PIDR4 0x40, PIDR0 0x92, PIDR1 0xB4,
    /// PIDR2 0x3B (GICv3, revision 0xB), CIDR0…3 0x0D 0xF0 0x05 0xB1; the rest 0.
    public static let gitsIDREGS = ITSRegister(
        "GITS_IDREGS", offset: 0xFFD0, length: 0x30, width: .bits32, uaccess: .readOnly,
        writable: 0, reset: [0x40, 0, 0, 0, 0x92, 0xB4, 0x3B, 0, 0x0D, 0xF0, 0x05, 0xB1], restore: .notSaved)

    /// Every register, in offset order (the order of `its_registers[]`).
    public static let all: [ITSRegister] = [
        gitsCTLR, gitsIIDR, gitsTYPER, gitsCBASER, gitsCWRITER, gitsCREADR, gitsBASER, gitsIDREGS,
    ]

    /// GITS_TRANSLATER, the doorbell an MSI writes (an offset in the ITS frame's second 64 KiB
    /// page). Not an ITS_REGS attribute: the kernel answers ENXIO for it.
    public static let translaterOffset: UInt32 = 0x1_0040

    /// GITS_BASER: the bits a write cannot set in the collection table (GITS_BASER1): Indirect.
    public static let collectionTableFixedBits: UInt64 = 1 << 62

    /// GITS_BASER<n> and GITS_CBASER: Valid.
    public static let validBit: UInt64 = 1 << 63

    /// The order a restore writes the registers in (arm-vgic-its.rst "ITS Restore Sequence":
    /// CBASER, then the others but CTLR, then the tables, then CTLR; IIDR before the tables; QEMU:
    /// IIDR, CBASER, CREADR, CWRITER, BASER<n>, RESTORE_TABLES, CTLR). `nil` marks
    /// `KVM_DEV_ARM_ITS_RESTORE_TABLES`.
    public static let restoreSequence: [ITSRegister?] = [
        gitsIIDR, gitsCBASER, gitsCREADR, gitsCWRITER, gitsBASER, nil, gitsCTLR,
    ]
}
