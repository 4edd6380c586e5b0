/// One interrupt as KVM's `struct vgic_irq` keeps it: the pending latch and the line level
/// separately, and pending derived from them, never stored (GICModel.docc/GICv3Behaviour.md).
public struct InterruptState: Hashable, Sendable {
    /// `pending_latch`: set by an edge, an ISPENDR write, a userspace ISPENDR restore.
    public var latch: Bool
    /// `line_level`: the input line, set by `KVM_IRQ_LINE` on a level interrupt and by LEVEL_INFO
    /// writes (for any configuration).
    public var line: Bool
    /// `active`.
    public var active: Bool
    /// `enabled`.
    public var enabled: Bool
    /// `group`: true for Group 1 (KVM's reset value for a GICv3).
    public var group1: Bool
    /// `priority`: KVM keeps the top `VGIC_PRI_BITS` (5) bits, so a multiple of 8.
    public var priority: UInt8
    /// `config`: true for edge (`VGIC_CONFIG_EDGE`), false for level.
    public var edge: Bool
    /// `mpidr` of an SPI: the Aff2.Aff1.Aff0 written to GICD_IROUTER (bits 23:0). Unused for
    /// private interrupts.
    public var route: UInt32

    public init(
        latch: Bool = false, line: Bool = false, active: Bool = false, enabled: Bool = false,
        group1: Bool = true, priority: UInt8 = 0, edge: Bool, route: UInt32 = 0
    ) {
        self.latch = latch
        self.line = line
        self.active = active
        self.enabled = enabled
        self.group1 = group1
        self.priority = priority
        self.edge = edge
        self.route = route
    }

    /// `irq_is_pending`: the latch, or a level interrupt's high line.
    public var isPending: Bool { latch || (!edge && line) }

    /// What LEVEL_INFO reports: the line of a level interrupt; an edge interrupt reads 0
    /// (`vgic_read_irq_line_level_info`).
    public var reportedLine: Bool { !edge && line }
}
