/// Where a VMM that saves and restores a vCPU's registers (`KVM_GET_REG_LIST`,
/// `KVM_GET_ONE_REG`/`KVM_SET_ONE_REG`) and boots a Linux guest sees 6.12 and 7.x differ, each
/// measured by the `linux.*` conformance scenarios on Debian 6.12.118 and 7.3.4 (a vCPU with
/// `KVM_ARM_VCPU_PSCI_0_2` on the lab's `-cpu max`: QEMU 7.2's has neither FEAT_TCR2 nor
/// FEAT_S1PIE, QEMU 11's has both), with the commits that changed it.
extension KernelBehaviour {
    /// Whether the six timer registers (`KVM_REG_ARM_TIMER_CTL/CNT/CVAL`,
    /// `KVM_REG_ARM_PTIMER_CTL/CNT/CVAL`) are rows of the system-register table.
    ///
    /// 6.12: `guest.c` handles them itself and `kvm_arm_copy_reg_indices` lists them as a block
    /// of their own (`copy_timer_indices`) right after the firmware registers, in the order
    /// CTL, CNT, CVAL, PCTL, PCNT, PCVAL. 7.x: Marc Zyngier's "KVM: arm64: Move timer userspace
    /// accessors to generic infrastructure" (applied to kvmarm fixes for 6.18: 77a0c42eaf03
    /// "Add timer UAPI workaround to sysreg infrastructure", 09424d5d7d4e "Move CNT*_CTL_EL0
    /// userspace accessors to generic infrastructure", 8af198980eff "Move CNT*_CVAL_EL0 …",
    /// c3be3a48fb18 "Move CNT*CT_EL0 …", 386aac77da11 "Kill leftovers of ad-hoc timer userspace
    /// access") makes them table rows, listed among the system registers in the order of their
    /// architectural encodings — CNTPCT, CNTVCT (under `TIMER_CNT`'s id), CNTP_CTL, CNTP_CVAL,
    /// CNTV_CTL, CNTV_CVAL (under `TIMER_CVAL`'s id): `copy_reg_to_user` swaps the two ids the
    /// uAPI swapped.
    ///
    /// Measured by `linux.migration.v3` (the list of every vCPU).
    public var listsTimerRegistersAmongSystemRegisters: Bool {
        switch self {
        case .debian6_12: false
        case .linux7: true
        }
    }

    /// Whether `KVM_GET_ONE_REG` of `KVM_REG_ARM_TIMER_CTL` (`PTIMER_CTL`) computes ISTATUS from
    /// the timer's state at the read.
    ///
    /// 6.12: `kvm_arm_timer_get_reg` → `read_timer_ctl` sets ISTATUS whenever the timer's
    /// condition is met (CVAL at or below the count), enabled or not. 7.x: `arch_timer_get_user`
    /// returns the stored register, which `arch_timer_set_user` stores without ISTATUS
    /// (09424d5d7d4e), so a restored CNTV_CTL whose ISTATUS was set reads back without it until
    /// the vCPU runs. Neither is visible to the guest: its CNTV_CTL_EL0 is the hardware's, whose
    /// ISTATUS the hardware computes, and KVM decides on the timer's interrupt from ENABLE,
    /// IMASK and CVAL, never from the stored ISTATUS.
    ///
    /// Measured by `linux.migration.v3`: on 6.12 a CTL reads back with ISTATUS newly set (the
    /// timer expired while the VM was moved, the counter having run on), never cleared; on 7.x
    /// with ISTATUS cleared, never set.
    public var timerControlReadComputesStatus: Bool {
        switch self {
        case .debian6_12: true
        case .linux7: false
        }
    }

    /// Whether TCR2_EL1, PIRE0_EL1 and PIR_EL1 are listed (and saved) for a vCPU whose CPU has
    /// neither FEAT_TCR2 nor FEAT_S1PIE.
    ///
    /// 6.12 lists them unconditionally. 7.x hides them from userspace unless the guest has the
    /// feature: 0fcb4eea5345 "KVM: arm64: Hide TCR2_EL1 from userspace when disabled for guests"
    /// and a68cddbe47ef "KVM: arm64: Hide S1PIE registers from userspace when disabled for
    /// guests" (Mark Brown, v6.13), so a 6.12 source's register file names three registers a
    /// 7.x target refuses (QEMU works around this with per-register migration tolerances).
    ///
    /// Measured by `linux.migration.v3`, which reads the features from the vCPU's own
    /// ID_AA64MMFR3_EL1 (TCRX, S1PIE): under QEMU 7.2's `-cpu max` (neither feature) 259
    /// registers per vCPU on 6.12.118 and 257 on 7.3.4; under QEMU 11's (both features) both
    /// lines list all three.
    public var listsTCR2AndS1PIERegistersWithoutTheFeatures: Bool {
        switch self {
        case .debian6_12: true
        case .linux7: false
        }
    }

    /// Whether the firmware pseudo-register `KVM_REG_ARM_VENDOR_HYP_BMAP_2`
    /// (`KVM_REG_ARM_FW_FEAT_BMAP` index 3) exists.
    ///
    /// Added by c0000e58c74e "KVM: arm64: Introduce KVM_REG_ARM_VENDOR_HYP_BMAP_2" (Shameer
    /// Kolothum, v6.16): absent on 6.12, listed on 7.x — the other direction of the register
    /// files' mismatch.
    ///
    /// Measured by `linux.migration.v3`.
    public var listsVendorHypervisorBitmap2: Bool {
        switch self {
        case .debian6_12: false
        case .linux7: true
        }
    }

    /// The PSCI version a vCPU with `KVM_ARM_VCPU_PSCI_0_2` implements by default (minor in
    /// bits 15:0, major in 31:16), as `KVM_REG_ARM_PSCI_VERSION` reads and the guest's PSCI_VERSION
    /// call answers.
    ///
    /// 6.12: PSCI 1.1 (0x10001). 7.x: PSCI 1.3 (0x10003), since 8be82d536a9f "KVM: arm64: Add
    /// support for PSCI v1.2 and v1.3" (David Woodhouse, v6.13). The guest logs "psci: PSCIv1.1
    /// detected in firmware." or "PSCIv1.3".
    ///
    /// Measured by `linux.boot.v3` (the guest's log) and `linux.migration.v3` (the register).
    public var defaultPSCIVersion: UInt32 {
        switch self {
        case .debian6_12: 0x1_0001
        case .linux7: 0x1_0003
        }
    }
}
