/// The CPU interface as a guest sees it under KVM, as functions over the model's state: the
/// virtual interface (ICV_*) that KVM's List Registers feed, following the GICv3 pseudocode as
/// QEMU implements it (`hppvi_index`, `icv_hppi_can_preempt`, `icv_gprio_mask`,
/// `ich_highest_active_virt_prio`, `icv_activate_irq`, `icv_drop_prio`, `icv_eoir_write`,
/// `icv_dir_write`; GICModel.docc/GICv3Behaviour.md).
///
/// Every function is pure over the model's value: the queries are non-mutating, and the
/// acknowledge / EOI / DIR operations are `mutating` methods of a value type (state in, state
/// out). The lab exercises these from a guest in a later issue; here they are tested against
/// the architectural vectors.
///
/// What the guest sees of the distributor is KVM's: an SPI is a candidate only on the vCPU its
/// route names (`irq->target_vcpu`), and nothing is forwarded while GICD_CTLR.EnableGrp1 is clear
/// (`vgic_target_oracle`). Priority ties go to the lowest INTID; the architecture leaves the
/// tie-break IMPLEMENTATION DEFINED (IHI 0069 §4.8), so comparisons with hardware must not rely on it.
extension GICv3Model {
    /// The highest-priority pending interrupt of `vcpu` (`hppvi_index`): enabled, pending, not
    /// active, routed here, its group enabled in ICC_IGRPEN0/1, priority below 0xFF; lowest
    /// priority value wins, then lowest INTID. Neither PMR nor the running priority filter it.
    public func highestPriorityPending(vcpu: Int) -> PendingInterrupt? {
        guard distributor.enabled else { return nil }
        let cpu = redistributors[vcpu].cpuInterface
        var best: PendingInterrupt? = nil
        func consider(_ intid: UInt32, _ irq: InterruptState) {
            guard irq.enabled, irq.isPending, !irq.active else { return }
            guard irq.group1 ? cpu.groupEnable1 : cpu.groupEnable0 else { return }
            guard irq.priority < (best?.priority ?? 0xFF) else { return }
            best = PendingInterrupt(intid: intid, priority: irq.priority, group1: irq.group1)
        }
        for (intid, irq) in redistributors[vcpu].privateInterrupts.enumerated() {
            consider(UInt32(intid), irq)
        }
        for (index, irq) in distributor.spis.enumerated() where targetVCPU(ofSPIRoute: irq.route) == vcpu {
            consider(UInt32(index) + Self.privateCount, irq)
        }
        return best
    }

    /// ICC_HPPIR0_EL1 (`group1` false) or ICC_HPPIR1_EL1: the HPPI's INTID if it belongs to that
    /// group, else 1023. Not filtered by PMR or running priority.
    public func hppir(group1: Bool, vcpu: Int) -> UInt32 {
        guard let hppi = highestPriorityPending(vcpu: vcpu), hppi.group1 == group1 else { return Self.spurious }
        return hppi.intid
    }

    /// ICC_RPR_EL1: the running priority, from the lowest set bit of the active-priority
    /// registers of both groups, shifted back to a priority; 0xFF when nothing is active.
    public func runningPriority(vcpu: Int) -> UInt8 {
        let cpu = redistributors[vcpu].cpuInterface
        let shift = UInt32(minimumBinaryPoint0 + 1)
        for i in 0..<aprRegisterCount {
            let apr = cpu.ap0r[i] | cpu.ap1r[i]
            guard apr != 0 else { continue }
            let bit = UInt32(i) * 32 + UInt32(apr.trailingZeroBitCount)
            return UInt8(truncatingIfNeeded: bit << shift)
        }
        return 0xFF
    }

    /// Whether the HPPI may be taken now (`icv_hppi_can_preempt`): its priority is below PMR
    /// (strictly), and if something is active its *group* priority is strictly higher than the
    /// running priority's (subpriority never preempts).
    public func canPreempt(_ hppi: PendingInterrupt, vcpu: Int) -> Bool {
        let cpu = redistributors[vcpu].cpuInterface
        guard hppi.priority < cpu.pmr else { return false }
        let running = runningPriority(vcpu: vcpu)
        if running == 0xFF { return true }
        let mask = groupPriorityMask(group1: hppi.group1, vcpu: vcpu)
        return hppi.priority & mask < running & mask
    }

    /// ICC_IAR0_EL1 (`group1` false) or ICC_IAR1_EL1: acknowledges the HPPI if it is of that
    /// group and can preempt, returning its INTID; otherwise returns 1023 and changes nothing.
    ///
    /// Acknowledge (`icv_activate_irq`, T5) makes the interrupt active and clears its latch (a
    /// level interrupt whose line is high stays pending: active and pending), and sets the APR
    /// bit `(priority & group mask) >> (8 − PREbits)` of its group.
    public mutating func acknowledge(group1: Bool, vcpu: Int) -> UInt32 {
        guard let hppi = highestPriorityPending(vcpu: vcpu), hppi.group1 == group1,
            canPreempt(hppi, vcpu: vcpu)
        else { return Self.spurious }
        update(hppi.intid, vcpu: vcpu) { irq in
            irq.active = true
            irq.latch = false
        }
        let mask = groupPriorityMask(group1: group1, vcpu: vcpu)
        let bit = Int(hppi.priority & mask) >> (8 - Int(preemptionBits))
        let word = bit / 32
        let flag = UInt32(1) << UInt32(bit % 32)
        if group1 {
            redistributors[vcpu].cpuInterface.ap1r[word] |= flag
        } else {
            redistributors[vcpu].cpuInterface.ap0r[word] |= flag
        }
        return hppi.intid
    }

