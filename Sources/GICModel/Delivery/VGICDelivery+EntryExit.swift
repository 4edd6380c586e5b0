/// Guest entry and exit: KVM's `kvm_vgic_flush_hwstate` fills the list registers from the
/// ap_list before the vCPU runs; `kvm_vgic_sync_hwstate` folds them back and prunes the list
/// when it stops. Every exit of a real guest does both — the guest's own MMIO, a trapped system
/// register, a maintenance interrupt, a host call — so everything between two exits sees one
/// set of list registers.
extension VGICDelivery {
    /// Whether `intid` is hardware-mapped on this vCPU: the virtual timer's PPI, which KVM maps
    /// to the physical timer when the vCPU first runs (`kvm_timer_enable`).
    func isMapped(_ intid: UInt32) -> Bool { intid == Self.virtualTimerPPI }

    /// `kvm_vgic_flush_hwstate` for `vcpu`: sort on overflow, fill the list registers with the
    /// first interrupts that belong here, program ICH_HCR_EL2. `loading` is true when the vCPU
    /// comes back from userspace (a new `KVM_RUN`, so `kvm_arch_vcpu_load` runs first and the
    /// timer updates its line); an exit KVM handles itself re-enters without it.
    public mutating func enter(_ vcpu: Int, loading: Bool) {
        if loading { loadTimer(vcpu) }
        vcpus[vcpu].running = true
        vcpus[vcpu].listRegisters = []
        vcpus[vcpu].lastListRegister = nil
        vcpus[vcpu].control.eoiCount = 0
        if kernel.handlesListRegisterOverflow {
            enterLinux7(vcpu)
        } else {
            enterLinux6(vcpu)
        }
    }

    /// 6.12: sort only when the list is longer than the list registers (active first); fill
    /// them; set UIE if the last filled one was not the list's last entry.
    private mutating func enterLinux6(_ vcpu: Int) {
        guard !vcpus[vcpu].apList.isEmpty else { return }
        if vcpus[vcpu].apList.count > listRegisterCount { sortLinux6(vcpu) }
        let list = vcpus[vcpu].apList
        for (position, intid) in list.enumerated() where oracle(intid, owner: vcpu) == vcpu {
            vcpus[vcpu].listRegisters.append(populate(intid, vcpu: vcpu))
            if vcpus[vcpu].listRegisters.count == listRegisterCount {
                if position != list.count - 1 { vcpus[vcpu].control.underflow = true }
                break
            }
        }
    }

    /// 7.x: count pending and active entries that belong here; sort when they exceed the list
    /// registers; fill; remember the last entry when all were filled; program the maintenance
    /// requests and the DIR trap from the counts.
    private mutating func enterLinux7(_ vcpu: Int) {
        var pending = 0
        var active = 0
        var sgis = 0
        for intid in vcpus[vcpu].apList where oracle(intid, owner: vcpu) == vcpu {
            if gic.interrupt(intid, vcpu: vcpu).active { active += 1 } else { pending += 1 }
            if intid < GICv3Model.sgiCount { sgis += 1 }
        }
        let outside = pending + active > listRegisterCount
        if outside { sortLinux7(vcpu) }
        for intid in vcpus[vcpu].apList where oracle(intid, owner: vcpu) == vcpu {
            vcpus[vcpu].listRegisters.append(populate(intid, vcpu: vcpu))
            if vcpus[vcpu].listRegisters.count == listRegisterCount {
                vcpus[vcpu].lastListRegister = intid
                break
            }
        }
        let cpu = gic.redistributors[vcpu].cpuInterface
        var control = HypervisorControl()
        control.noPending = pending > listRegisterCount
        control.entryNotPresent = active > 0 && outside
        control.underflow = outside
        control.group0Disabled = cpu.groupEnable0
        control.group0Enabled = !cpu.groupEnable0
        control.group1Disabled = cpu.groupEnable1
        control.group1Enabled = !cpu.groupEnable1
        control.trapDIR = (active > 0 && outside) || activeSPIs > 0
        _ = sgis  // vSGIEOICount: RES0 in QEMU 7.2's ICH_HCR_EL2 (GICv4.1 only)
        vcpus[vcpu].control = control
    }

    /// 6.12's `vgic_irq_cmp`: actives first (in list order), then enabled pending ones before the
    /// rest, pending ones by priority. A stable sort, as the kernel's `list_sort`.
    private mutating func sortLinux6(_ vcpu: Int) {
        let gic = self.gic
        func key(_ intid: UInt32) -> (Int, Int, Int) {
            let irq = gic.interrupt(intid, vcpu: vcpu)
            if irq.active { return (0, 0, 0) }
            let pending = irq.enabled && irq.isPending
            return (1, pending ? 0 : 1, pending ? Int(irq.priority) : 0)
        }
        vcpus[vcpu].apList = stableSorted(vcpus[vcpu].apList) { key($0) < key($1) }
    }

    /// 7.x's `vgic_irq_cmp`: deliverable here first, then group enabled, then pending and not
    /// active, then priority (actives too), then hardware-mapped first.
    private mutating func sortLinux7(_ vcpu: Int) {
        let delivery = self
        let cpu = gic.redistributors[vcpu].cpuInterface
        func key(_ intid: UInt32) -> (Int, Int, Int, Int, Int) {
            let irq = delivery.gic.interrupt(intid, vcpu: vcpu)
            let deliverable = delivery.oracle(intid, owner: vcpu) == vcpu
            let groupEnabled = irq.group1 ? cpu.groupEnable1 : cpu.groupEnable0
            let pending = irq.enabled && irq.isPending && !irq.active
            return (deliverable ? 0 : 1, groupEnabled ? 0 : 1, pending ? 0 : 1, Int(irq.priority), delivery.isMapped(intid) ? 0 : 1)
        }
        vcpus[vcpu].apList = stableSorted(vcpus[vcpu].apList) { key($0) < key($1) }
    }

