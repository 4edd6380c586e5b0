import GICVocabulary

/// What the guest's trapped accesses do: its MMIO to the distributor and its redistributor
/// (`vgic-mmio.c` with `is_user` false: ISPENDR reads the latch or the line, ICPENDR clears the
/// latch, a mapped level interrupt's pending state is its input line), and ICC_SGI1R_EL1 /
/// ICC_SGI0R_EL1 / ICC_ASGI1R_EL1 (`vgic_v3_dispatch_sgi`). The caller brackets each with
/// `exit` and `enter`: every one of them is an exit to KVM.
extension VGICDelivery {
    /// Where a guest MMIO access goes.
    public enum GuestFrame: Hashable, Sendable {
        case distributor
        /// A vCPU's RD_base frame.
        case redistributor(vcpu: Int)
        /// A vCPU's SGI_base frame.
        case redistributorSGI(vcpu: Int)
    }

    /// The register a guest access at `offset` of `frame` reaches, with the vCPU whose private
    /// state it shows, and the first INTID of the word for per-interrupt banks.
    func guestRegister(_ frame: GuestFrame, offset: UInt32) -> (GICv3Register, vcpu: Int, first: UInt32)? {
        let attrOffset: UInt32
        let vcpu: Int
        let frameKind: GICv3Frame
        switch frame {
        case .distributor: (attrOffset, vcpu, frameKind) = (offset, 0, .distributor)
        case .redistributor(let index): (attrOffset, vcpu, frameKind) = (offset, index, .redistributorRD)
        case .redistributorSGI(let index): (attrOffset, vcpu, frameKind) = (offset + 0x1_0000, index, .redistributorSGI)
        }
        guard let register = GICv3Register.all.first(where: { $0.frame == frameKind && $0.offsets.contains(attrOffset) }) else {
            return nil
        }
        guard register.isPerInterrupt, register.field != .routing else { return (register, vcpu, 0) }
        let first = (attrOffset - register.offset) * 8 / register.bitsPerInterrupt
        return (register, vcpu, first)
    }

    /// A 32-bit guest read.
    public func guestRead(_ frame: GuestFrame, offset: UInt32) -> UInt32 {
        guard let (register, vcpu, first) = guestRegister(frame, offset: offset) else { return 0 }
        guard register.isPerInterrupt, let field = register.field, field != .routing else {
            switch frame {
            case .distributor: return gic.readDistributor(offset: offset)
            case .redistributor(let index), .redistributorSGI(let index):
                let attr = frame == .redistributor(vcpu: index) ? offset : offset + 0x1_0000
                return (try? gic.readRedistributor(gic.redistributors[index].affinity, offset: attr)) ?? 0
            }
        }
        // The private part of distributor banks reads as zero.
        if case .distributor = frame, first < GICv3Model.privateCount { return 0 }
        let width = register.bitsPerInterrupt
        var word: UInt32 = 0
        for i in 0..<(32 / width) {
            let intid = first + i
            guard gic.exists(intid) else { continue }
            let irq = gic.interrupt(intid, vcpu: vcpu)
            let value: UInt32
            switch field {
            case .group: value = irq.group1 ? 1 : 0
            case .enable: value = irq.enabled ? 1 : 0
            case .pending: value = guestPending(intid, vcpu: vcpu) ? 1 : 0
            case .active: value = irq.active ? 1 : 0
            case .priority: value = UInt32(irq.priority)
            case .configuration: value = irq.edge ? 2 : 0
            case .routing: value = 0
            }
            word |= value << (i * width)
        }
        return word
    }

    /// `__read_pending` for the guest: the latch or the line; for the mapped timer, its output
    /// (`vgic_get_phys_line_level`).
    func guestPending(_ intid: UInt32, vcpu: Int) -> Bool {
        if isMapped(intid) { return timers[vcpu].firing || gic.interrupt(intid, vcpu: vcpu).latch }
        return gic.interrupt(intid, vcpu: vcpu).isPending
    }

