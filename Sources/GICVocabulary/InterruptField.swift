/// The per-interrupt state a GICv3 register bank shows: which field of the kernel's
/// `struct vgic_irq` one INTID's bits in the bank read and write.
///
/// Several banks share a field (GICD_ISENABLER and GICD_ICENABLER both show `enabled`), which is
/// what makes clear-then-set restores and the set/clear pairs work; the table states it so the
/// model, the snapshot and the simulated kernel find a bank's state from the register itself.
public enum InterruptField: Hashable, Sendable, CaseIterable {
    /// `group`: 1 for Group 1 (IGROUPR).
    case group
    /// `enabled` (ISENABLER/ICENABLER).
    case enable
    /// `pending_latch`: through uaccess the banks show the latch, never a level line
    /// (ISPENDR/ICPENDR; the line is in LEVEL_INFO).
    case pending
    /// `active` (ISACTIVER/ICACTIVER).
    case active
    /// `priority` (IPRIORITYR).
    case priority
    /// `config`: bit 1 of the two-bit field is 1 for edge (ICFGR).
    case configuration
    /// `mpidr`: the affinity an SPI is routed to (IROUTER).
    case routing
}
