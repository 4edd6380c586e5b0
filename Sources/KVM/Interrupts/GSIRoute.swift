import CKVM
import GICVocabulary

/// One entry of a GSI routing table (`struct kvm_irq_routing_entry`): a GSI and what it raises.
///
/// The typed constructors (`spi(_:gsi:)`, `msi(gsi:_:)`) build only entries the kernel accepts one
/// by one; `init(gsi:kind:extraFlags:)` builds any entry, so conformance checks can send what the
/// kernel must refuse. Whether a whole table is acceptable is `GSIRoutingTable.firstProblem`.
public struct GSIRoute: Hashable, Sendable, CustomStringConvertible {
    /// What a GSI is routed to.
    public enum Kind: Hashable, Sendable {
        /// `KVM_IRQ_ROUTING_IRQCHIP`: pin `pin` of irqchip `chip` (arm64 has only chip 0; pin n is
        /// SPI n + 32).
        case irqchip(chip: UInt32, pin: UInt32)
        /// `KVM_IRQ_ROUTING_MSI`: the message (its device id sets `KVM_MSI_VALID_DEVID`).
        case msi(MSIMessage)
        /// Any other `type`, sent with an all-zero payload.
        case other(type: UInt32)
    }

    /// The GSI (must be below `GSI.limit`).
    public var gsi: UInt32
    public var kind: Kind
    /// Flags beyond those `kind` implies, OR'ed into the entry's `flags`: 0 for every entry the
    /// kernel accepts.
    public var extraFlags: UInt32

    public init(gsi: UInt32, kind: Kind, extraFlags: UInt32 = 0) {
        self.gsi = gsi
        self.kind = kind
        self.extraFlags = extraFlags
    }

    /// `gsi` raises `spi`: irqchip 0, pin INTID − 32.
    public static func spi(_ spi: SPI, gsi: GSI) -> GSIRoute {
        GSIRoute(gsi: gsi.rawValue, kind: .irqchip(chip: 0, pin: IRQChipPin(spi).rawValue))
    }

    /// `gsi` raises irqchip pin `pin`.
    public static func pin(_ pin: IRQChipPin, gsi: GSI) -> GSIRoute {
        GSIRoute(gsi: gsi.rawValue, kind: .irqchip(chip: 0, pin: pin.rawValue))
    }

    /// `gsi` sends `message`.
    public static func msi(gsi: GSI, _ message: MSIMessage) -> GSIRoute {
        GSIRoute(gsi: gsi.rawValue, kind: .msi(message))
    }

    /// The `type` word: `KVM_IRQ_ROUTING_IRQCHIP` (1) or `KVM_IRQ_ROUTING_MSI` (2).
    public var type: UInt32 {
        switch kind {
        case .irqchip: CKVM_IRQ_ROUTING_IRQCHIP
        case .msi: CKVM_IRQ_ROUTING_MSI
        case .other(let type): type
        }
    }

    /// The `flags` word the entry is sent with.
    public var flags: UInt32 {
        if case .msi(let message) = kind { return message.flags | extraFlags }
        return extraFlags
    }

    /// The irqchip pin, for an irqchip entry.
    public var pin: UInt32? {
        if case .irqchip(_, let pin) = kind { return pin }
        return nil
    }

    public var description: String {
        var text = "GSI \(gsi) → "
        switch kind {
        case .irqchip(let chip, let pin): text += "irqchip \(chip) pin \(pin)"
        case .msi(let message): text += message.description
        case .other(let type): text += "type \(type)"
        }
        if extraFlags != 0 { text += " flags +" + hex(extraFlags) }
        return text
    }
}
