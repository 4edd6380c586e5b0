import CKVM
import GICVocabulary

/// A global system interrupt number: what `KVM_IRQFD` and `KVM_SET_GSI_ROUTING` name an
/// interrupt route by.
///
/// On arm64 a GSI means nothing by itself: the routing table maps it to an irqchip pin (pin n is
/// SPI INTID n + 32) or to an MSI. After CTRL_INIT the kernel installs the default table, GSI n →
/// pin n for every SPI (`kvm_vgic_setup_default_irq_routing`), so there, and only there, GSI n is
/// SPI n + 32 (KVM.docc/InterruptRouting.md). A routing table holds at most
/// `KVM_MAX_IRQ_ROUTES` GSIs, 0...4095 (`kvm_set_irq_routing` refuses any other with EINVAL), so a
/// GSI outside that range can never be routed and is refused when it is built.
public struct GSI: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The number, below `GSI.limit`.
    public let rawValue: UInt32

    /// `KVM_MAX_IRQ_ROUTES` (4096): GSIs are 0..<limit, and a table has at most this many entries.
    public static let limit = CKVM_MAX_IRQ_ROUTES

    /// GSI `value`, or `.gsiOutOfRange` if no routing table can hold it.
    public init(_ value: UInt32) throws(RoutingProblem) {
        guard value < GSI.limit else { throw .gsiOutOfRange(value, limit: GSI.limit) }
        rawValue = value
    }

    /// The GSI the kernel's default routing gives `spi`: its pin, INTID − 32.
    public init(defaultFor spi: SPI) {
        rawValue = spi.intid - 32
    }

    public static func < (lhs: GSI, rhs: GSI) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String { "GSI \(rawValue)" }
}

/// An input of the vgic's one irqchip (irqchip 0): pin n is SPI INTID n + 32.
///
/// `kvm_set_routing_entry` (arch/arm64/kvm/vgic/vgic-irqfd.c) refuses a pin at or above
/// `KVM_IRQCHIP_NUM_PINS` (988, one per possible SPI 32...1019) with EINVAL; a pin at or above the
/// VM's NR_IRQS − 32 is accepted and its injections are dropped (`vgic_valid_spi`).
public struct IRQChipPin: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: UInt32

    /// `KVM_IRQCHIP_NUM_PINS` on arm64: 1020 − 32.
    public static let limit = CKVM_IRQCHIP_NUM_PINS

    /// Pin `value`, or `.pinOutOfRange`.
    public init(_ value: UInt32) throws(RoutingProblem) {
        guard value < IRQChipPin.limit else { throw .pinOutOfRange(value, limit: IRQChipPin.limit) }
        rawValue = value
    }

    /// The pin of `spi`: INTID − 32.
    public init(_ spi: SPI) {
        rawValue = spi.intid - 32
    }

    /// The SPI this pin raises.
    public var spi: SPI {
        // A pin below 988 is an INTID below 1020: always an SPI.
        (try? SPI(index: rawValue))!
    }

    public static func < (lhs: IRQChipPin, rhs: IRQChipPin) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String { "pin \(rawValue) (SPI \(rawValue + 32))" }
}
