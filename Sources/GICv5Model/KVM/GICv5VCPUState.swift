import GICVocabulary

/// Everything KVM keeps for one vCPU of a GICv5 VM, as the model sees it.
public struct GICv5VCPUState: Hashable, Sendable {
    /// The vCPU's index, which is also its IAFFID (VPE ID) in the model.
    public let index: Int
    /// KVM's per-PPI state, PPI n at index n. All 128 are modelled; KVM 7.1 allocates 64
    /// (`VGIC_V5_NR_PRIVATE_IRQS`) and only ever exposes PPIs below 64.
    public internal(set) var ppis: [VirtualPPI]
    /// `struct vgic_v5_cpu_if`.
    public internal(set) var images: VGICv5CPUInterfaceImages
    /// The entry and exit copies of the last run.
    public internal(set) var exchange: PPIExchange
    /// The AP list, for interrupts whose behaviour is `.queue`: KVM never queues a GICv5 PPI, so it
    /// is only used when a caller installs that behaviour. Pruned at exit of entries that are
    /// neither pending nor active (as `vgic_prune_ap_list` does).
    public internal(set) var apList: [GICv5PPI]
    /// `KVM_REQ_IRQ_PENDING` was made and the vCPU kicked since it last entered the guest.
    public internal(set) var kickRequested: Bool
    /// Between `enterGuest` and `exitGuest`.
    public internal(set) var isRunning: Bool
    /// Entered the guest at least once.
    public internal(set) var hasRun: Bool

    init(index: Int, ownedPPIs: PPISet) {
        self.index = index
        ppis = GICv5PPI.everyPPI.map {
            VirtualPPI(handlingMode: GICv5HandlingMode.fixed(for: $0), hasOwner: ownedPPIs[$0])
        }
        images = VGICv5CPUInterfaceImages()
        exchange = PPIExchange()
        apList = []
        kickRequested = false
        isRunning = false
        hasRun = false
    }

    /// KVM's state for `ppi`.
    public subscript(ppi: GICv5PPI) -> VirtualPPI {
        get { ppis[Int(ppi.id)] }
        set { ppis[Int(ppi.id)] = newValue }
    }

    /// The IAFFID the vCPU's IRS interrupts target.
    public var iaffid: UInt16 { UInt16(truncatingIfNeeded: index) }
}
