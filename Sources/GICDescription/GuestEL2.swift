import GICVocabulary

/// A guest whose vCPUs have EL2 (`KVM_ARM_VCPU_HAS_EL2`, nested virtualisation): its GIC
/// description names the maintenance interrupt, and its timer the EL2 virtual timer
/// (GICDescription.docc/GICBinding.md, "The maintenance interrupt").
public struct GuestEL2: Hashable, Sendable {
    /// The PPI the vgic raises for the guest hypervisor: what the VMM set with
    /// `KVM_DEV_ARM_VGIC_GRP_MAINT_IRQ`, or KVM's default INTID 25.
    public var maintenanceInterrupt: PPI

    public init(maintenanceInterrupt: PPI = .maintenance) {
        self.maintenanceInterrupt = maintenanceInterrupt
    }
}
