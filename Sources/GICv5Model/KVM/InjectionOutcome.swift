import GICVocabulary

/// What an injection did (`kvm_vgic_inject_irq` and the behaviour's queue path).
public enum InjectionOutcome: Hashable, Sendable {
    /// Refused by `vgic_validate_injection`: the PPI has an in-kernel owner and the injection did not
    /// come from it. KVM drops it and returns 0, not an error.
    case dropped
    /// `vgic_validate_injection` found nothing to do: a level PPI already at that level, or a
    /// lowering of an edge PPI.
    case unchanged
    /// Default path: the interrupt is pending and enabled and was put on the AP list.
    case queued
    /// Default path: the state changed but the interrupt is not deliverable (not pending, not
    /// enabled, or already queued), so nothing was queued.
    case notQueued
    /// `irq_ops` path: the state changed and the vCPU was kicked.
    case kicked
}
