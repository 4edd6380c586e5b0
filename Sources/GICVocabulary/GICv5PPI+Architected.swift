/// The architected GICv5 PPI numbers, named as in `include/linux/irqchip/arm-gic-v5.h`
/// (`GICV5_ARCH_PPI_*`, Linux 7.1) and the architecture (R_XDVCM, GICVocabulary.docc/GICv5Interrupts.md).
///
/// The numbers appear only here; `GICv5ArchitectedPPI.table` refers to these constants and adds the
/// names and handling modes.
extension GICv5PPI {
    /// 0, `GICV5_ARCH_PPI_S_DB_PPI`: Secure doorbell.
    public static let sDBPPI = GICv5PPI(architected: 0x0)
    /// 1, `GICV5_ARCH_PPI_RL_DB_PPI`: Realm doorbell.
    public static let rlDBPPI = GICv5PPI(architected: 0x1)
    /// 2, `GICV5_ARCH_PPI_NS_DB_PPI`: Non-secure doorbell.
    public static let nsDBPPI = GICv5PPI(architected: 0x2)
    /// 3, `GICV5_ARCH_PPI_SW_PPI`: the software-generated PPI, and in KVM 7.1 the only PPI userspace
    /// may drive through `KVM_IRQ_LINE` (GICVocabulary.docc/GICv5Interrupts.md).
    public static let swPPI = GICv5PPI(architected: 0x3)
    /// 15, `GICV5_ARCH_PPI_HACDBSIRQ`: hardware dirty-state tracking (HACDBS).
    public static let hacdbsIRQ = GICv5PPI(architected: 0xF)
    /// 19, `GICV5_ARCH_PPI_CNTHVS`: Secure EL2 virtual timer.
    public static let cnthvs = GICv5PPI(architected: 0x13)
    /// 20, `GICV5_ARCH_PPI_CNTHPS`: Secure EL2 physical timer.
    public static let cnthps = GICv5PPI(architected: 0x14)
    /// 21, `GICV5_ARCH_PPI_PMBIRQ`: statistical profiling buffer.
    public static let pmbIRQ = GICv5PPI(architected: 0x15)
    /// 22, `GICV5_ARCH_PPI_COMMIRQ`: debug communications channel.
    public static let commIRQ = GICv5PPI(architected: 0x16)
    /// 23, `GICV5_ARCH_PPI_PMUIRQ`: PMU overflow.
    public static let pmuIRQ = GICv5PPI(architected: 0x17)
    /// 24, `GICV5_ARCH_PPI_CTIIRQ`: cross-trigger interface.
    public static let ctiIRQ = GICv5PPI(architected: 0x18)
    /// 25, `GICV5_ARCH_PPI_GICMNT`: GIC maintenance.
    public static let gicMNT = GICv5PPI(architected: 0x19)
    /// 26, `GICV5_ARCH_PPI_CNTHP`: EL2 physical timer.
    public static let cnthp = GICv5PPI(architected: 0x1A)
    /// 27, `GICV5_ARCH_PPI_CNTV`: EL1 virtual timer.
    public static let cntv = GICv5PPI(architected: 0x1B)
    /// 28, `GICV5_ARCH_PPI_CNTHV`: EL2 virtual timer.
    public static let cnthv = GICv5PPI(architected: 0x1C)
    /// 29, `GICV5_ARCH_PPI_CNTPS`: Secure physical timer.
    public static let cntps = GICv5PPI(architected: 0x1D)
    /// 30, `GICV5_ARCH_PPI_CNTP`: EL1 physical timer.
    public static let cntp = GICv5PPI(architected: 0x1E)
    /// 31, `GICV5_ARCH_PPI_TRBIRQ`: trace buffer.
    public static let trbIRQ = GICv5PPI(architected: 0x1F)
}
