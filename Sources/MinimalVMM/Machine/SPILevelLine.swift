import GICVocabulary
import KVM

/// A device's level-sensitive interrupt output wired to an SPI with `KVM_IRQ_LINE`
/// (MinimalVMM.docc/VCPUThreads.md, "The interrupt line").
///
/// This is the one place the UART's level reaches the kernel, and the seam for injection by
/// irqfd: a line backed by an eventfd (assert) and a resample eventfd (the guest's EOI of a
/// level interrupt) replaces this type, and `SerialConsole` and `PL011` do not change. It owns a
/// duplicate of the VM fd, so it lives as long as the device needs it, and `drive` is one
/// ioctl on the VM fd, which is safe from any vCPU thread.
public struct SPILevelLine: ~Copyable {
    /// Explicit so Embedded Swift can destroy this value from other modules.
    deinit {}

    let vm: VirtualMachine
    /// The SPI.
    public let spi: SPI

    /// A line to `spi` of the VM `vm` (duplicated: the caller keeps its own fd).
    public init(vm: borrowing VirtualMachine, spi: SPI) throws(KVMError) {
        self.vm = try vm.duplicate()
        self.spi = spi
    }

    /// `KVM_IRQ_LINE` with the level.
    public func drive(_ level: Bool) throws(KVMError) {
        try vm.setIRQLine(.spi(spi), level: level)
    }
}
