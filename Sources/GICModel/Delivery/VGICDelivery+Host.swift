import GICVocabulary

/// Userspace's side while the vCPUs are stopped: `KVM_IRQ_LINE` and the attribute interface,
/// through the model's entry points, each followed by the queueing KVM does
/// (`vgic_queue_irq_unlock` where the kernel's handler calls it), so a change reaches the
/// guest the way it does on the kernel — or, where the kernel does not queue, does not.
extension VGICDelivery {
    /// The PPIs the timers own once a vCPU has run: `KVM_IRQ_LINE` of them is ignored
    /// (`vgic_validate_injection`: the owner is not userspace). EL1 virtual and physical timer.
    static let timerPPIs: Set<UInt32> = [27, 30]

    /// `KVM_IRQ_LINE`: the model's decoding and refusals, then `vgic_validate_injection` (an edge
    /// on level 1, a level change) decides whether KVM queues the interrupt.
    public mutating func hostSetLine(_ word: IRQLineWord, level: Bool) throws(ModelRefusal) {
        let type = word.typeField
        let number = word.number
        var target: (intid: UInt32, vcpu: Int)? = nil
        if type == IRQLineWord.LineType.ppi.rawValue, let vcpu = gic.configuration.vcpuIndex(id: word.vcpuIndex.value),
            number >= GICv3Model.sgiCount, number < GICv3Model.privateCount
        {
            target = (number, vcpu)
        } else if type == IRQLineWord.LineType.spi.rawValue, number >= GICv3Model.privateCount, number < gic.interruptCount {
            target = (number, 0)
        }
        if let (intid, _) = target, intid < GICv3Model.privateCount, Self.timerPPIs.contains(intid) {
            return  // owned by the timer: accepted and ignored
        }
        let valid: Bool
        if let (intid, vcpu) = target {
            let irq = gic.interrupt(intid, vcpu: vcpu)
            valid = irq.edge ? level : irq.line != level
        } else {
            valid = false
        }
        try gic.setLine(word, level: level)
        if valid, let (intid, vcpu) = target { queue(intid, owner: vcpu) }
    }

    /// A DIST_REGS write, then the queueing of the bank's handler.
    public mutating func hostWriteDistributor(offset: UInt32, _ value: UInt32) throws(ModelRefusal) {
        try gic.writeDistributor(offset: offset, value)
        guard let (register, first) = gic.distributorRegion(offset), first >= GICv3Model.privateCount else { return }
        queueAfterUserWrite(register, first: first, value, vcpu: 0)
    }

    /// A REDIST_REGS write, then the queueing of the bank's handler.
    public mutating func hostWriteRedistributor(_ selector: Affinity, offset: UInt32, _ value: UInt32) throws(ModelRefusal) {
        try gic.writeRedistributor(selector, offset: offset, value)
        guard let vcpu = gic.vcpuIndex(of: selector),
            let register = GICv3Register.all.first(where: { $0.frame != .distributor && $0.offsets.contains(offset) && $0.isPerInterrupt })
        else { return }
        let first = (offset - register.offset) * 8 / register.bitsPerInterrupt
        queueAfterUserWrite(register, first: first, value, vcpu: vcpu)
    }

    /// A LEVEL_INFO write: every INTID whose new level is 1 is queued
    /// (`vgic_write_irq_line_level_info`).
    public mutating func hostWriteLineLevels(_ selector: LevelInfoSelector, _ word: UInt32) throws(ModelRefusal) {
        try gic.writeLineLevels(selector, word)
        guard let vcpu = gic.vcpuIndex(of: selector.affinity) else { return }
        for bit in 0..<UInt32(32) where word >> bit & 1 != 0 {
            let intid = selector.firstINTID + bit
            if intid >= GICv3Model.sgiCount, gic.exists(intid) { queue(intid, owner: vcpu) }
        }
    }

    /// A CPU_SYSREGS write (no queueing: the VMCR and APRs are read on the next entry).
    public mutating func hostWriteSystemRegister(_ selector: Affinity, _ encoding: SysRegEncoding, _ value: UInt64) throws(ModelRefusal) {
        try gic.writeSystemRegister(selector, encoding, value)
    }

    /// Which INTIDs a userspace bank write queues: set-enable, set-pending and set-active
    /// queue each INTID written as 1, a group write every INTID of the word.
    mutating func queueAfterUserWrite(_ register: GICv3Register, first: UInt32, _ value: UInt32, vcpu: Int) {
        guard register.bitsPerInterrupt == 1, let field = register.field else { return }
        switch field {
        case .group:
            for bit in 0..<UInt32(32) { queue(first + bit, owner: vcpu) }
        case .enable where register.uaccess == .setBits, .active where register.uaccess == .setBits, .pending where register.uaccess == .latchOnly:
            for bit in 0..<UInt32(32) where value >> bit & 1 != 0 { queue(first + bit, owner: vcpu) }
        default:
            break
        }
    }
}
