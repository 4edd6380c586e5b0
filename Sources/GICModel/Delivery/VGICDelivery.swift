import GICVocabulary

/// What a guest sees of the vgic: the reference model's interrupt state plus the KVM mechanics
/// between that state and a running guest — each vCPU's ap_list, the list registers KVM fills on
/// entry and folds back on exit, the maintenance interrupts that make the guest exit, and the
/// virtual CPU interface (ICV_*) the guest reads and writes meanwhile.
///
/// The per-kernel-line rules (GICModel.docc/GuestDelivery.md):
/// * **6.12**: on overflow the ap_list is sorted active first (`vgic_irq_cmp`: "active interrupts
///   can never be pushed out of the LRs"), UIE is the only maintenance request, EOIcount is
///   discarded, ICV_DIR_EL1 never traps on a host that can trap it.
/// * **7.x** (the LR-overflow series, 6.19): pending first, then priority; NPIE, LRENPIE, UIE and
///   the group-enable interrupts; EOIcount deactivates active interrupts past the last LR;
///   ICV_DIR_EL1 traps while actives are outside the LRs or any SPI is in flight
///   (`active_spis`), and a trapped DIR is emulated (`vgic_v3_deactivate`).
///
/// The virtual CPU interface follows the lab's host, QEMU 7.2's emulation (`VirtualInterface`):
/// 4 list registers, 5 priority and preemption bits, and its choices where the architecture
/// leaves one (an EOI of INTID 1020–1023 returns before the priority drop; an EOI that finds no
/// list register counts in EOIcount whatever the EOI mode).
///
/// A value, driven by one vCPU at a time as the lab drives the kernel: `enter(_:)` before a
/// vCPU runs, `exit(_:)` when it stops, and in between only that vCPU's guest operations.
public struct VGICDelivery: Hashable, Sendable {
    /// The interrupt state KVM keeps (what the attribute interface shows).
    public internal(set) var gic: GICv3Model
    /// The virtual CPU interface implementation and its list-register count.
    public let virtualInterface: VirtualInterface
    /// Each vCPU's ap_list, list registers and ICH_HCR_EL2.
    public internal(set) var vcpus: [VCPUDelivery]
    /// `active_spis` (7.x): SPIs queued since boot, minus those whose EOI maintenance was seen.
    public internal(set) var activeSPIs = 0
    /// Each vCPU's virtual timer (CNTV), whose PPI 27 KVM maps to the physical timer.
    public internal(set) var timers: [VirtualTimer]
    /// The level SPIs a resampling irqfd listens on, each with the acknowledgements not yet taken
    /// (`VGICDelivery+Resample.swift`).
    public internal(set) var resampledSPIs: [UInt32: UInt64] = [:]

    /// The virtual timer's PPI (`ARCH_TIMER_VIRT_IRQ` on QEMU's virt machine): hardware-mapped.
    public static let virtualTimerPPI: UInt32 = 27

    /// The VM's ITS, if it has one (`VGICDelivery+LPI.swift`): the LPIs it maps live in `gic`.
    public internal(set) var its: ITSModel?

    /// Deliberate errors, for the mutation check only.
    public let mutations: DeliveryMutation

    public init(
        gic: GICv3Model, virtualInterface: VirtualInterface = .qemu7_2, its: ITSModel? = nil, mutations: DeliveryMutation = []
    ) {
        self.gic = gic
        self.virtualInterface = virtualInterface
        self.its = its
        self.mutations = mutations
        vcpus = [VCPUDelivery](repeating: VCPUDelivery(), count: gic.vcpuCount)
        timers = [VirtualTimer](repeating: VirtualTimer(), count: gic.vcpuCount)
    }

    /// The kernel line whose mechanics apply.
    public var kernel: KernelBehaviour { gic.configuration.kernel }

    /// The list-register count (ICH_VTR_EL2.ListRegs + 1).
    public var listRegisterCount: Int { virtualInterface.listRegisters }

    // MARK: Interrupts and ap_lists

    /// The vCPU whose ap_list holds `intid` (of vCPU `owner` for private INTIDs): `irq->vcpu`.
    func holder(_ intid: UInt32, owner: Int) -> Int? {
        if intid < GICv3Model.privateCount { return vcpus[owner].apList.contains(intid) ? owner : nil }
        if intid >= GICv3Model.firstLPI { return gic.lpi(intid)?.queuedOn }
        return vcpus.firstIndex { $0.apList.contains(intid) }
    }

