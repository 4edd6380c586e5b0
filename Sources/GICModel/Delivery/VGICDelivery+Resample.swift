import GICVocabulary

/// Resampling irqfds (KVM.docc/InterruptRouting.md): the level SPIs whose acknowledgement a VMM
/// listens for. When the guest deactivates such an SPI through a list register that asked for
/// the EOI maintenance interrupt, folding that register notifies the resampler
/// (`kvm_notify_acked_irq` in `vgic_v3_fold_lr_state` / `vgic_v3_fold_lr`): it lowers the line
/// (`irqfd_resampler_ack`: `kvm_set_irq(gsi, 0)`) and signals the resample eventfd, counted here
/// until the host takes the count.
extension VGICDelivery {
    /// Registers a resampler for SPI `spi`.
    public mutating func addResampler(spi: UInt32) {
        if resampledSPIs[spi] == nil { resampledSPIs[spi] = 0 }
    }

    /// The acknowledgements of `spi` since the last call (the resample eventfd's count).
    public mutating func takeAcknowledgements(spi: UInt32) -> UInt64 {
        guard let count = resampledSPIs[spi] else { return 0 }
        resampledSPIs[spi] = 0
        return count
    }

    /// Whether folding `register` notifies the SPI's ack notifier: the register came back
    /// invalid with the EOI bit and without HW, for a valid SPI; 7.x also requires the interrupt
    /// to have been active before (`KernelBehaviour.notifiesAckOnlyOnDeactivation`).
    func notifiesAcknowledgement(_ register: ListRegister, deactivated: Bool) -> Bool {
        guard register.state == .invalid, register.maintenanceOnEOI, register.physicalINTID == nil,
            register.intid >= GICv3Model.privateCount, gic.exists(register.intid)
        else { return false }
        return deactivated || !kernel.notifiesAckOnlyOnDeactivation
    }

    /// `kvm_notify_acked_irq` for `spi`: a resampler lowers the line and counts one signal.
    mutating func notifyAcknowledged(_ spi: UInt32) {
        guard let count = resampledSPIs[spi], let number = try? SPI(intid: spi) else { return }
        try? gic.setLine(IRQLineWord.spi(number), level: false)
        resampledSPIs[spi] = count + 1
    }
}
