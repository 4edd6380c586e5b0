/// Why a routing table, GSI or pin was refused before `KVM_SET_GSI_ROUTING`: each case is a rule
/// the kernel enforces with EINVAL (`kvm_vm_ioctl` KVM_SET_GSI_ROUTING, `kvm_set_irq_routing`,
/// `setup_routing_entry`, arm64's `kvm_set_routing_entry`; KVM.docc/InterruptRouting.md), named
/// with the entry that breaks it.
public enum RoutingProblem: Error, Hashable, Sendable, CustomStringConvertible {
    /// More entries than `KVM_MAX_IRQ_ROUTES`.
    case tooManyRoutes(count: Int, limit: UInt32)
    /// A GSI at or above `KVM_MAX_IRQ_ROUTES`.
    case gsiOutOfRange(UInt32, limit: UInt32)
    /// An irqchip pin at or above `KVM_IRQCHIP_NUM_PINS` (988 on arm64).
    case pinOutOfRange(UInt32, limit: UInt32)
    /// An irqchip other than 0: arm64 has one (`KVM_NR_IRQCHIPS` = 1).
    case irqchipOutOfRange(UInt32, count: UInt32)
    /// Flags an entry of its type may not carry: none for an irqchip entry, only
    /// `KVM_MSI_VALID_DEVID` for an MSI entry.
    case flags(gsi: UInt32, UInt32)
    /// An entry type arm64 does not route (only irqchip and MSI entries exist there).
    case entryType(gsi: UInt32, UInt32)
    /// A GSI routed twice in a way the kernel refuses: twice to the same irqchip, or twice when
    /// either entry is not an irqchip entry. On arm64, with one irqchip, every repeated GSI.
    case duplicateGSI(UInt32, first: Int, second: Int)
    /// The header's `flags` word, which must be 0.
    case tableFlags(UInt32)

    public var description: String {
        switch self {
        case .tooManyRoutes(let count, let limit):
            "\(count) routing entries; KVM_MAX_IRQ_ROUTES is \(limit)"
        case .gsiOutOfRange(let gsi, let limit):
            "GSI \(gsi) is not below KVM_MAX_IRQ_ROUTES (\(limit))"
        case .pinOutOfRange(let pin, let limit):
            "irqchip pin \(pin) is not below KVM_IRQCHIP_NUM_PINS (\(limit): one pin per SPI 32...1019)"
        case .irqchipOutOfRange(let chip, let count):
            "irqchip \(chip) does not exist: arm64 has \(count) (KVM_NR_IRQCHIPS)"
        case .flags(let gsi, let flags):
            "the entry for GSI \(gsi) carries flags \(flags) its type does not allow"
        case .entryType(let gsi, let type):
            "the entry for GSI \(gsi) has type \(type); arm64 routes only irqchip (1) and MSI (2) entries"
        case .duplicateGSI(let gsi, let first, let second):
            "GSI \(gsi) is routed by entries \(first) and \(second); arm64 allows one route per GSI"
        case .tableFlags(let flags):
            "the routing table's flags word is \(flags); it must be 0"
        }
    }
}
