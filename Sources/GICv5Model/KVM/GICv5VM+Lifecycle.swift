import GICVocabulary

/// KVM's PPI life cycle around a guest run (GICv5Model.docc/GICv5UnderKVM.md): `vgic_v5_flush_ppi_state` and
/// `__vgic_v5_restore_ppi_state` on entry, `__vgic_v5_save_ppi_state` and `vgic_v5_fold_ppi_state`
/// on exit, the trapped enable write in between, and the priority sync of `vgic_v5_put`.
extension GICv5VM {
    /// Enters the guest on vCPU `vcpu` and returns the CPU interface it runs with.
    ///
    /// - The first run of any vCPU decides the exposed PPIs (`vgic_v5_finalize_ppi_state`).
    /// - Flush: for every exposed PPI the pending bit is generated from KVM's state
    ///   (`irq_is_pending`), and an edge PPI's latch is consumed; the result is kept as the entry
    ///   copy (`exchange.pendingAtEntry`).
    /// - Restore: the guest gets the DVIR, ACTIVER, ENABLER and PRIORITYR images, APR, VMCR (CR0.EN,
    ///   PCR) and ICSR; its pending bits are the entry copy without the directly injected PPIs,
    ///   whose pending state the hardware takes from their physical lines instead.
    /// - The pending-IRQ request is consumed.
    ///
    /// The returned interface has SCTLR_EL1.NMI clear; set `nmiEnabled` on it to model a guest
    /// that enabled NMIs. Throws `.vcpuRunning` if the vCPU is already in the guest.
    public mutating func enterGuest(vcpu index: Int) throws(GICv5ModelError) -> GICv5CPUInterface {
        try checkStopped(index)
        finalizeIfNeeded()
        var vcpu = vcpus[index]

        var pending = PPISet.empty
        for ppi in exposedPPIs.members {
            pending[ppi] = vcpu[ppi].isPending
            if vcpu[ppi].handlingMode == .edge { vcpu[ppi].pendingLatch = false }
        }
        vcpu.exchange.pendingAtEntry = pending

        let kept = PPISet.keptByKVM
        let images = vcpu.images
        var hardware = GICv5CPUInterface(iaffid: vcpu.iaffid)
        hardware.ppiEnabled = images.enable.intersection(kept)
        hardware.ppiActive = images.active.intersection(kept)
        var driven = PPISet.empty
        for ppi in images.directInjection.intersection(kept).members where vcpu[ppi].physical?.lineLevel == true {
            driven[ppi] = true
        }
        hardware.ppiPending = pending.subtracting(images.directInjection).union(driven)
        for register in 0..<8 {
            hardware.ppiPriorities.setRegister(register, images.priorities.register(register))
        }
        hardware.activePriorities = images.activePriorities
        hardware.enabled = images.control.enabled
        hardware.priorityMask = images.control.priorityMask
        hardware.interruptStatus = images.interruptStatus

        vcpu.kickRequested = false
        vcpu.isRunning = true
        vcpu.hasRun = true
        vcpus[index] = vcpu
        return hardware
    }

    /// Leaves the guest on vCPU `vcpu`, whose CPU interface is now `hardware`.
    ///
    /// - Save: ACTIVER, PENDR and ENABLER are copied (`exchange.*AtExit`, bank 0: KVM keeps 64
    ///   PPIs), PRIORITYR0..7, VMCR (CR0.EN, PCR), APR and ICSR go to the images; the hardware's
    ///   DVIR is cleared (the image keeps the bits for the next entry).
    /// - Merge, for every exposed PPI: active and enable are taken from the guest; an edge PPI's
    ///   latch is ORed with the guest's pending bit, so an edge injected while the guest ran is not
    ///   lost and an edge the guest made pending is kept; a level PPI's pending state is not taken
    ///   from the guest at all (its line belongs to the device).
    /// - The ACTIVER image is reloaded from the exit copy; the ENABLER image becomes the exit copy
    ///   masked to the exposed PPIs (what the trapped guest write stored, `access_gicv5_ppi_enabler`).
    ///
    /// KVM 7.1 traps the guest's enable writes instead of reading ENABLER back; under that design
    /// ENABLER at exit equals the image, so merging it is the same as not. Throws
    /// `.vcpuNotRunning` if the vCPU was not entered.
    public mutating func exitGuest(vcpu index: Int, hardwareState hardware: GICv5CPUInterface) throws(GICv5ModelError) {
        try check(index)
        guard vcpus[index].isRunning else { throw .vcpuNotRunning(index: index) }
        var vcpu = vcpus[index]
        let kept = PPISet.keptByKVM

        vcpu.exchange.activeAtExit = hardware.ppiActive.intersection(kept)
        vcpu.exchange.pendingAtExit = hardware.ppiPending.intersection(kept)
        vcpu.exchange.enableAtExit = hardware.ppiEnabled.intersection(kept)
        for register in 0..<8 {
            vcpu.images.priorities.setRegister(register, hardware.ppiPriorities.register(register))
        }
        vcpu.images.control = VirtualMachineControl(enabled: hardware.enabled, priorityMask: hardware.priorityMask)
        vcpu.images.activePriorities = hardware.activePriorities
        vcpu.images.interruptStatus = hardware.interruptStatus

        for ppi in exposedPPIs.members {
            vcpu[ppi].active = vcpu.exchange.activeAtExit[ppi]
            vcpu[ppi].enabled = vcpu.exchange.enableAtExit[ppi]
            if vcpu[ppi].handlingMode == .edge && vcpu.exchange.pendingAtExit[ppi] {
                vcpu[ppi].pendingLatch = true
            }
        }
        vcpu.images.active = vcpu.exchange.activeAtExit
        vcpu.images.enable = vcpu.exchange.enableAtExit.intersection(exposedPPIs)

        let ppis = vcpu.ppis
        vcpu.apList.removeAll { !ppis[Int($0.id)].isPending && !ppis[Int($0.id)].active }
        vcpu.isRunning = false
        vcpus[index] = vcpu
    }

    /// The guest's trapped write of ICC_PPI_ENABLERx_EL1, handled while the vCPU is out of the
    /// guest (`access_gicv5_ppi_enabler`): the value masked to the exposed PPIs becomes the ENABLER
    /// image and the `enabled` flag of every exposed PPI of the bank. KVM keeps no bank 1, so a
    /// bank-1 write does nothing.
    public mutating func trapEnableWrite(vcpu index: Int, bank: PPIBank, value: UInt64) throws(GICv5ModelError) {
        try checkStopped(index)
        guard bank == .bank0 else { return }
        let masked = value & exposedPPIs.bank0
        vcpus[index].images.enable.bank0 = masked
        for ppi in exposedPPIs.members where PPIBank(of: ppi) == .bank0 {
            vcpus[index][ppi].enabled = masked & PPISet.bit(ppi) != 0
        }
    }

    /// `vgic_v5_put`: when the vCPU blocks in WFI, the guest's priorities are copied from the
    /// PRIORITYR images into KVM's per-PPI state (`vgic_v5_sync_ppi_priorities`), so the pending
    /// check sees them. Not done otherwise ("expensive"), so outside WFI the per-PPI priorities can
    /// be stale.
    public mutating func put(vcpu index: Int, inWFI: Bool) throws(GICv5ModelError) {
        try checkStopped(index)
        guard inWFI else { return }
        for ppi in exposedPPIs.members {
            vcpus[index][ppi].priority = vcpus[index].images.priorities[ppi]
        }
    }
}
