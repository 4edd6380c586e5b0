import GICVocabulary

/// The check that decides whether a vCPU blocked in WFI has work: `vgic_v5_has_pending_ppi`, with
/// the effective priority mask of commit `933e5288fa97` (GICv5Model.docc/GICv5UnderKVM.md).
extension GICv5VM {
    /// `vgic_v5_get_effective_priority_mask`: 0 when the guest's CR0.EN is clear; otherwise the
    /// smaller of the running priority (the lowest set APR bit, 32 when none) and VPMR + 1. A PPI
    /// can be taken only if its priority is strictly below it, which is `priority <= VPMR &&
    /// priority < running`.
    public func effectivePriorityMask(vcpu index: Int) throws(GICv5ModelError) -> UInt8 {
        let images = try vcpu(index).images
        guard images.control.enabled else { return 0 }
        return min(images.activePriorities.runningPriority, images.control.priorityMask + 1)
    }

    /// `vgic_v5_has_pending_ppi`: whether some exposed PPI is enabled, has a priority below the
    /// effective mask, and is pending, where a mapped PPI's pending state is its physical line
    /// level and any other's `irq_is_pending`. Active state is not looked at. The priorities are
    /// KVM's per-PPI copies, current only after `put(vcpu:inWFI: true)`. Always false before the
    /// first run (nothing is exposed yet).
    public func hasPendingPPI(vcpu index: Int) throws(GICv5ModelError) -> Bool {
        let mask = try effectivePriorityMask(vcpu: index)
        guard mask != 0 else { return false }
        let vcpu = vcpus[index]
        for ppi in exposedPPIs.members {
            let state = vcpu[ppi]
            guard state.enabled, state.priority < mask else { continue }
            let pending = state.physical.map { $0.lineLevel } ?? state.isPending
            if pending { return true }
        }
        return false
    }
}
