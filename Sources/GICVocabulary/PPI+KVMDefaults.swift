/// The PPIs KVM wires to a vCPU unless the VMM moves them: the four architected timers of
/// `default_ppi[]` (arch/arm64/kvm/arch_timer.c) and the GIC maintenance interrupt of
/// `DEFAULT_MI_INTID` (arch/arm64/kvm/vgic/vgic-init.c), the INTIDs Arm's Base System
/// Architecture recommends. The secure physical timer is not emulated by KVM but keeps its
/// architected INTID in a guest's description (GICDescription.docc/GICBinding.md, "The timer").
extension PPI {
    /// INTID 25 (PPI 9): the virtual GIC's maintenance interrupt, for a guest hypervisor (nested virtualisation).
    public static let maintenance = PPI(architected: 25)
    /// INTID 26 (PPI 10): the EL2 physical timer (CNTHP).
    public static let hypervisorPhysicalTimer = PPI(architected: 26)
    /// INTID 27 (PPI 11): the EL1 virtual timer (CNTV).
    public static let virtualTimer = PPI(architected: 27)
    /// INTID 28 (PPI 12): the EL2 virtual timer (CNTHV).
    public static let hypervisorVirtualTimer = PPI(architected: 28)
    /// INTID 29 (PPI 13): the secure EL1 physical timer (CNTPS).
    public static let securePhysicalTimer = PPI(architected: 29)
    /// INTID 30 (PPI 14): the non-secure EL1 physical timer (CNTP).
    public static let physicalTimer = PPI(architected: 30)

    /// A PPI from an INTID known to lie in 16...31.
    init(architected intid: UInt32) {
        self.intid = intid
    }
}
