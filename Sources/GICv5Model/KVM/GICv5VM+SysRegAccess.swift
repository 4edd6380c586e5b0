import GICVocabulary

/// KVM's userspace accessors for a GICv5 vCPU's CPU-interface registers (`KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS`),
/// as GICv5Model.docc/GICv5UnderKVM.md and vectors K5-07 to K5-10 (in
/// GICv5Model.docc/GICv5TestVectors.md) describe them. **These are from the
/// Sept-2026 series** (msgid `20260904113404.4051341-*`); the PPI-only 7.1 kernels have no such accessors,
/// and the model's rules were taken from the series' description (GICv5Model.docc/GICv5UnderKVM.md), not
/// re-read from that series' source.
///
/// KVM keeps 64 PPIs, so every bank-1 register (ENABLER1, SACTIVER1, SPENDR1) and PRIORITYR8..15
/// reads 0 and ignores writes (K5-10; the PRIORITYR8..15 case is **[unverified]**, inferred from
/// the same 64-PPI storage).
extension GICv5VM {
    /// A userspace read. Throws `.vcpuRunning` while the vCPU is in the guest and
    /// `.unsupportedRegister` for a register without an accessor.
    ///
    /// - ICC_ICSR_EL1: the saved ICSR. ENABLER0: the ENABLER image. SACTIVER0: the ACTIVER image.
    /// - SPENDR0: the pending state KVM would inject, `irq_is_pending` of each PPI.
    /// - PRIORITYRn: the image. APR: the saved APR (bits [31:0]).
    /// - CR0: EN from VMCR, with LINK and LINK_IDLE set (K5-08). PCR: VMCR.VPMR.
    public func readCPUSysReg(_ register: GICv5SysReg, vcpu index: Int) throws(GICv5ModelError) -> UInt64 {
        try checkStopped(index)
        guard register.hasUserspaceAccessor else { throw .unsupportedRegister(register.encoding) }
        let vcpu = vcpus[index]
        switch register.contents {
        case .interruptStatus:
            return vcpu.images.interruptStatus.rawValue
        case let .enable(bank):
            return bank == .bank0 ? vcpu.images.enable.bank0 : 0
        case let .setActive(bank):
            return bank == .bank0 ? vcpu.images.active.bank0 : 0
        case let .setPending(bank):
            guard bank == .bank0 else { return 0 }
            var pending = PPISet.empty
            for ppi in GICv5PPI.everyPPI where ppi.id < 64 { pending[ppi] = vcpu[ppi].isPending }
            return pending.bank0
        case let .priority(n):
            return n < 8 ? vcpu.images.priorities.register(n) : 0
        case .activePriorities:
            return vcpu.images.activePriorities.register
        case .control:
            return CPUInterfaceControl.register(enabled: vcpu.images.control.enabled)
        case .priorityMask:
            return UInt64(vcpu.images.control.priorityMask)
        default:
            throw .unsupportedRegister(register.encoding)
        }
    }

    /// A userspace write. Throws `.vcpuRunning` while the vCPU is in the guest,
    /// `.writeAfterFirstRun` once it has run, and `.unsupportedRegister` for a register without an
    /// accessor.
    ///
    /// - ICC_ICSR_EL1: stored with its RES0 bits cleared.
    /// - ENABLER0: the raw value becomes the image, and each of PPIs 0–63 takes its enable from it.
    /// - SACTIVER0: the raw value becomes the ACTIVER image and each PPI's active state.
    /// - SPENDR0: per PPI 0–63, a level PPI's line level, an edge PPI's latch, takes the bit (K5-07).
    /// - PRIORITYRn: masked to 0x1F per byte, stored and copied into each PPI's priority.
    /// - APR: bits [31:0] kept (K5-09). CR0: only EN, into VMCR.EN. PCR: VMCR.VPMR.
    public mutating func writeCPUSysReg(_ register: GICv5SysReg, vcpu index: Int,
                                        value: UInt64) throws(GICv5ModelError) {
        try checkStopped(index)
        guard register.hasUserspaceAccessor else { throw .unsupportedRegister(register.encoding) }
        guard !vcpus[index].hasRun else { throw .writeAfterFirstRun(vcpu: index) }
        var vcpu = vcpus[index]
        let low = GICv5PPI.everyPPI.filter { $0.id < 64 }
        switch register.contents {
        case .interruptStatus:
            vcpu.images.interruptStatus = InterruptConfigStatus(rawValue: value)
        case let .enable(bank):
            guard bank == .bank0 else { break }
            vcpu.images.enable.bank0 = value
            for ppi in low { vcpu[ppi].enabled = value & PPISet.bit(ppi) != 0 }
        case let .setActive(bank):
            guard bank == .bank0 else { break }
            vcpu.images.active.bank0 = value
            for ppi in low { vcpu[ppi].active = value & PPISet.bit(ppi) != 0 }
        case let .setPending(bank):
            guard bank == .bank0 else { break }
            for ppi in low {
                let bit = value & PPISet.bit(ppi) != 0
                if vcpu[ppi].handlingMode == .level { vcpu[ppi].lineLevel = bit } else { vcpu[ppi].pendingLatch = bit }
            }
        case let .priority(n):
            guard n < 8 else { break }
            vcpu.images.priorities.setRegister(n, value)
            for ppi in low where Int(ppi.id / 8) == n { vcpu[ppi].priority = vcpu.images.priorities[ppi] }
        case .activePriorities:
            vcpu.images.activePriorities = ActivePriorities(register: value)
        case .control:
            vcpu.images.control.enabled = value & CPUInterfaceControl.enable != 0
        case .priorityMask:
            vcpu.images.control.priorityMask = UInt8(truncatingIfNeeded: value) & 0x1F
        default:
            throw .unsupportedRegister(register.encoding)
        }
        vcpus[index] = vcpu
    }
}
