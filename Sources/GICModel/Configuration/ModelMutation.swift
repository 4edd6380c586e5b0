/// Deliberately wrong model variants, off by default, for the mutation check: a cross-check that
/// cannot tell one of these from the kernel proves nothing.
///
/// Each is a mistake a model of KVM's vgic could plausibly make (divergences in
/// GICModel.docc/AttributeView.md).
public struct ModelMutation: OptionSet, Hashable, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// ISPENDR through uaccess reads `latch | (level && line)` (what a guest sees) instead of the
    /// latch alone (divergence 1).
    public static let ispendrReadsLatchOrLine = ModelMutation(rawValue: 1 << 0)
    /// IPRIORITYR keeps all eight bits instead of `byte & 0xF8` (divergence 4).
    public static let priorityNotMasked = ModelMutation(rawValue: 1 << 1)
    /// ICFGR writes for PPIs are accepted instead of ignored (divergence 7).
    public static let privateConfigWritable = ModelMutation(rawValue: 1 << 2)
    /// GICD_IROUTER keeps the IRM bit (31) instead of dropping everything above Aff2 (divergence 6).
    public static let routingKeepsIRM = ModelMutation(rawValue: 1 << 3)
    /// An edge interrupt's `KVM_IRQ_LINE` level 1 is only an edge when the line was low (QEMU's
    /// rule) instead of every time (KVM's, divergence 3).
    public static let edgeNeedsRisingLine = ModelMutation(rawValue: 1 << 4)

    /// Every mutation, with the name the mutation scenarios use.
    public static let named: [(name: String, mutation: ModelMutation)] = [
        ("ispendr_latch_or_line", .ispendrReadsLatchOrLine),
        ("priority_unmasked", .priorityNotMasked),
        ("ppi_config_writable", .privateConfigWritable),
        ("irouter_keeps_irm", .routingKeepsIRM),
        ("edge_needs_rising_line", .edgeNeedsRisingLine),
    ]
}