    /// ICC_EOIR0_EL1 (`group1` false) or ICC_EOIR1_EL1 with `intid` (`icv_eoir_write`).
    ///
    /// INTIDs 1020–1023 are ignored before anything else: the running priority stays. The lab
    /// settled it (`guest.special_intid.eoi_keeps_priority`, both kernels, QEMU 7.2's virtual
    /// interface; QEMU's physical `icc_eoir_write` ignores them too). Otherwise a priority drop first: the lowest set APR bit (the highest active priority) is
    /// cleared, Group 0 first on a tie; with no bit set the write is ignored. Then, with
    /// EOImode 0 (T6), the interrupt is deactivated if it is active, of this register's group,
    /// and its group priority is the priority just dropped; with EOImode 1 (T7) it stays active
    /// for ICC_DIR_EL1. The drop does not check the INTID: EOIs out of order are UNPREDICTABLE.
    public mutating func endOfInterrupt(_ intid: UInt32, group1: Bool, vcpu: Int) {
        guard !(1020...1023).contains(intid) else { return }
        guard let dropped = dropPriority(vcpu: vcpu) else { return }
        guard !redistributors[vcpu].cpuInterface.eoiMode, exists(intid) else { return }
        let irq = interrupt(intid, vcpu: vcpu)
        let mask = groupPriorityMask(group1: group1, vcpu: vcpu)
        guard irq.active, irq.group1 == group1, irq.priority & mask == dropped else { return }
        update(intid, vcpu: vcpu) { $0.active = false }
    }

    /// ICC_DIR_EL1 with `intid` (`icv_dir_write`, T8): deactivates an active interrupt, but only
    /// with EOImode 1; with EOImode 0 the write is ignored (architecturally UNPREDICTABLE).
    public mutating func deactivate(_ intid: UInt32, vcpu: Int) {
        guard redistributors[vcpu].cpuInterface.eoiMode, exists(intid) else { return }
        update(intid, vcpu: vcpu) { $0.active = false }
    }

    /// `icv_drop_prio`: clears the lowest set bit across the APRs (Group 0 wins a tie within a
    /// register) and returns the priority it stood for, or nil when none was set.
    mutating func dropPriority(vcpu: Int) -> UInt8? {
        let shift = UInt32(minimumBinaryPoint0 + 1)
        for i in 0..<aprRegisterCount {
            let ap0 = redistributors[vcpu].cpuInterface.ap0r[i]
            let ap1 = redistributors[vcpu].cpuInterface.ap1r[i]
            guard ap0 != 0 || ap1 != 0 else { continue }
            let count0 = ap0.trailingZeroBitCount
            let count1 = ap1.trailingZeroBitCount
            let bit: UInt32
            if count0 <= count1 {
                redistributors[vcpu].cpuInterface.ap0r[i] = ap0 & (ap0 &- 1)
                bit = UInt32(count0)
            } else {
                redistributors[vcpu].cpuInterface.ap1r[i] = ap1 & (ap1 &- 1)
                bit = UInt32(count1)
            }
            return UInt8(truncatingIfNeeded: (UInt32(i) * 32 + bit) << shift)
        }
        return nil
    }

    /// `icv_gprio_mask` (the VGroupBits pseudocode): the bits of a priority that form its group
    /// priority. Group 0, and Group 1 with CBPR, use BPR0: `~0 << (BPR0 + 1)`; Group 1 uses
    /// BPR1: `~0 << BPR1`. Stored binary points below the minimum count as the minimum
    /// (BPR0 ≥ 7 − PREbits, BPR1 ≥ 8 − PREbits), as the hardware raises them when it loads the
    /// VMCR image.
    public func groupPriorityMask(group1: Bool, vcpu: Int) -> UInt8 {
        let cpu = redistributors[vcpu].cpuInterface
        if group1 && !cpu.cbpr {
            let bpr = Swift.max(cpu.bpr1, minimumBinaryPoint0 + 1)
            return UInt8(truncatingIfNeeded: 0xFF << UInt32(bpr))
        }
        let bpr = Swift.max(cpu.bpr0, minimumBinaryPoint0)
        return UInt8(truncatingIfNeeded: 0xFF << UInt32(bpr + 1))
    }

    /// The minimum BPR0, 7 − PREbits (`icv_min_vbpr`).
    var minimumBinaryPoint0: UInt8 { 7 - preemptionBits }

    /// How many APn registers hold active priorities: 1 with 5 preemption bits, 2 with 6, 4 with 7.
    var aprRegisterCount: Int { 1 << Int(preemptionBits - 5) }

    /// The host's preemption bits, within the 5–7 a virtual CPU interface can have.
    var preemptionBits: UInt8 { Swift.min(Swift.max(configuration.host.preemptionBits, 5), 7) }

    /// INTID 1023: nothing this reader may acknowledge.
    public static let spurious: UInt32 = 1023
}
