import GICVocabulary

/// How KVM delivers an injection into one interrupt: the pluggable per-interrupt `irq_ops` of
/// Linux 7.1 (GICv5Model.docc/GICv5UnderKVM.md), as an enum because Embedded Swift has no existentials.
///
/// The behaviour is chosen separately from the physical mapping (`kvm_vgic_set_irq_ops` versus
/// `kvm_vgic_map_phys_irq`, commit `663594aafb43`): mapping and unmapping never change it, they only
/// call its direct-injection switch if it has one.
public enum InjectionBehaviour: UInt8, Hashable, Sendable {
    /// No `irq_ops`: `vgic_queue_irq_unlock`'s own path puts a pending, enabled interrupt on the
    /// vCPU's AP list and kicks the vCPU.
    case queue
    /// `irq_ops` with `queue_irq_unlock` only: the pending state is set directly in the shadow
    /// state and the vCPU is kicked (`KVM_REQ_IRQ_PENDING`); nothing is queued. Entry builds the
    /// guest's pending register from that state.
    case hardwareManaged
    /// `irq_ops` with `queue_irq_unlock` and `set_direct_injection`: as `hardwareManaged`, and
    /// mapping the interrupt to a physical one switches direct virtual injection on (its
    /// ICH_PPI_DVIR bit), unmapping switches it off. This is what KVM installs on every GICv5 PPI
    /// (`vgic_v5_ppi_irq_ops`: `vgic_v5_ppi_queue_irq_unlock` + `vgic_v5_set_ppi_dvi`), and the
    /// timer's `arch_timer_irq_ops_vgic_v5` on its PPIs.
    case directInjection

    /// Whether the behaviour has a `set_direct_injection` callback.
    public var canInjectDirectly: Bool { self == .directInjection }
}
