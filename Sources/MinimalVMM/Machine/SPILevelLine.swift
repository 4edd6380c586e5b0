import GICVocabulary
import KVM
import VGIC

/// A device's level-sensitive interrupt output wired to an SPI, the one place the UART's level
/// reaches the kernel (MinimalVMM.docc/VCPUThreads.md, "The interrupt line").
///
/// Two wirings, as VMMs do it:
/// - `irqfd` (the default, what Firecracker and Cloud Hypervisor do): an irqfd with a resample
///   eventfd (`VGIC.connectIRQFD(level: true)`). Asserting signals the trigger eventfd; the
///   kernel keeps the line high until the guest acknowledges the interrupt, then lowers it
///   itself and signals the resample eventfd. The device cannot lower the line: a device whose
///   condition still holds at the acknowledgement asserts again (`SerialConsole` does, from its
///   resample watcher).
/// - `irqLine`: `KVM_IRQ_LINE` with the level, high and low, on a duplicate of the VM fd.
///
/// Either way `drive` is one syscall, safe from any vCPU thread.
public struct SPILevelLine: ~Copyable {
    /// Explicit so Embedded Swift can destroy this value from other modules.
    deinit {}

    /// How a `SPILevelLine` reaches the SPI.
    public enum Wiring: Hashable, Sendable, CustomStringConvertible {
        case irqfd
        case irqLine

        public var description: String {
            switch self {
            case .irqfd: "irqfd + resample"
            case .irqLine: "KVM_IRQ_LINE"
            }
        }
    }

    let vm: VirtualMachine?
    var irqfd: IRQFDLine?
    /// The SPI.
    public let spi: SPI

    /// A `KVM_IRQ_LINE` line to `spi` of the VM `vm` (duplicated: the caller keeps its own fd).
    public init(vm: borrowing VirtualMachine, spi: SPI) throws(KVMError) {
        self.vm = try vm.duplicate()
        self.irqfd = nil
        self.spi = spi
    }

    /// An irqfd line with a resampler, connected through `gic` (initialised) to `spi`, on the
    /// SPI's default GSI.
    public init(gic: inout VGIC, spi: SPI) throws(VGICError) {
        self.vm = nil
        self.irqfd = try gic.connectIRQFD(spi, level: true)
        self.spi = spi
    }

    /// Which wiring this is.
    public var wiring: Wiring { irqfd == nil ? .irqLine : .irqfd }

    /// Brings the line to `level`: `KVM_IRQ_LINE` for that wiring; for an irqfd, raising signals
    /// the trigger and lowering does nothing (the kernel lowers the line at the guest's
    /// acknowledgement). Returns whether a syscall was made.
    @discardableResult
    public func drive(_ level: Bool) throws(KVMError) -> Bool {
        switch irqfd {
        case .some(let line):
            guard level else { return false }
            try line.assert()
            return true
        case .none:
            switch vm {
            case .some(let vm):
                try vm.setIRQLine(.spi(spi), level: level)
                return true
            case .none:
                return false
            }
        }
    }

    /// How many acknowledgements the kernel reported since the last call (the resample
    /// eventfd's count; always 0 for `KVM_IRQ_LINE`).
    public func takeAcknowledgements() throws(KVMError) -> UInt64 {
        switch irqfd {
        case .some(let line): try line.takeAcknowledgements()
        case .none: 0
        }
    }

    /// The resample eventfd's descriptor, to wait on; nil for `KVM_IRQ_LINE`.
    var resampleDescriptor: Int32? {
        switch irqfd {
        case .some(let line):
            switch line.resample {
            case .some(let resample): resample.withRawDescriptor { $0 }
            case .none: nil
            }
        case .none: nil
        }
    }

    /// Unbinds an irqfd line through the vgic that connected it (so the GSI can be connected
    /// again); a `KVM_IRQ_LINE` line just closes its fd.
    public consuming func disconnect(from gic: inout VGIC) throws(VGICError) {
        switch irqfd.take() {
        case .some(let line): try gic.disconnect(line)
        case .none: break
        }
    }
}
