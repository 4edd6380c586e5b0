import GICVocabulary

/// The LPI side of the vgic that reads and writes guest RAM (GICModel.docc/ITSModel.md): the
/// property table behind GICR_PROPBASER (an LPI's enable and priority), each vCPU's pending table
/// behind GICR_PENDBASER, and GICR_CTLR.EnableLPIs with its side effects.
///
/// Every operation that can queue an LPI collects the ap_list joins it made, in order
/// (`APListJoin`), so a delivery model appends them to its lists as the kernel did.
extension GICv3Model {
    /// `update_lpi_config`: reads LPI `intid`'s property byte; if `filter` is nil or the LPI's
    /// target, takes its priority and enable and queues it. False when the byte is outside guest
    /// RAM (nothing changed).
    @discardableResult
    mutating func updateLPIConfiguration<Memory: GuestPhysicalMemory>(
        _ intid: UInt32, filter: Int?, memory: Memory, joins: inout [APListJoin]
    ) -> Bool {
        let address = LPITableBase.propertyTable(distributor.propbaser) &+ UInt64(intid - Self.firstLPI)
        guard let property = memory.byte(at: address) else { return false }
        guard let state = lpis[intid] else { return true }
        if filter == nil || filter == state.target {
            updateLPI(intid) {
                $0.interrupt.priority = LPITableBase.priority(ofProperty: property)
                $0.interrupt.enabled = LPITableBase.isEnabled(property: property)
            }
            join(intid, &joins)
        }
        return true
    }

    /// `vgic_v3_lpi_sync_pending_status`: LPI `intid`'s bit in its target's pending table becomes
    /// its latch (and is cleared in the table once consumed); the LPI is queued. Nothing without a
    /// target. False when the byte is outside guest RAM.
    mutating func syncLPIPendingStatus<Memory: GuestPhysicalMemory>(
        _ intid: UInt32, memory: inout Memory, joins: inout [APListJoin], mutations: ITSMutation
    ) -> Bool {
        guard let target = lpis[intid]?.target else { return true }
        let address = LPITableBase.pendingTable(redistributors[target].pendbaser) &+ UInt64(intid / 8)
        guard var byte = memory.byte(at: address) else { return false }
        let bit = UInt8(1) << UInt8(intid % 8)
        let pending = byte & bit != 0
        updateLPI(intid) { $0.interrupt.latch = pending }
        join(intid, &joins)
        if pending && !mutations.contains(.pendingSyncKeepsTableBit) {
            byte &= ~bit
            return memory.write([byte], at: address)
        }
        return true
    }

    /// `vgic_add_lpi`: the LPI KVM holds (one more reference; target, configuration and pending
    /// state as they are), or a new one targeting `target` with its configuration and pending bit
    /// read from guest RAM. Nil (nothing held) when a table lies outside guest RAM.
    mutating func addLPI<Memory: GuestPhysicalMemory>(
        _ intid: UInt32, target: Int?, memory: inout Memory, joins: inout [APListJoin], mutations: ITSMutation
    ) -> UInt32? {
        if lpis[intid] != nil {
            retainLPI(intid)
            return intid
        }
        createLPI(intid, target: target)
        guard updateLPIConfiguration(intid, filter: nil, memory: memory, joins: &joins),
            syncLPIPendingStatus(intid, memory: &memory, joins: &joins, mutations: mutations)
        else {
            releaseLPI(intid)
            return nil
        }
        return intid
    }

    /// `vgic_queue_irq_unlock` of LPI `intid`, recording the join.
    mutating func join(_ intid: UInt32, _ joins: inout [APListJoin]) {
        if let vcpu = enqueueLPI(intid) { joins.append(APListJoin(intid: intid, vcpu: vcpu)) }
    }

