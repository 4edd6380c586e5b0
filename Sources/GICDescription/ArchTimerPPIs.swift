import GICVocabulary

/// The PPIs of the architected timer as the `timer` node lists them, in the binding's order
/// (GICDescription.docc/GICBinding.md, "The timer").
///
/// `kvm` holds KVM's defaults; a VMM that moved a timer with the vCPU attributes
/// `KVM_ARM_VCPU_TIMER_IRQ_*` describes its own. The hypervisor virtual timer is listed only for
/// a guest with EL2: a guest kernel running at EL2 with VHE uses it, and none other does.
public struct ArchTimerPPIs: Hashable, Sendable {
    /// The secure EL1 physical timer; listed because the binding's order starts with it, never
    /// used by an arm64 guest.
    public var securePhysical: PPI
    /// The non-secure EL1 physical timer.
    public var physical: PPI
    /// The EL1 virtual timer, the one an EL1 guest kernel uses.
    public var virtual: PPI
    /// The EL2 physical timer.
    public var hypervisorPhysical: PPI
    /// The EL2 virtual timer.
    public var hypervisorVirtual: PPI

    public init(securePhysical: PPI, physical: PPI, virtual: PPI, hypervisorPhysical: PPI, hypervisorVirtual: PPI) {
        self.securePhysical = securePhysical
        self.physical = physical
        self.virtual = virtual
        self.hypervisorPhysical = hypervisorPhysical
        self.hypervisorVirtual = hypervisorVirtual
    }

    /// KVM's wiring: INTIDs 29, 30, 27, 26, 28.
    public static let kvm = ArchTimerPPIs(
        securePhysical: .securePhysicalTimer, physical: .physicalTimer, virtual: .virtualTimer,
        hypervisorPhysical: .hypervisorPhysicalTimer, hypervisorVirtual: .hypervisorVirtualTimer)

    /// The `interrupts` entries in order: sec-phys, phys, virt, hyp-phys, and hyp-virt when
    /// the guest has EL2.
    public func listed(guestHasEL2: Bool) -> [PPI] {
        let four = [securePhysical, physical, virtual, hypervisorPhysical]
        return guestHasEL2 ? four + [hypervisorVirtual] : four
    }
}