    /// `vgic_v3_populate_lr`: the list register for `intid`, with the side effects on its state:
    /// an edge interrupt's pending latch moves into the register, a mapped level interrupt's
    /// line is lowered.
    mutating func populate(_ intid: UInt32, vcpu: Int) -> ListRegister {
        let register = computeListRegister(intid, vcpu: vcpu)
        if register.state.isPending {
            let mappedLevel = isMapped(intid)
            gic.update(intid, vcpu: vcpu) { irq in
                if irq.edge { irq.latch = false }
                if mappedLevel { irq.line = false }
            }
        }
        return register
    }

    /// `vgic_v3_compute_lr` without side effects: hardware-mapped and level interrupts are never
    /// put in as active and pending; level ones that are not mapped ask for the EOI maintenance
    /// interrupt.
    func computeListRegister(_ intid: UInt32, vcpu: Int) -> ListRegister {
        let irq = gic.interrupt(intid, vcpu: vcpu)
        var allowPending = true
        var physical: UInt32? = nil
        var maintenance = false
        if isMapped(intid) {
            physical = intid
            if irq.active { allowPending = false }
        } else if !irq.edge {
            maintenance = true
            if irq.active { allowPending = false }
        }
        let pending = allowPending && irq.isPending
        return ListRegister(
            intid: intid, state: .init(active: irq.active, pending: pending), priority: irq.priority & virtualInterface.priorityMask,
            group1: irq.group1,
            physicalINTID: physical, maintenanceOnEOI: maintenance)
    }

    /// `kvm_vgic_sync_hwstate` for `vcpu`: fold each list register back into its interrupt
    /// (7.x: then let EOIcount deactivate actives past the last list register), prune the list.
    public mutating func exit(_ vcpu: Int) {
        let registers = vcpus[vcpu].listRegisters
        let control = vcpus[vcpu].control
        vcpus[vcpu].running = false
        vcpus[vcpu].listRegisters = []
        vcpus[vcpu].control.underflow = false
        for register in registers { fold(register, vcpu: vcpu) }
        // 7.x reads EOIcount back only while LRENPIE is set (`__vgic_v3_save_state`); 6.12 never.
        var count = control.eoiCount
        if kernel.handlesListRegisterOverflow, control.entryNotPresent, count > 0,
            let last = vcpus[vcpu].lastListRegister, let start = vcpus[vcpu].apList.firstIndex(of: last)
        {
            for intid in vcpus[vcpu].apList[(start + 1)...] where count > 0 {
                guard oracle(intid, owner: vcpu) == vcpu, gic.interrupt(intid, vcpu: vcpu).active else { continue }
                var pseudo = computeListRegister(intid, vcpu: vcpu)
                pseudo.state = pseudo.state.isPending ? .pending : .invalid
                if pseudo.physicalINTID != nil { deactivatePhysical(vcpu) }
                fold(pseudo, vcpu: vcpu)
                count -= 1
            }
        }
        vcpus[vcpu].control.eoiCount = 0
        vcpus[vcpu].lastListRegister = nil
        prune(vcpu)
    }

    /// `vgic_v3_fold_lr`: the active bit comes back from the register; an edge interrupt still
    /// pending there is pending again; a level interrupt whose register went invalid loses its
    /// latch. 7.x: a deactivated SPI whose register asked for the EOI maintenance interrupt
    /// leaves `active_spis`.
    mutating func fold(_ register: ListRegister, vcpu: Int) {
        let intid = register.intid
        guard gic.exists(intid) else { return }
        let wasActive = gic.interrupt(intid, vcpu: vcpu).active
        let mutations = self.mutations
        // "Always preserve the active bit for !LPIs": an LPI's active state is dropped.
        let active = register.state.isActive && intid < GICv3Model.firstLPI
        gic.update(intid, vcpu: vcpu) { irq in
            irq.active = active
            if irq.edge && register.state.isPending && !mutations.contains(.edgePendingLostOnExit) { irq.latch = true }
            if !irq.edge && register.state == .invalid && !mutations.contains(.levelLatchSurvivesDeactivation) { irq.latch = false }
        }
        let deactivated = wasActive && !active
        // `vgic_irq_handle_resampling`: a mapped level interrupt still pending in its register,
        // or deactivated with its line high, takes its line from the device again (the timer's
        // output); a line that drops lets the physical interrupt go inactive.
        if isMapped(intid), register.state.isPending || (deactivated && gic.interrupt(intid, vcpu: vcpu).line) {
            let level = timers[vcpu].firing
            gic.update(intid, vcpu: vcpu) { $0.line = level }
            if !level { deactivatePhysical(vcpu) }
        }
        if notifiesAcknowledgement(register, deactivated: deactivated) { notifyAcknowledged(intid) }
        if kernel.tracksActiveSPIs, deactivated, register.maintenanceOnEOI, register.physicalINTID == nil,
            register.state == .invalid, intid >= GICv3Model.privateCount, intid < gic.interruptCount, activeSPIs > 0
        {
            activeSPIs -= 1
        }
    }
}

/// A stable sort (the kernel's `list_sort` is stable; the standard library's `sort` is not
/// guaranteed to be).
func stableSorted<Element>(_ elements: [Element], by before: (Element, Element) -> Bool) -> [Element] {
    var result: [Element] = []
    result.reserveCapacity(elements.count)
    for element in elements {
        var index = result.count
        while index > 0 && before(element, result[index - 1]) { index -= 1 }
        result.insert(element, at: index)
    }
    return result
}
