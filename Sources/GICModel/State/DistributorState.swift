/// The distributor-wide state.
public struct DistributorState: Hashable, Sendable {
    /// GICD_CTLR.EnableGrp1 (`dist->enabled`); with DS=1 it gates both groups in KVM.
    public var enabled: Bool = false
    /// `implementation_rev`: `KVM_VGIC_IMP_REV_LATEST` (3) after CTRL_INIT.
    public var implementationRevision: UInt32 = 3
    /// GICR_PROPBASER, shared by all redistributors (`dist->propbaser`).
    public var propbaser: UInt64 = 0
    /// SPIs 32 ..< NR_IRQS (`dist->spis`): edge, disabled, Group 1, priority 0, routed to 0.
    public var spis: [InterruptState]

    public init(spiCount: UInt32) {
        spis = [InterruptState](repeating: InterruptState(edge: true), count: Int(spiCount))
    }
}
