import GICVocabulary

/// What a GICv5 VM model is built from: the things KVM learns from the host, the VM's vCPUs and the
/// in-kernel devices that own PPIs.
public struct GICv5VMConfiguration: Hashable, Sendable {
    /// The number of vCPUs, at least 1. vCPU i has IAFFID i.
    public var vcpuCount: Int
    /// Whether the host has PMUv3, which makes PMUIRQ an implemented PPI
    /// (`vgic_v5_get_implemented_ppis`: `system_supports_pmuv3()`).
    public var hostHasPMU: Bool
    /// The PPIs an in-kernel device owns (`irq->owner`): by default the EL1 virtual and physical
    /// timers, which `kvm_timer_enable` claims for a VM without nested virtualisation (a GICv5 VM
    /// cannot have it: `vgic_v5_init` refuses nested vCPUs). Add PMUIRQ for a vCPU with a PMU.
    /// Only owned implemented PPIs and SW_PPI are exposed to the guest.
    public var ownedPPIs: PPISet
    /// SPIs of the IRS (the Sept-2026 series' `GRP_NR_IRQS`, 32–1024; 0 on the PPI-only 7.1 kernels).
    public var spiCount: Int
    /// LPI ID bits of the IST; 0 for none.
    public var lpiIDBits: UInt8
    /// Priority bits the IRS implements, 1–5.
    public var irsPriorityBits: Int

    public init(vcpuCount: Int = 1, hostHasPMU: Bool = false,
                ownedPPIs: PPISet = PPISet([.cntv, .cntp]), spiCount: Int = 0, lpiIDBits: UInt8 = 0,
                irsPriorityBits: Int = GICv5Priority.architectedBits) {
        self.vcpuCount = vcpuCount
        self.hostHasPMU = hostHasPMU
        self.ownedPPIs = ownedPPIs
        self.spiCount = spiCount
        self.lpiIDBits = lpiIDBits
        self.irsPriorityBits = irsPriorityBits
    }

    /// The PPIs KVM implements for guests on this host: the four EL1/EL2 timers, SW_PPI, and PMUIRQ
    /// with a host PMU (`GICv5ArchitectedPPI.kvmImplements`, `vgic_v5_get_implemented_ppis`).
    public var implementedPPIs: PPISet {
        PPISet(GICv5ArchitectedPPI.table
            .filter { $0.kvmImplements && ($0.ppi != .pmuIRQ || hostHasPMU) }
            .map { $0.ppi })
    }
}
