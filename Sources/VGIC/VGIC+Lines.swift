import GICVocabulary
import KVM

/// Driving interrupt lines with `KVM_IRQ_LINE` (Apple's `hv_gic_set_spi`, plus per-vCPU PPIs).
///
/// Safe from any thread: one ioctl on the VGIC's own VM fd. Level semantics are the GIC's: a
/// level interrupt follows the line; an edge interrupt latches on `true`, and `false` is ignored.
extension VGIC {
    /// Drives SPI `spi` (by INTID, not by irqfd GSI) to `level`.
    ///
    /// - Throws: `.notInitialised` (EBUSY: a GICv3 before CTRL_INIT); `.kernel` (EINVAL: the
    ///   SPI is at or above NR_IRQS).
    public func setLevel(_ spi: SPI, _ level: Bool) throws(VGICError) {
        try setLine(.spi(spi), level)
    }

    /// Drives PPI `ppi` of `vcpu` (targeted by vCPU id) to `level`.
    public func setLevel(_ ppi: PPI, on vcpu: VCPUIdentity, _ level: Bool) throws(VGICError) {
        try setLine(.ppi(ppi, vcpu: try vcpu.lineIndex()), level)
    }

    /// Any `KVM_IRQ_LINE` word, for the GICv5 PPI form and conformance checks.
    public func setLine(_ word: IRQLineWord, _ level: Bool) throws(VGICError) {
        do throws(KVMError) {
            try vm.setIRQLine(word, level: level)
        } catch {
            throw .accessing(error, initialised: isInitialised)
        }
    }
}
