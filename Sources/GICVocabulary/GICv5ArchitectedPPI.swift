/// One architected GICv5 PPI: its name, number, fixed handling mode, and whether KVM offers it.
///
/// The table is data so that one place answers "what is PPI 27?" for logs, the reference model and tests.
/// Sources: `include/linux/irqchip/arm-gic-v5.h` (`GICV5_ARCH_PPI_*`), the architecture rules R_XDVCM
/// (assignments) and R_CFSKX (handling modes) as summarised in GICVocabulary.docc/GICv5Interrupts.md, and
/// `vgic_v5_get_implemented_ppis()` for the KVM column (GICVocabulary.docc/GICv5Interrupts.md,
/// GICv5Model.docc/GICv5UnderKVM.md).
public struct GICv5ArchitectedPPI: Sendable {
    /// How the PPI's pending state behaves; fixed by the architecture for architected PPIs
    /// (ICC_PPI_HMRx_EL1 reads 1 for level, 0 for edge).
    public enum HandlingMode: Hashable, Sendable {
        case level
        case edge
        case implementationDefined
    }

    /// The Linux macro name without its `GICV5_ARCH_PPI_` prefix, e.g. "CNTV".
    public let name: StaticString
    /// The PPI number.
    public let ppi: GICv5PPI
    /// The architected handling mode: all level, except SW_PPI (edge) and CTIIRQ (IMPLEMENTATION DEFINED).
    public let handling: HandlingMode
    /// True if KVM 7.1 marks the PPI implemented for guests: the four EL1/EL2 timers, SW_PPI, and
    /// PMUIRQ when the host has PMUv3. Only those can be exposed to a guest; of them, userspace may
    /// drive only SW_PPI.
    public let kvmImplements: Bool

    /// Every architected PPI the Linux header names, in PPI order.
    public static let table: [GICv5ArchitectedPPI] = [
        GICv5ArchitectedPPI(name: "S_DB_PPI", ppi: .sDBPPI, handling: .level, kvmImplements: false),
        GICv5ArchitectedPPI(name: "RL_DB_PPI", ppi: .rlDBPPI, handling: .level, kvmImplements: false),
        GICv5ArchitectedPPI(name: "NS_DB_PPI", ppi: .nsDBPPI, handling: .level, kvmImplements: false),
        GICv5ArchitectedPPI(name: "SW_PPI", ppi: .swPPI, handling: .edge, kvmImplements: true),
        GICv5ArchitectedPPI(name: "HACDBSIRQ", ppi: .hacdbsIRQ, handling: .level, kvmImplements: false),
        GICv5ArchitectedPPI(name: "CNTHVS", ppi: .cnthvs, handling: .level, kvmImplements: false),
        GICv5ArchitectedPPI(name: "CNTHPS", ppi: .cnthps, handling: .level, kvmImplements: false),
        GICv5ArchitectedPPI(name: "PMBIRQ", ppi: .pmbIRQ, handling: .level, kvmImplements: false),
        GICv5ArchitectedPPI(name: "COMMIRQ", ppi: .commIRQ, handling: .level, kvmImplements: false),
        GICv5ArchitectedPPI(name: "PMUIRQ", ppi: .pmuIRQ, handling: .level, kvmImplements: true),
        GICv5ArchitectedPPI(name: "CTIIRQ", ppi: .ctiIRQ, handling: .implementationDefined, kvmImplements: false),
        GICv5ArchitectedPPI(name: "GICMNT", ppi: .gicMNT, handling: .level, kvmImplements: false),
        GICv5ArchitectedPPI(name: "CNTHP", ppi: .cnthp, handling: .level, kvmImplements: true),
        GICv5ArchitectedPPI(name: "CNTV", ppi: .cntv, handling: .level, kvmImplements: true),
        GICv5ArchitectedPPI(name: "CNTHV", ppi: .cnthv, handling: .level, kvmImplements: true),
        GICv5ArchitectedPPI(name: "CNTPS", ppi: .cntps, handling: .level, kvmImplements: false),
        GICv5ArchitectedPPI(name: "CNTP", ppi: .cntp, handling: .level, kvmImplements: true),
        GICv5ArchitectedPPI(name: "TRBIRQ", ppi: .trbIRQ, handling: .level, kvmImplements: false),
    ]
}