    /// A guest write of `value` (`bytes` 4, or 1 for a byte store into IPRIORITYR) at `offset`.
    public mutating func guestWrite(_ frame: GuestFrame, offset: UInt32, _ value: UInt32, bytes: Int = 4) {
        guard let (register, vcpu, first) = guestRegister(frame, offset: offset) else { return }
        if case .distributor = frame, offset == GICv3Register.gicdCTLR.offset {
            // EnableGrp1; enabling only kicks the vCPUs (`vgic_kick_vcpus`), nothing is queued.
            gic.distributor.enabled = value & 2 != 0
            return
        }
        if case .distributor = frame, register == .gicdIROUTER {
            guard first >= GICv3Model.privateCount || offset >= 0x6100 else { return }
            let intid = (offset - 0x6000) / 8
            if offset & 4 == 0, gic.exists(intid), intid >= GICv3Model.privateCount {
                gic.update(intid, vcpu: 0) { $0.route = value & 0xFF_FFFF }
            }
            return
        }
        guard register.isPerInterrupt, let field = register.field else { return }
        if case .distributor = frame, first < GICv3Model.privateCount { return }
        let width = register.bitsPerInterrupt
        let count = bytes * 8 / Int(width)
        for i in 0..<UInt32(count) {
            let intid = first + i
            guard gic.exists(intid) else { continue }
            let bits = value >> (i * width) & ((1 << width) - 1)
            switch field {
            case .priority:
                gic.update(intid, vcpu: vcpu) { $0.priority = UInt8(truncatingIfNeeded: bits) & GICv3Model.priorityMask }
            case .configuration:
                if intid >= GICv3Model.privateCount { gic.update(intid, vcpu: vcpu) { $0.edge = bits & 2 != 0 } }
            case .group:
                gic.update(intid, vcpu: vcpu) { $0.group1 = bits != 0 }
                queue(intid, owner: vcpu)
            case .enable where bits != 0:
                let set = register.uaccess == .setBits
                if set && isMapped(intid) {
                    let level = timers[vcpu].firing
                    gic.update(intid, vcpu: vcpu) { $0.line = level }
                }
                gic.update(intid, vcpu: vcpu) { $0.enabled = set }
                if set { queue(intid, owner: vcpu) }
            case .pending where bits != 0:
                let set = register.uaccess == .latchOnly
                gic.update(intid, vcpu: vcpu) { $0.latch = set }
                if set { queue(intid, owner: vcpu) }
            case .active where bits != 0:
                let set = register.uaccess == .setBits
                gic.update(intid, vcpu: vcpu) { $0.active = set }
                if set { queue(intid, owner: vcpu) }
            default:
                break
            }
        }
    }

    /// A write of `value` to ICC_SGI1R_EL1 (`group1Allowed`) or ICC_SGI0R_EL1 / ICC_ASGI1R_EL1:
    /// SGI `value[27:24]` to every other vCPU with IRM, else to each vCPU whose affinity is
    /// Aff3.Aff2.Aff1 of the value with an Aff0 bit set in the target list. The range selector
    /// is not used (KVM reports RSS = 0, so Aff0 is 0–15). A Group 1 SGI is raised only by an
    /// SGI1R write.
    public mutating func guestGenerateSGI(_ value: UInt64, group1Allowed: Bool, vcpu: Int) {
        let sgi = UInt32(truncatingIfNeeded: value >> 24) & 0xF
        var targets: [Int] = []
        if value >> 40 & 1 != 0 {
            targets = (0..<gic.vcpuCount).filter { $0 != vcpu }
        } else {
            let aff1 = UInt8(truncatingIfNeeded: value >> 16)
            let aff2 = UInt8(truncatingIfNeeded: value >> 32)
            let aff3 = UInt8(truncatingIfNeeded: value >> 48)
            for aff0 in 0..<UInt8(16) where value >> UInt64(aff0) & 1 != 0 {
                if let target = gic.vcpuIndex(of: Affinity(aff3: aff3, aff2: aff2, aff1: aff1, aff0: aff0)) { targets.append(target) }
            }
        }
        for target in targets {
            let irq = gic.interrupt(sgi, vcpu: target)
            guard !irq.group1 || group1Allowed else { continue }
            gic.update(sgi, vcpu: target) { $0.latch = true }
            queue(sgi, owner: target)
        }
    }

    /// The MPIDR_EL1 a vCPU reads: RES1 bit 31 and its affinity (Aff3 in bits 39:32).
    public func mpidr(_ vcpu: Int) -> UInt64 {
        let affinity = gic.redistributors[vcpu].affinity
        return 1 << 31 | UInt64(affinity.aff3) << 32 | UInt64(affinity.aff2) << 16 | UInt64(affinity.aff1) << 8 | UInt64(affinity.aff0)
    }
}
