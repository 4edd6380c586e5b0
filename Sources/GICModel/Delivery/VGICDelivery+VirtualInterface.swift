/// The virtual CPU interface as the running guest uses it: its ICC_* accesses are ICV_* accesses
/// that work on the list registers, the VMCR (the model's `CPUInterfaceState`) and the active
/// priority registers, as QEMU 7.2 implements them (`hw/intc/arm_gicv3_cpuif.c`: `hppvi_index`,
/// `icv_hppi_can_preempt`, `icv_iar_read`, `icv_activate_irq`, `icv_eoir_write`,
/// `icv_dir_write`, `icv_deactivate_irq`, `maintenance_interrupt_state`).
extension VGICDelivery {
    /// `hppvi_index`: the list register holding the highest-priority pending virtual interrupt
    /// whose group is enabled; only Pending entries count (never Active+Pending); ties go to
    /// the lowest-numbered register.
    func highestPendingListRegister(_ vcpu: Int) -> Int? {
        let cpu = gic.redistributors[vcpu].cpuInterface
        guard cpu.groupEnable0 || cpu.groupEnable1 else { return nil }
        var best: Int? = nil
        var priority: UInt8 = 0xFF
        for (index, register) in vcpus[vcpu].listRegisters.enumerated() where register.state == .pending {
            guard register.group1 ? cpu.groupEnable1 : cpu.groupEnable0 else { continue }
            let wins = register.priority < priority
                || (mutations.contains(.tiesByINTID) && register.priority == priority && best.map { register.intid < vcpus[vcpu].listRegisters[$0].intid } == true)
            if wins {
                priority = register.priority
                best = index
            }
        }
        return best
    }

    /// `icv_hppi_can_preempt`: the interface is enabled, the priority passes PMR (strictly),
    /// and if anything is active the group priority beats the running priority's.
    func canSignal(_ register: ListRegister, vcpu: Int) -> Bool {
        guard vcpus[vcpu].control.enabled else { return false }
        let cpu = gic.redistributors[vcpu].cpuInterface
        guard register.priority < cpu.pmr else { return false }
        let running = gic.runningPriority(vcpu: vcpu)
        if running == 0xFF { return true }
        let mask = gic.groupPriorityMask(group1: register.group1, vcpu: vcpu)
        return register.priority & mask < running & mask
    }

    /// The interrupt exception the vCPU sees now: IRQ for a Group 1 interrupt that can be
    /// signalled, FIQ for a Group 0 one (KVM runs a GICv3 guest with VFIQEn set).
    public func signalledException(_ vcpu: Int) -> (irq: Bool, fiq: Bool) {
        guard let index = highestPendingListRegister(vcpu) else { return (false, false) }
        let register = vcpus[vcpu].listRegisters[index]
        guard canSignal(register, vcpu: vcpu) else { return (false, false) }
        return register.group1 ? (true, false) : (false, true)
    }

    /// ICC_IAR1_EL1 (`group1`) or ICC_IAR0_EL1: acknowledges the highest-priority pending
    /// interrupt if it is of this group and can be signalled, else 1023.
    public mutating func guestAcknowledge(group1: Bool, vcpu: Int) -> UInt32 {
        guard let index = highestPendingListRegister(vcpu) else { return GICv3Model.spurious }
        let register = vcpus[vcpu].listRegisters[index]
        guard register.group1 == group1, canSignal(register, vcpu: vcpu) else { return GICv3Model.spurious }
        let mask = gic.groupPriorityMask(group1: group1, vcpu: vcpu)
        let bit = Int(register.priority & mask) >> (8 - Int(gic.preemptionBits))
        vcpus[vcpu].listRegisters[index].state = .active
        setActivePriority(bit, group1: group1, vcpu: vcpu)
        return register.intid
    }

    /// ICC_HPPIR1_EL1 (`group1`) or ICC_HPPIR0_EL1: the highest-priority pending interrupt of
    /// that group in the list registers, ignoring PMR and the running priority; else 1023.
    public func guestHighestPending(group1: Bool, vcpu: Int) -> UInt32 {
        guard let index = highestPendingListRegister(vcpu), vcpus[vcpu].listRegisters[index].group1 == group1 else {
            return GICv3Model.spurious
        }
        return vcpus[vcpu].listRegisters[index].intid
    }

