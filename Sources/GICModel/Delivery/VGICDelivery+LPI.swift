import GICVocabulary

/// LPIs and the ITS in the delivery model (GICModel.docc/ITSModel.md): the guest's and the host's
/// accesses to the ITS and to the LPI registers of the redistributors, and MSIs, each with the
/// ap_list joins KVM makes. Guest RAM (the command queue, the ITS tables, the LPI property and
/// pending tables) is the caller's `GuestPhysicalMemory`.
///
/// LPIs then travel like any edge interrupt: queued on their target's ap_list, their pending
/// state moving into a list register, Group 1, with the property table's priority (the list
/// register keeps 5 bits of it) — except that folding a list register drops an LPI's active state
/// (`vgic_v3_fold_lr`: "Always preserve the active bit for !LPIs"), and the guest's EOI deactivates
/// an LPI in either EOI mode.
extension VGICDelivery {
    /// Runs `body` on the ITS and the vgic together, mirrors the ap_list joins it reports, and
    /// returns its result; nil without an ITS.
    mutating func withITS<Result>(
        _ body: (inout ITSModel, inout GICv3Model) -> (Result, [APListJoin])
    ) -> Result? {
        guard var model = its else { return nil }
        its = nil  // let go of the stored copy, so `model` changes in place
        let (result, joins) = body(&model, &gic)
        its = model
        mirror(joins)
        return result
    }

    // MARK: The ITS frame

    /// A guest read of `bytes` at `offset` of the ITS frame (0 without an ITS).
    public func guestReadITS(offset: UInt32, bytes: Int = 4) -> UInt64 {
        its?.guestRead(offset: offset, bytes: bytes) ?? 0
    }

    /// A guest write of `bytes` at `offset` of the ITS frame: GITS_CTLR, GITS_CBASER,
    /// GITS_CWRITER (which runs the queued commands) and GITS_BASER<n>; the rest is ignored,
    /// GITS_TRANSLATER included.
    public mutating func guestWriteITS<Memory: GuestPhysicalMemory>(
        offset: UInt32, bytes: Int = 4, _ value: UInt64, memory: inout Memory
    ) {
        _ = withITS { its, gic in ((), its.guestWrite(offset: offset, bytes: bytes, value, gic: &gic, memory: &memory)) }
    }

    /// Element `index` of `register` through `KVM_DEV_ARM_VGIC_GRP_ITS_REGS`.
    public func hostReadITS(_ register: ITSRegister, index: UInt32 = 0) -> UInt64? {
        guard let its, let offset = register.offset(ofElement: index) else { return nil }
        let value = its.registerValue(at: offset)
        return register.width == .bits32 ? value & 0xFFFF_FFFF : value
    }

    /// A userspace write of element `index` of `register`: its errno, or nil.
    public mutating func hostWriteITS<Memory: GuestPhysicalMemory>(
        _ register: ITSRegister, index: UInt32 = 0, _ value: UInt64, memory: inout Memory
    ) -> KernelErrno? {
        withITS { its, gic in its.userspaceWrite(register, index: index, value, gic: &gic, memory: &memory) } ?? nil
    }

    /// `KVM_DEV_ARM_ITS_CTRL_RESET`.
    public mutating func resetITS() {
        _ = withITS { its, gic in
            its.reset(gic: &gic)
            return ((), [])
        }
    }

    /// `KVM_DEV_ARM_ITS_SAVE_TABLES`: the errno, or nil.
    public mutating func saveITSTables<Memory: GuestPhysicalMemory>(into memory: inout Memory) -> KernelErrno? {
        withITS { its, _ in (its.saveTables(into: &memory), []) } ?? nil
    }

    /// `KVM_DEV_ARM_ITS_RESTORE_TABLES`: the errno, or nil.
    public mutating func restoreITSTables<Memory: GuestPhysicalMemory>(from memory: inout Memory) -> KernelErrno? {
        withITS { its, gic in its.restoreTables(gic: &gic, memory: &memory) } ?? nil
    }

    /// `KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES`: the errno, or nil.
    public func savePendingTables<Memory: GuestPhysicalMemory>(into memory: inout Memory) -> KernelErrno? {
        gic.savePendingTables(into: &memory)
    }

    /// An MSI of (`device`, `event`) to the ITS's doorbell (`KVM_SIGNAL_MSI`, or an irqfd on an MSI
    /// route): what the kernel answers. ENODEV without an ITS.
    public mutating func signalMSI(device: UInt32, event: UInt32) -> ITSDelivery {
        withITS { its, gic in its.signal(device: device, event: event, gic: &gic) } ?? .refused(KernelErrno(rawValue: 19))
    }

    // MARK: The redistributors' LPI registers

    /// A write of GICR_CTLR, GICR_INVLPIR or GICR_INVALLR of vCPU `vcpu`, by the guest or
    /// through `REDIST_REGS` (the same handlers; `GICv3Model.writeLPIRegister`): the LPIs a
    /// disable drops leave the ap_list, the ITS's translation cache empties, and the LPIs queued
    /// join their lists. False for any other offset (not written).
    @discardableResult
    public mutating func writeLPIRegister<Memory: GuestPhysicalMemory>(
        vcpu: Int, offset: UInt32, _ value: UInt32, memory: Memory
    ) -> Bool {
        guard let effect = gic.writeLPIRegister(vcpu: vcpu, offset: offset, value, memory: memory) else { return false }
        for intid in effect.removed { vcpus[vcpu].apList.removeAll { $0 == intid } }
        if effect.invalidatesCaches {
            _ = withITS { its, gic in
                its.invalidateCache(gic: &gic)
                return ((), [])
            }
        }
        mirror(effect.joins)
        return true
    }

    /// GICR_CTLR of vCPU `vcpu` (`writeLPIRegister`).
    public mutating func writeLPIControl<Memory: GuestPhysicalMemory>(_ value: UInt32, vcpu: Int, memory: Memory) {
        writeLPIRegister(vcpu: vcpu, offset: GICv3Register.gicrCTLR.offset, value, memory: memory)
    }
}
