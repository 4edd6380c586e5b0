import GICModel
import GICVocabulary
import KVM

/// The model side of a scenario's irqfds (KVM.docc/InterruptRouting.md): a signal is what the
/// kernel's irqfd wake-up does, `kvm_vgic_inject_irq` of the SPI with level 1 (an edge for an
/// edge SPI, the line raised for a level one); a resampling irqfd registers its SPI with the
/// delivery model, which lowers the line and counts an acknowledgement when the guest's EOI of
/// the level SPI comes back through the EOI maintenance interrupt (`kvm_notify_acked_irq`).
extension GuestModelMachine {
    /// Registers every resampling irqfd's SPI (before the setup actions, as the kernel side wires
    /// them before its setup).
    mutating func registerIRQFDs() {
        for wiring in scenario.irqfds where wiring.resample { delivery.addResampler(spi: wiring.spi) }
    }

    mutating func signalIRQFD(_ n: Int) throws(HostFailure) {
        let wiring = try irqfd(n)
        guard let spi = try? SPI(intid: wiring.spi) else { throw .rejected("SPI \(wiring.spi)") }
        do throws(ModelRefusal) {
            try delivery.hostSetLine(IRQLineWord.spi(spi), level: true)
        } catch {
            // The kernel's irqfd swallows a refused injection; the write itself succeeded.
        }
    }

    mutating func takeResample(_ n: Int) throws(HostFailure) -> UInt64 {
        let wiring = try irqfd(n)
        return wiring.resample ? delivery.takeAcknowledgements(spi: wiring.spi) : 0
    }

    private func irqfd(_ n: Int) throws(HostFailure) -> GuestIRQFD {
        guard scenario.irqfds.indices.contains(n) else { throw .rejected("no irqfd \(n)") }
        return scenario.irqfds[n]
    }
}