    /// A write of one of the redistributor's LPI registers that act on guest RAM, by the guest
    /// or through `REDIST_REGS` (the same handlers): GICR_CTLR (`vgic_mmio_write_v3r_ctlr`),
    /// GICR_INVLPIR and GICR_INVALLR (`vgic_mmio_write_invlpi`, `vgic_mmio_write_invall`). Nil
    /// for any other offset (the caller writes it as usual).
    ///
    /// With an ITS, enabling LPIs reads vCPU `vcpu`'s pending table unless GICR_PENDBASER.PTZ was
    /// written (`its_sync_lpi_pending_table`: every LPI targeting it takes its bit, every LPI is
    /// queued; a byte outside guest RAM ends the walk); disabling drops every LPI queued on its
    /// ap_list (`vgic_flush_pending_lpis`), and every ITS must empty its translation cache. The
    /// invalidation registers, low word only and only while LPIs are enabled, re-read one LPI's
    /// property byte, or those of every LPI targeting the vCPU.
    public mutating func writeLPIRegister<Memory: GuestPhysicalMemory>(
        vcpu: Int, offset: UInt32, _ value: UInt32, memory: Memory
    ) -> LPIRegisterEffect? {
        var effect = LPIRegisterEffect()
        switch offset {
        case GICv3Register.gicrCTLR.offset:
            guard configuration.hasITS else { return effect }
            let enable = value & Self.gicrCTLREnableLPIs != 0
            guard enable != redistributors[vcpu].lpisEnabled else { return effect }
            setLPIsEnabled(enable, vcpu: vcpu)
            guard enable else {
                effect.removed = flushPendingLPIs(of: vcpu)
                effect.invalidatesCaches = true
                return effect
            }
            guard redistributors[vcpu].pendbaser & LPITableBase.pendingTableZero == 0 else { return effect }
            let table = LPITableBase.pendingTable(redistributors[vcpu].pendbaser)
            for intid in lpiNumbers {
                guard let byte = memory.byte(at: table &+ UInt64(intid / 8)) else { break }
                if lpis[intid]?.target == vcpu {
                    updateLPI(intid) { $0.interrupt.latch = byte >> (intid % 8) & 1 == 1 }
                }
                join(intid, &effect.joins)
            }
        case GICv3Register.gicrINVLPIR.offset, GICv3Register.gicrINVLPIR.offset + 4:
            guard offset & 4 == 0, lpisEnabled(vcpu), value >= Self.firstLPI, lpis[value] != nil else { return effect }
            updateLPIConfiguration(value, filter: nil, memory: memory, joins: &effect.joins)
        case GICv3Register.gicrINVALLR.offset, GICv3Register.gicrINVALLR.offset + 4:
            guard offset & 4 == 0, lpisEnabled(vcpu) else { return effect }
            for intid in lpiNumbers { updateLPIConfiguration(intid, filter: vcpu, memory: memory, joins: &effect.joins) }
        default:
            return nil
        }
        return effect
    }

    /// `vgic_v3_save_pending_tables` (`KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES`): each LPI with a
    /// target writes its latch into that vCPU's pending table where the bit differs. EFAULT (and
    /// the walk ends) at a byte outside guest RAM.
    public func savePendingTables<Memory: GuestPhysicalMemory>(into memory: inout Memory) -> KernelErrno? {
        for intid in lpiNumbers {
            guard let state = lpis[intid], let target = state.target else { continue }
            let address = LPITableBase.pendingTable(redistributors[target].pendbaser) &+ UInt64(intid / 8)
            guard var byte = memory.byte(at: address) else { return .EFAULT }
            let bit = UInt8(1) << UInt8(intid % 8)
            if (byte & bit != 0) == state.interrupt.latch { continue }
            if state.interrupt.latch { byte |= bit } else { byte &= ~bit }
            guard memory.write([byte], at: address) else { return .EFAULT }
        }
        return nil
    }
}

/// What a write of an LPI register did beyond the vgic's own state (`writeLPIRegister`).
public struct LPIRegisterEffect: Hashable, Sendable {
    /// The LPIs taken off the vCPU's ap_list (LPIs disabled), in INTID order.
    public internal(set) var removed: [UInt32] = []
    /// Every ITS must empty its translation cache (`vgic_its_invalidate_all_caches`).
    public internal(set) var invalidatesCaches = false
    /// The ap_list joins it made.
    public internal(set) var joins: [APListJoin] = []
}

/// An LPI joining a vCPU's ap_list, as the kernel's `list_add_tail` did it.
public struct APListJoin: Hashable, Sendable {
    public let intid: UInt32
    public let vcpu: Int
}
