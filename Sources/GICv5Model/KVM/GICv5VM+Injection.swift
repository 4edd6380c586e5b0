import GICVocabulary

/// Injection into PPIs and the pluggable injection behaviour (GICv5Model.docc/GICv5UnderKVM.md):
/// `kvm_vgic_inject_irq`, `kvm_vgic_set_irq_ops` / `kvm_vgic_clear_irq_ops`, `kvm_vgic_map_phys_irq` /
/// `kvm_vgic_unmap_phys_irq` and the `set_direct_injection` callback.
extension GICv5VM {
    /// `kvm_vgic_inject_irq` for a PPI of vCPU `vcpu` (what `KVM_IRQ_LINE` with a GICv5 PPI word,
    /// or an in-kernel device, does). `KVM_IRQ_LINE` itself also refuses a PPI outside
    /// `userspacePPIs` before getting here; that check is the device layer's.
    ///
    /// 1. `vgic_validate_injection`: an injection into an owned PPI that does not come from the
    ///    owner is `.dropped`; a level PPI already at `level`, or `level == false` on an edge PPI,
    ///    is `.unchanged`. Each `level == true` on an edge PPI is a new edge.
    /// 2. A level PPI takes `level` as its line; an edge PPI's latch is set.
    /// 3. The behaviour delivers it: `.queue` puts a pending, enabled PPI on the AP list
    ///    (`.queued`, else `.notQueued`); the `irq_ops` behaviours kick the vCPU (`.kicked`), for a
    ///    lowering too. While the vCPU runs, the new state reaches the guest at the next entry, and
    ///    the exit merge keeps it (see `exitGuest`).
    @discardableResult
    public mutating func inject(_ ppi: GICv5PPI, vcpu index: Int, level: Bool,
                                from source: InjectionSource = .userspace) throws(GICv5ModelError) -> InjectionOutcome {
        try check(index)
        var state = vcpus[index][ppi]
        if state.hasOwner && source != .owner { return .dropped }
        switch state.handlingMode {
        case .level:
            guard state.lineLevel != level else { return .unchanged }
            state.lineLevel = level
        case .edge:
            guard level else { return .unchanged }
            state.pendingLatch = true
        }
        vcpus[index][ppi] = state
        switch state.behaviour {
        case .queue:
            guard state.isPending, state.enabled, !vcpus[index].apList.contains(ppi) else { return .notQueued }
            vcpus[index].apList.append(ppi)
            vcpus[index].kickRequested = true
            return .queued
        case .hardwareManaged, .directInjection:
            vcpus[index].kickRequested = true
            return .kicked
        }
    }

    /// `kvm_vgic_set_irq_ops`: installs `behaviour` on `ppi` of vCPU `vcpu`. It does not touch the
    /// direct-injection bit: a behaviour installed after the interrupt was mapped misses the
    /// switch-on that mapping does ("an ops installed after the map misses the enable call").
    public mutating func setBehaviour(_ behaviour: InjectionBehaviour, for ppi: GICv5PPI,
                                      vcpu index: Int) throws(GICv5ModelError) {
        try check(index)
        vcpus[index][ppi].behaviour = behaviour
    }

    /// `kvm_vgic_clear_irq_ops`: back to the default queue path.
    public mutating func clearBehaviour(for ppi: GICv5PPI, vcpu index: Int) throws(GICv5ModelError) {
        try setBehaviour(.queue, for: ppi, vcpu: index)
    }

    /// The `set_direct_injection` callback (`vgic_v5_set_ppi_dvi`): sets or clears the PPI's
    /// ICH_PPI_DVIR bit. Only a behaviour that has the callback can switch it; returns whether it
    /// did.
    @discardableResult
    public mutating func setDirectInjection(_ on: Bool, for ppi: GICv5PPI,
                                            vcpu index: Int) throws(GICv5ModelError) -> Bool {
        try check(index)
        guard vcpus[index][ppi].behaviour.canInjectDirectly else { return false }
        vcpus[index].images.directInjection[ppi] = on
        return true
    }

    /// `kvm_vgic_map_phys_irq`: links `ppi` to host interrupt `hostIRQ` (an existing mapping is
    /// overwritten, as KVM does) and, if the behaviour can, switches direct injection on. The
    /// behaviour itself is not changed.
    public mutating func mapPhysical(_ ppi: GICv5PPI, vcpu index: Int, hostIRQ: UInt32,
                                     lineLevel: Bool = false) throws(GICv5ModelError) {
        try check(index)
        vcpus[index][ppi].physical = PhysicalMapping(hostIRQ: hostIRQ, lineLevel: lineLevel)
        try setDirectInjection(true, for: ppi, vcpu: index)
    }

    /// `kvm_vgic_unmap_phys_irq`: removes the link and, if the behaviour can, switches direct
    /// injection off. The behaviour stays installed: unmapping does not reset it.
    public mutating func unmapPhysical(_ ppi: GICv5PPI, vcpu index: Int) throws(GICv5ModelError) {
        try check(index)
        vcpus[index][ppi].physical = nil
        try setDirectInjection(false, for: ppi, vcpu: index)
    }

    /// The host's physical line of a mapped PPI changes (a timer condition). Nothing for an unmapped
    /// PPI. While the vCPU runs with the PPI directly injected, the guest sees it at once:
    /// apply `GICv5CPUInterface.setInput` to the running interface as well.
    public mutating func setPhysicalLineLevel(_ level: Bool, for ppi: GICv5PPI,
                                              vcpu index: Int) throws(GICv5ModelError) {
        try check(index)
        vcpus[index][ppi].physical?.lineLevel = level
    }
}
