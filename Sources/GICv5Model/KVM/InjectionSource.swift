import GICVocabulary

/// Where an injection comes from: userspace (`KVM_IRQ_LINE`, irqfd; no owner) or the in-kernel
/// device that owns the PPI (timer, PMU).
public enum InjectionSource: Hashable, Sendable {
    case userspace
    case owner
}
