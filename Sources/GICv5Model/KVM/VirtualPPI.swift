import GICVocabulary

/// KVM's software state for one PPI of one vCPU: the fields of `struct vgic_irq` that matter for a
/// GICv5 PPI (GICv5Model.docc/GICv5UnderKVM.md).
///
/// Pending is derived, never stored: `pendingLatch || (level && lineLevel)` (`irq_is_pending`).
/// The guest's own view lives in the ICH images (`VGICv5CPUInterfaceImages`); the two are
/// reconciled on entry and exit (`GICv5VM+Lifecycle.swift`).
public struct VirtualPPI: Hashable, Sendable {
    /// Edge PPIs: set by an injection, consumed on entry, re-set on exit from the guest's PENDR.
    /// Level PPIs: set only by a userspace restore (ICC_PPI_SPENDR write sets `lineLevel` instead).
    public var pendingLatch: Bool
    /// Level PPIs: the device's line, set by injection; never taken from the guest.
    public var lineLevel: Bool
    /// `irq->enabled`: follows the guest's trapped ICC_PPI_ENABLER writes.
    public var enabled: Bool
    /// `irq->active`: taken from the guest's ACTIVER on every exit.
    public var active: Bool
    /// `irq->priority`: synced from the guest's PRIORITYR only when the vCPU blocks in WFI.
    public var priority: UInt8
    /// `irq->config`: SW_PPI edge, every other PPI level (`kvm_vgic_create`).
    public let handlingMode: GICv5HandlingMode
    /// Whether an in-kernel device owns the PPI (`irq->owner`): the timers and the PMU. Only owned
    /// PPIs and SW_PPI are exposed to the guest, and userspace injections into owned PPIs are
    /// dropped.
    public var hasOwner: Bool
    /// The installed `irq_ops`.
    public var behaviour: InjectionBehaviour
    /// The host interrupt it is mapped to (`irq->hw`), if any.
    public var physical: PhysicalMapping?

    public init(handlingMode: GICv5HandlingMode, hasOwner: Bool = false,
                behaviour: InjectionBehaviour = .directInjection) {
        pendingLatch = false
        lineLevel = false
        enabled = false
        active = false
        priority = 0
        self.handlingMode = handlingMode
        self.hasOwner = hasOwner
        self.behaviour = behaviour
        physical = nil
    }

    /// `irq_is_pending`.
    public var isPending: Bool {
        pendingLatch || (handlingMode == .level && lineLevel)
    }
}