    /// ICC_EOIR1_EL1 (`group1`) or ICC_EOIR0_EL1 with `intid`.
    ///
    /// INTIDs 1020–1023 return before anything happens (QEMU's choice). Otherwise the priority
    /// drops first; with nothing active the write ends there. Then the active list register for
    /// `intid`: none adds to EOIcount (whatever the EOI mode); one of this group whose group
    /// priority is the priority just dropped is deactivated, unless EOImode is 1.
    public mutating func guestEndOfInterrupt(_ intid: UInt32, group1: Bool, vcpu: Int) {
        if (1020...1023).contains(intid) && virtualInterface.specialEOIKeepsPriority && !mutations.contains(.specialEOIDropsPriority) {
            return
        }
        guard let dropped = gic.dropPriority(vcpu: vcpu) else { return }
        guard let index = activeListRegister(intid, vcpu: vcpu) else {
            if intid < 8192 && (virtualInterface.eoiMissCountsInEOIMode1 || !eoiMode(vcpu)) {
                vcpus[vcpu].control.eoiCount += 1
            }
            return
        }
        let register = vcpus[vcpu].listRegisters[index]
        let mask = gic.groupPriorityMask(group1: group1, vcpu: vcpu)
        guard register.group1 == group1, register.priority & mask == dropped else { return }
        // LPIs are deactivated at once whatever the EOI mode (`icv_eoir_write`: "LPIs always get
        // their active state cleared immediately").
        if !eoiMode(vcpu) || intid >= GICv3Model.firstLPI { deactivateListRegister(index, vcpu: vcpu) }
    }

    /// ICC_DIR_EL1 with `intid`, when it does not trap: ignored for INTIDs 1020 and above and in
    /// EOImode 0; otherwise deactivates the active list register for `intid`, or adds to
    /// EOIcount when there is none.
    public mutating func guestDeactivate(_ intid: UInt32, vcpu: Int) {
        guard intid < 1020, eoiMode(vcpu) else { return }
        guard let index = activeListRegister(intid, vcpu: vcpu) else {
            vcpus[vcpu].control.eoiCount += 1
            return
        }
        deactivateListRegister(index, vcpu: vcpu)
    }

    /// Whether a DIR from the guest traps to KVM now (ICH_HCR_EL2.TDIR).
    public func deactivationTraps(_ vcpu: Int) -> Bool { vcpus[vcpu].control.trapDIR }

    /// `vgic_v3_deactivate`, KVM's emulation of a trapped DIR (7.x), after the exit folded the
    /// list registers: in EOImode 1, for an SGI, PPI or SPI on some ap_list, deactivate it as a
    /// list register without the active bit would, and prune the ap_list that holds it.
    public mutating func emulateTrappedDeactivate(_ intid: UInt32, vcpu: Int) {
        guard eoiMode(vcpu), intid < gic.interruptCount, let holder = holder(intid, owner: vcpu) else { return }
        var pseudo = computeListRegister(intid, vcpu: vcpu)
        pseudo.state = pseudo.state.isPending ? .pending : .invalid
        if pseudo.physicalINTID != nil { deactivatePhysical(vcpu) }
        fold(pseudo, vcpu: vcpu)
        prune(holder)
    }

    /// ICC_RPR_EL1: the running priority from the active priority registers.
    public func guestRunningPriority(vcpu: Int) -> UInt8 { gic.runningPriority(vcpu: vcpu) }

    /// Whether the virtual interface raises a maintenance interrupt now (ICH_MISR_EL2 ≠ 0 and
    /// En): U, NP, EOI, LRENP and the group-enable conditions, with QEMU 7.2's VGrp0D reading
    /// Group 1's enable.
    public func maintenanceInterrupt(_ vcpu: Int) -> Bool {
        let state = vcpus[vcpu]
        let control = state.control
        guard control.enabled else { return false }
        let cpu = gic.redistributors[vcpu].cpuInterface
        var valid = 0
        var pending = false
        for register in state.listRegisters {
            if register.state != .invalid { valid += 1 }
            if register.state == .pending { pending = true }
            if register.state == .invalid && register.maintenanceOnEOI && register.physicalINTID == nil { return true }
        }
        if control.underflow && valid < 2 { return true }
        if control.noPending && !pending { return true }
        if control.entryNotPresent && control.eoiCount != 0 { return true }
        if control.group0Enabled && cpu.groupEnable0 { return true }
        let group0Off = virtualInterface.group0DisableTestsGroup1 ? !cpu.groupEnable1 : !cpu.groupEnable0
        if control.group0Disabled && group0Off { return true }
        if control.group1Enabled && cpu.groupEnable1 { return true }
        if control.group1Disabled && !cpu.groupEnable1 { return true }
        return false
    }

    // MARK: Registers of the virtual interface

    /// ICC_PMR_EL1 write: the implemented priority bits only (`icv_fullprio_mask`).
    public mutating func guestSetPriorityMask(_ value: UInt64, vcpu: Int) {
        gic.redistributors[vcpu].cpuInterface.pmr = UInt8(truncatingIfNeeded: value) & GICv3Model.priorityMask
    }

