/// Where a guest taking interrupts sees 6.12 and 7.x differ, each measured by a `guest.*`
/// conformance case in the lab (QEMU 7.2 TCG host: 4 list registers, 5 priority bits) and
/// explained by the kernel commits that changed it. The commit ids are those of Marc Zyngier's
/// kvmarm series "KVM: arm64: Add LR overflow infrastructure" (merged for 6.19 as 4c3a486c08ed;
/// present in Debian's 7.3.4, absent from 6.12.118, which has none of `vgic_v3_configure_hcr`,
/// `last_lr_irq` or `active_spis` in `arch/arm64/kvm/vgic/`).
extension KernelBehaviour {
    /// Whether an interrupt that becomes pending while as many interrupts are active as the host
    /// has list registers still reaches the guest.
    ///
    /// 6.12: `vgic_irq_cmp` sorts active interrupts first ("active interrupts can never be
    /// pushed out of the LRs … since we cannot reliably trap on deactivation"), so with every
    /// list register holding an active interrupt the pending one gets none: IAR1 reads 1023 (and
    /// WFI does not wait, `kvm_vgic_vcpu_pending_irq` seeing it) until the guest deactivates
    /// enough that at most one list register stays valid and the underflow maintenance
    /// interrupt (`vgic_set_underflow`) lets KVM refill them. Nested preemption past that depth,
    /// or acknowledge-and-EOI without DIR in EOImode 1, stalls there.
    ///
    /// 7.x: 05984ba67eb6 "Invert ap_list sorting to push active interrupts out" puts pending
    /// interrupts first; the actives pushed out of the list registers are deactivated through
    /// EOIcount (f4ded7b0848e "Preserve EOIcount on exit", 3cfd59f81e0f "Handle LR overflow when
    /// EOImode==0", fixed by 6da5e537f5af "Pick EOIcount deactivations from AP-list tail") or a
    /// trapped DIR (cd4f6ee99b28 "Handle deactivation via ICV_DIR_EL1 traps", 70fd60bdedc9 "Set
    /// ICH_HCR_EL2.TDIR when interrupts overflow LR capacity").
    ///
    /// Measured by `guest.preemption.*` and `guest.overflow.*`.
    public var deliversPastActiveListRegisters: Bool {
        switch self {
        case .debian6_12: false
        case .linux7: true
        }
    }
}

extension KernelBehaviour {
    /// Whether, in EOImode 1, an EOIR of an active interrupt KVM holds outside the list registers
    /// deactivates one (architecturally EOIR only drops the priority until DIR).
    ///
    /// Under QEMU 7.2 an EOIR that finds no list register for its INTID increments
    /// ICH_HCR_EL2.EOIcount whatever the EOI mode (`icv_eoir_write`). 6.12 discards EOIcount
    /// (`__vgic_v3_save_state` never reads it back). 7.x reads it back when LRENPIE is set
    /// (f4ded7b0848e "Preserve EOIcount on exit") and `vgic_v3_fold_lr_state` deactivates that
    /// many active interrupts after the last list register's (3cfd59f81e0f "Handle LR overflow
    /// when EOImode==0", 6da5e537f5af "Pick EOIcount deactivations from AP-list tail") without
    /// testing the EOI mode: the interrupt is deactivated at the EOIR, before the guest's DIR,
    /// which then finds it inactive.
    ///
    /// Measured by `guest.preemption.poll_*.eoimode1` (the active bits between the EOIRs and the
    /// DIRs).
    public var eoiOutsideListRegistersDeactivatesInEOIMode1: Bool {
        switch self {
        case .debian6_12: false
        case .linux7: true
        }
    }
}

extension KernelBehaviour {
    /// Whether the guest's EOI (EOImode 0) or DIR (EOImode 1) deactivates an active interrupt
    /// KVM holds outside the list registers (more active interrupts than list registers, as
    /// after restoring them with ISACTIVER).
    ///
    /// 6.12: such an EOI drops the priority (QEMU's `icv_eoir_write` drops it before looking for
    /// the list register) but finds no list register, and QEMU's EOIcount increment is discarded
    /// (`__vgic_v3_save_state` never reads it back): the interrupt stays active for good.
    ///
    /// 7.x: EOImode 0 deactivates through EOIcount (f4ded7b0848e "Preserve EOIcount on exit",
    /// 3cfd59f81e0f "Handle LR overflow when EOImode==0", 6da5e537f5af "Pick EOIcount
    /// deactivations from AP-list tail"); EOImode 1's DIR traps (70fd60bdedc9 "Set
    /// ICH_HCR_EL2.TDIR when interrupts overflow LR capacity", cd4f6ee99b28 "Handle deactivation
    /// via ICV_DIR_EL1 traps").
    ///
    /// Measured by `guest.restore_active.*`.
    public var deactivatesOutsideListRegisters: Bool {
        switch self {
        case .debian6_12: false
        case .linux7: true
        }
    }

    /// Whether a DIR written on one vCPU deactivates an SPI that is active on another (EOImode
    /// 1: acknowledged and EOIed on vCPU 0, deactivated on vCPU 1).
    ///
    /// 6.12: vCPU 1's DIR is handled by its own CPU interface, which finds no list register for
    /// the SPI (QEMU bumps EOIcount, which KVM discards): the SPI stays active on vCPU 0 until
    /// vCPU 0 deactivates it itself.
    ///
    /// 7.x: 1c3b3cadcd69 "Add SPI tracking to handle asymmetric deactivation" sets ICH_HCR_EL2.TDIR
    /// on every vCPU while SPIs are in flight, so the DIR traps and `vgic_v3_deactivate`
    /// (cd4f6ee99b28) deactivates the SPI wherever it is.
    ///
    /// Measured by `guest.asymmetric.dir_on_other_vcpu`.
    public var deactivatesAcrossVCPUs: Bool {
        switch self {
        case .debian6_12: false
        case .linux7: true
        }
    }
}
