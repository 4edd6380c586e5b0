/// An LPI as KVM keeps it while something holds it: the `struct vgic_irq` in `dist->lpi_xa`,
/// created when an ITS maps the LPI and freed when the last reference goes
/// (GICModel.docc/ITSModel.md).
///
/// References are held by each translation that maps it (an ITE), by the ap_list it is queued
/// on, and by each ITS translation-cache entry that names it (`vgic_add_lpi`,
/// `vgic_queue_irq_unlock`, `vgic_its_cache_translation`). So an LPI a guest unmapped while it was
/// pending on an ap_list stays, still pending, until it leaves the list; and mapping the same
/// number again picks it up with its state instead of reading the tables afresh.
public struct LPIState: Hashable, Sendable {
    /// Pending latch, enable and priority (from the property table: priority & 0xFC), active;
    /// always edge and Group 1.
    public internal(set) var interrupt: InterruptState
    /// `target_vcpu`: the vCPU (index) its collection targets, nil while the collection targets
    /// none.
    public internal(set) var target: Int?
    /// 7.x's `mapped`: some ITE holds it (a second MAPTI of the same LPI is refused while set).
    public internal(set) var mapped: Bool
    /// `irq->vcpu`: the vCPU whose ap_list holds it.
    public internal(set) var queuedOn: Int?
    /// The reference count.
    public internal(set) var references: Int

    init(target: Int?) {
        interrupt = InterruptState(group1: true, edge: true)
        self.target = target
        mapped = false
        queuedOn = nil
        references = 1
    }
}

extension GICv3Model {
    /// The first LPI INTID (`VGIC_MIN_LPI`).
    public static let firstLPI: UInt32 = 8192

    /// The LPI `intid`, if KVM holds one.
    public func lpi(_ intid: UInt32) -> LPIState? { lpis[intid] }

    /// The LPIs KVM holds, in INTID order (the order `xa_for_each` visits them).
    public var lpiNumbers: [UInt32] { lpis.keys.sorted() }

    /// A new LPI with one reference (`vgic_add_lpi`'s allocation), targeting `target`.
    mutating func createLPI(_ intid: UInt32, target: Int?) {
        lpis[intid] = LPIState(target: target)
    }

    /// Another reference (`vgic_get_irq_ref`).
    mutating func retainLPI(_ intid: UInt32) {
        lpis[intid]?.references += 1
    }

    /// Drops a reference (`vgic_put_irq`); the LPI is gone at zero.
    mutating func releaseLPI(_ intid: UInt32) {
        guard var state = lpis[intid] else { return }
        state.references -= 1
        lpis[intid] = state.references > 0 ? state : nil
    }

    /// Changes LPI `intid`'s record, if it exists.
    mutating func updateLPI(_ intid: UInt32, _ change: (inout LPIState) -> Void) {
        guard var state = lpis[intid] else { return }
        change(&state)
        lpis[intid] = state
    }

    /// `vgic_target_oracle` for an LPI: an active one stays where it is queued; an enabled pending
    /// one goes to its target unless the distributor is disabled.
    func lpiOracle(_ intid: UInt32) -> Int? {
        guard let state = lpis[intid] else { return nil }
        if state.interrupt.active { return state.queuedOn ?? state.target }
        if state.interrupt.enabled && state.interrupt.isPending {
            guard let target = state.target, distributor.enabled else { return nil }
            return target
        }
        return nil
    }

    /// `vgic_queue_irq_unlock` for an LPI: joins its oracle's ap_list (taking a reference) unless
    /// it is on one already or belongs nowhere. The vCPU whose list it joined, or nil.
    public mutating func enqueueLPI(_ intid: UInt32) -> Int? {
        guard let state = lpis[intid], state.queuedOn == nil, let destination = lpiOracle(intid) else { return nil }
        updateLPI(intid) {
            $0.queuedOn = destination
            $0.references += 1
        }
        return destination
    }

    /// The LPI left its ap_list (`vgic_prune_ap_list`, `vgic_flush_pending_lpis`): the list's
    /// reference goes.
    public mutating func dequeueLPI(_ intid: UInt32) {
        guard lpis[intid]?.queuedOn != nil else { return }
        updateLPI(intid) { $0.queuedOn = nil }
        releaseLPI(intid)
    }

    /// The LPI moved to vCPU `vcpu`'s ap_list (`vgic_prune_ap_list`'s migration).
    public mutating func moveLPI(_ intid: UInt32, toListOf vcpu: Int) {
        updateLPI(intid) { $0.queuedOn = vcpu }
    }

    /// `vgic_flush_pending_lpis` of vCPU `vcpu` (its LPIs disabled): every LPI on its ap_list loses
    /// its pending state and leaves the list. The INTIDs it removed, in INTID order (the caller
    /// removes them from its ap_list).
    public mutating func flushPendingLPIs(of vcpu: Int) -> [UInt32] {
        var removed: [UInt32] = []
        for intid in lpiNumbers where lpis[intid]?.queuedOn == vcpu {
            updateLPI(intid) { $0.interrupt.latch = false }
            dequeueLPI(intid)
            removed.append(intid)
        }
        return removed
    }

    /// Whether vCPU `vcpu` has its LPIs enabled (`vgic_lpis_enabled`).
    public func lpisEnabled(_ vcpu: Int) -> Bool { redistributors[vcpu].lpisEnabled }

    /// Sets GICR_CTLR.EnableLPIs directly; the ITS side (`LPIMemory`) reads the pending table.
    mutating func setLPIsEnabled(_ enabled: Bool, vcpu: Int) {
        redistributors[vcpu].lpisEnabled = enabled
    }
}
