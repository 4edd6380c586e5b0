import GICVocabulary

/// The per-vCPU register images KVM keeps for a GICv5 guest, `struct vgic_v5_cpu_if`: what it writes
/// to the ICH_* registers on entry and reads back on exit (GICv5Model.docc/GICv5UnderKVM.md).
///
/// KVM 7.1 keeps 64 PPIs: bank 1 of every image stays 0 and PRIORITYR8..15 stay 0
/// (`__vgic_v5_restore_ppi_state` writes zeros there).
public struct VGICv5CPUInterfaceImages: Hashable, Sendable {
    /// `vgic_ppi_dvir`, ICH_PPI_DVIRx_EL2: PPIs whose pending state the hardware drives from the
    /// physical line (direct virtual injection). Set and cleared by `set_direct_injection`.
    public var directInjection: PPISet
    /// `vgic_ppi_activer`, ICH_PPI_ACTIVERx_EL2: reloaded from the exit value on every exit.
    public var active: PPISet
    /// `vgic_ppi_enabler`, ICH_PPI_ENABLERx_EL2: the guest's trapped enable writes, masked to the
    /// exposed PPIs.
    public var enable: PPISet
    /// `vgic_ppi_priorityr[]`, ICH_PPI_PRIORITYRx_EL2: saved on every exit.
    public var priorities: PPIPriorityRegisters
    /// `vgic_vmcr`, ICH_VMCR_EL2: the guest's CR0.EN and PCR; saved on every exit.
    public var control: VirtualMachineControl
    /// `vgic_apr`, ICH_APR_EL2: the guest's ICC_APR_EL1. KVM saves it at `vgic_v5_put`, which always
    /// runs before the WFI pending check and before userspace can look; the model saves it at exit.
    public var activePriorities: ActivePriorities
    /// `vgic_icsr`: the guest's ICC_ICSR_EL1, saved on exit and restored on entry.
    public var interruptStatus: InterruptConfigStatus

    /// All zero: the state of a new vCPU.
    public init() {
        directInjection = .empty
        active = .empty
        enable = .empty
        priorities = PPIPriorityRegisters()
        control = VirtualMachineControl()
        activePriorities = ActivePriorities()
        interruptStatus = InterruptConfigStatus(rawValue: 0)
    }
}
