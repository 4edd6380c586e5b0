/// The virtual CPU interface a guest's ICC_* accesses reach (ICV_*), where implementations may
/// choose: the lab's host is QEMU 7.2's TCG emulation of a GICv3 with virtualization.
///
/// Each choice is named with where it comes from, so a hardware host is a new value, not a
/// silent difference (GICModel.docc/GuestDelivery.md).
public struct VirtualInterface: Hashable, Sendable {
    /// ICH_VTR_EL2.ListRegs + 1.
    public var listRegisters: Int
    /// An EOI of INTID 1020–1023 returns before the priority drop (`icv_eoir_write`:
    /// `gicv3_intid_is_special` returns first). The model's uaccess-era guest functions drop
    /// first; the lab settles which the guest sees.
    public var specialEOIKeepsPriority: Bool
    /// An EOI that finds no active list register for its INTID adds to EOIcount even in
    /// EOImode 1 (`icv_eoir_write` has no EOImode test on that path; still so upstream).
    public var eoiMissCountsInEOIMode1: Bool
    /// The VGrp0D maintenance condition tests Group 1's enable (`maintenance_interrupt_state`
    /// checks VENG1 for VGRP0DIE): with Group 0 enabled and Group 1 disabled, a 7.x kernel,
    /// which sets VGrp0DIE whenever Group 0 is enabled, sees a maintenance interrupt forever.
    public var group0DisableTestsGroup1: Bool
    /// The priority bits a list register keeps (ICH_VTR_EL2.PRIbits + 1): `ich_lr_write` zeroes
    /// the others, which matters for LPIs, whose property-table priority keeps 6 bits.
    public var priorityBits = 5

    /// The priority bits a list register keeps, as a mask.
    public var priorityMask: UInt8 { UInt8(truncatingIfNeeded: 0xFF << (8 - priorityBits)) }

    public init(listRegisters: Int, specialEOIKeepsPriority: Bool, eoiMissCountsInEOIMode1: Bool, group0DisableTestsGroup1: Bool) {
        self.listRegisters = listRegisters
        self.specialEOIKeepsPriority = specialEOIKeepsPriority
        self.eoiMissCountsInEOIMode1 = eoiMissCountsInEOIMode1
        self.group0DisableTestsGroup1 = group0DisableTestsGroup1
    }

    /// QEMU 7.2 (Debian 1:7.2+dfsg-7+deb12u18), `-cpu max`: 4 list registers
    /// (`aarch64_a57_initfn`: `gic_num_lrs = 4`), `hw/intc/arm_gicv3_cpuif.c` as above.
    public static let qemu7_2 = VirtualInterface(
        listRegisters: 4, specialEOIKeepsPriority: true, eoiMissCountsInEOIMode1: true, group0DisableTestsGroup1: true)
}

/// A vCPU's EL1 virtual timer as the guest programs it (CNTV_CTL_EL0, CNTV_CVAL_EL0).
///
/// The model has no clock: a timer that is enabled and unmasked reaches its deadline when the
/// guest waits (WFI), which is when a real guest that arms a short timer and waits sees it
/// fire. `expired` then stays true (ISTATUS) until the guest disables the timer or programs a
/// new deadline.
public struct VirtualTimer: Hashable, Sendable {
    /// CNTV_CTL_EL0.ENABLE.
    public var enabled = false
    /// CNTV_CTL_EL0.IMASK.
    public var masked = false
    /// The deadline has passed.
    public var expired = false
    /// The physical PPI is active: KVM forwarded it to the guest and the guest has not
    /// deactivated it yet (the host does not deactivate a forwarded interrupt).
    public var physicalActive = false

    public init() {}

    /// The timer's output: ENABLE, ISTATUS and not IMASK.
    public var firing: Bool { enabled && !masked && expired }

    /// CNTV_CTL_EL0 as the guest reads it: ENABLE (0), IMASK (1), ISTATUS (2).
    public var control: UInt64 {
        (enabled ? 1 : 0) | (masked ? 2 : 0) | (enabled && expired ? 4 : 0)
    }
}