    /// `irq->target_vcpu`: the owner for private INTIDs, the routed vCPU for SPIs, the
    /// collection's vCPU for LPIs.
    func target(_ intid: UInt32, owner: Int) -> Int? {
        if intid < GICv3Model.privateCount { return owner }
        if intid >= GICv3Model.firstLPI { return gic.lpi(intid)?.target }
        return gic.targetVCPU(ofSPIRoute: gic.interrupt(intid, vcpu: 0).route)
    }

    /// `vgic_target_oracle`: where the interrupt must be queued, or nil. An active interrupt
    /// stays where it is; an enabled pending one goes to its target, unless the distributor is
    /// disabled.
    func oracle(_ intid: UInt32, owner: Int) -> Int? {
        let irq = gic.interrupt(intid, vcpu: owner)
        if irq.active { return holder(intid, owner: owner) ?? target(intid, owner: owner) }
        if irq.enabled && irq.isPending {
            guard let target = target(intid, owner: owner), gic.distributor.enabled else { return nil }
            return target
        }
        return nil
    }

    /// `vgic_queue_irq_unlock`: adds the interrupt to its oracle's ap_list unless it is on one
    /// already or belongs nowhere (an LPI takes a reference for it, `GICv3Model.enqueueLPI`). 7.x
    /// counts each SPI queued in `active_spis`.
    mutating func queue(_ intid: UInt32, owner: Int) {
        if intid >= GICv3Model.firstLPI {
            if let destination = gic.enqueueLPI(intid) { vcpus[destination].apList.append(intid) }
            return
        }
        guard gic.exists(intid), holder(intid, owner: owner) == nil, let destination = oracle(intid, owner: owner) else { return }
        vcpus[destination].apList.append(intid)
        if kernel.tracksActiveSPIs && intid >= GICv3Model.privateCount { activeSPIs += 1 }
    }

    /// The ap_list joins an ITS or LPI-table operation made in the model (`APListJoin`), mirrored
    /// into the lists in the same order.
    mutating func mirror(_ joins: [APListJoin]) {
        for join in joins { vcpus[join.vcpu].apList.append(join.intid) }
    }

    /// `vgic_prune_ap_list`: drops entries that belong nowhere (an LPI lets go of the list's
    /// reference) and moves those whose oracle is another vCPU to the end of that vCPU's list.
    mutating func prune(_ vcpu: Int) {
        for intid in vcpus[vcpu].apList {
            guard let destination = oracle(intid, owner: vcpu) else {
                vcpus[vcpu].apList.removeAll { $0 == intid }
                if intid >= GICv3Model.firstLPI { gic.dequeueLPI(intid) }
                continue
            }
            if destination != vcpu {
                vcpus[vcpu].apList.removeAll { $0 == intid }
                vcpus[destination].apList.append(intid)
                if intid >= GICv3Model.firstLPI { gic.moveLPI(intid, toListOf: destination) }
            }
        }
    }

    /// `kvm_vgic_vcpu_pending_irq`, what decides whether a trapped WFI blocks: an enabled,
    /// pending, inactive interrupt on the ap_list whose priority passes PMR (wherever it sits
    /// relative to the list registers), and the distributor enabled.
    public func hasPendingInterrupt(_ vcpu: Int) -> Bool {
        guard gic.distributor.enabled else { return false }
        let pmr = gic.redistributors[vcpu].cpuInterface.pmr
        for intid in vcpus[vcpu].apList {
            let irq = gic.interrupt(intid, vcpu: vcpu)
            if irq.isPending && irq.enabled && !irq.active && irq.priority < pmr { return true }
        }
        return false
    }
}

/// One vCPU's share of the delivery mechanics.
public struct VCPUDelivery: Hashable, Sendable {
    /// The ap_list: INTIDs queued to this vCPU, in list order (private INTIDs are this vCPU's).
    public internal(set) var apList: [UInt32] = []
    /// The list registers while the vCPU runs (empty when it is stopped: KVM folded them).
    public internal(set) var listRegisters: [ListRegister] = []
    /// ICH_HCR_EL2 as KVM programmed it on the last entry, with the EOIcount the guest added.
    public internal(set) var control = HypervisorControl()
    /// 7.x: the INTID in the last list register when every list register was filled
    /// (`last_lr_irq`), where EOIcount's walk of the ap_list starts.
    public internal(set) var lastListRegister: UInt32?
    /// Between `enter` and `exit`.
    public internal(set) var running = false

    public init() {}
}
