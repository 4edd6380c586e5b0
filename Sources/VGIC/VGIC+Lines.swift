import GICVocabulary
import KVM

/// Driving interrupt lines with `KVM_IRQ_LINE` (Apple's `hv_gic_set_spi`, plus per-vCPU PPIs).
///
/// Safe from any thread: one ioctl on the VGIC's own VM fd. Level semantics are the GIC's: a
/// level interrupt follows the line; an edge interrupt latches on `true`, and `false` is ignored.
extension VGIC {
    /// Drives SPI `spi` (by INTID, not by irqfd GSI) to `level`.
    ///
    /// - Throws: `.configuration(.lineNotInModel)` on a GICv5, before any ioctl (there the word
    ///   would name GICv5 SPI `spi.intid`, another interrupt); `.notInitialised` (EBUSY: a
    ///   GICv3 before CTRL_INIT); `.kernel` (EINVAL: the SPI is at or above NR_IRQS).
    public func setLevel(_ spi: SPI, _ level: Bool) throws(VGICError) {
        let line = IRQLine.spi(spi)
        try requireModel(of: line)
        try setLine(line.word, level)
    }

    /// Drives PPI `ppi` of `vcpu` (targeted by vCPU id) to `level`. On a GICv5 this is
    /// `.configuration(.lineNotInModel)`: use the `GICv5PPI` form.
    public func setLevel(_ ppi: PPI, on vcpu: VCPUIdentity, _ level: Bool) throws(VGICError) {
        let line = IRQLine.ppi(ppi, vcpu: try vcpu.lineIndex())
        try requireModel(of: line)
        try setLine(line.word, level)
    }

    /// Any `KVM_IRQ_LINE` word, unchecked: what conformance checks use to send what the kernel
    /// must refuse. The typed forms above (and the GICv5 ones) check first.
    public func setLine(_ word: IRQLineWord, _ level: Bool) throws(VGICError) {
        do throws(KVMError) {
            try vm.setIRQLine(word, level: level)
        } catch {
            throw .accessing(error, initialised: isInitialised)
        }
    }
}