    /// ICC_BPR0_EL1 / ICC_BPR1_EL1 write: raised to the minimum; a BPR1 write is ignored with CBPR.
    public mutating func guestSetBinaryPoint(_ value: UInt64, group1: Bool, vcpu: Int) {
        let minimum = gic.minimumBinaryPoint0 + (group1 ? 1 : 0)
        let point = Swift.max(UInt8(truncatingIfNeeded: value & 7), minimum)
        if group1 {
            guard !gic.redistributors[vcpu].cpuInterface.cbpr else { return }
            gic.redistributors[vcpu].cpuInterface.bpr1 = point
        } else {
            gic.redistributors[vcpu].cpuInterface.bpr0 = point
        }
    }

    /// ICC_BPR0_EL1 / ICC_BPR1_EL1 read (BPR1 reads BPR0 + 1, at most 7, with CBPR).
    public func guestBinaryPoint(group1: Bool, vcpu: Int) -> UInt64 {
        let cpu = gic.redistributors[vcpu].cpuInterface
        if group1 && cpu.cbpr { return UInt64(Swift.min(cpu.bpr0 + 1, 7)) }
        return UInt64(group1 ? cpu.bpr1 : cpu.bpr0)
    }

    /// ICC_CTLR_EL1 read: EOImode, CBPR and the fixed fields (A3V, 24-bit IDs, PRIbits).
    public func guestControl(vcpu: Int) -> UInt64 {
        let cpu = gic.redistributors[vcpu].cpuInterface
        var value: UInt64 = 1 << 15 | 1 << 11 | UInt64(gic.configuration.host.priorityBits - 1) << 8
        if cpu.eoiMode { value |= 2 }
        if cpu.cbpr { value |= 1 }
        return value
    }

    /// ICC_CTLR_EL1 write: only EOImode and CBPR are writable.
    public mutating func guestSetControl(_ value: UInt64, vcpu: Int) {
        gic.redistributors[vcpu].cpuInterface.eoiMode = value & 2 != 0
        gic.redistributors[vcpu].cpuInterface.cbpr = value & 1 != 0
    }

    /// ICC_IGRPEN0_EL1 / ICC_IGRPEN1_EL1 write.
    public mutating func guestSetGroupEnable(_ value: UInt64, group1: Bool, vcpu: Int) {
        if group1 {
            gic.redistributors[vcpu].cpuInterface.groupEnable1 = value & 1 != 0
        } else {
            gic.redistributors[vcpu].cpuInterface.groupEnable0 = value & 1 != 0
        }
    }

    /// An active priority register (ICC_AP0Rn_EL1 / ICC_AP1Rn_EL1), raw.
    public func guestActivePriorities(_ index: Int, group1: Bool, vcpu: Int) -> UInt64 {
        let cpu = gic.redistributors[vcpu].cpuInterface
        return UInt64(group1 ? cpu.ap1r[index] : cpu.ap0r[index])
    }

    public mutating func guestSetActivePriorities(_ index: Int, group1: Bool, _ value: UInt64, vcpu: Int) {
        if group1 {
            gic.redistributors[vcpu].cpuInterface.ap1r[index] = UInt32(truncatingIfNeeded: value)
        } else {
            gic.redistributors[vcpu].cpuInterface.ap0r[index] = UInt32(truncatingIfNeeded: value)
        }
    }

    // MARK: Helpers

    func eoiMode(_ vcpu: Int) -> Bool { gic.redistributors[vcpu].cpuInterface.eoiMode }

    /// `icv_find_active`: the first list register with the Active bit for `intid`.
    func activeListRegister(_ intid: UInt32, vcpu: Int) -> Int? {
        vcpus[vcpu].listRegisters.firstIndex { $0.intid == intid && $0.state.isActive }
    }

    /// `icv_deactivate_irq`: clears the Active bit; a hardware-mapped entry deactivates the
    /// physical interrupt too.
    mutating func deactivateListRegister(_ index: Int, vcpu: Int) {
        let register = vcpus[vcpu].listRegisters[index]
        vcpus[vcpu].listRegisters[index].state = register.state == .activePending ? .pending : .invalid
        if register.physicalINTID != nil { deactivatePhysical(vcpu) }
    }

    mutating func setActivePriority(_ bit: Int, group1: Bool, vcpu: Int) {
        let word = bit / 32
        let flag = UInt32(1) << UInt32(bit % 32)
        if group1 {
            gic.redistributors[vcpu].cpuInterface.ap1r[word] |= flag
        } else {
            gic.redistributors[vcpu].cpuInterface.ap0r[word] |= flag
        }
    }
}
