/// Where the kernel lines differ for device interrupts: irqfds, their resamplers and the ITS
/// device (KVM.docc/InterruptRouting.md). Each is measured by the lab's
/// `irqfd.*` and `its.*` scenarios on Debian 6.12.118 and 7.3.4 (Conformance.docc/DeviceInterrupts.md).
extension KernelBehaviour {
    /// Whether one eventfd can back irqfds in only one place on the whole host.
    ///
    /// 6.12: `kvm_irqfd_assign` refuses an eventfd already bound in the same VM (EBUSY, its walk of
    /// `kvm->irqfds.items`) but lets another VM bind it too. 7.x registers the irqfd as the
    /// eventfd's exclusive priority waiter (`kvm_irqfd_register` →
    /// `add_wait_queue_priority_exclusive`), which is EBUSY when any irqfd, of any VM, already
    /// waits on it.
    public var irqfdEventFDExclusiveAcrossVMs: Bool { self == .linux7 }

    /// Whether the guest's EOI of a level SPI notifies its resampler only when the interrupt was
    /// active and is no longer (`deactivated` in 7.x's `vgic_v3_fold_lr`, from the LR-overflow
    /// series), rather than for any list register that comes back invalid with the EOI bit (6.12's
    /// `vgic_v3_fold_lr_state`). "Active" is what the previous fold recorded, so on 7.x a guest
    /// that acknowledges and EOIs the interrupt with no exit in between is never resampled: the
    /// line stays high and the interrupt is taken again. With an exit in between (a handler that
    /// touches its device) both lines notify once. Measured: `irqfd.guest.level_resample` and
    /// `irqfd.guest.level_resample_no_exit`.
    public var notifiesAckOnlyOnDeactivation: Bool { self == .linux7 }

    /// Whether an ITS refuses a `GRP_CTRL` attribute it does not know with ENXIO.
    ///
    /// 6.12's `vgic_its_ctrl` has no default case: an unknown attribute (SAVE_PENDING_TABLES, 5,
    /// …) locks the vCPUs and answers 0. 7.x added `default: ret = -ENXIO`. `HAS_DEVICE_ATTR`
    /// answers ENXIO on both (`vgic_its_has_attr`).
    public var itsRefusesUnknownControl: Bool { self == .linux7 }
}
