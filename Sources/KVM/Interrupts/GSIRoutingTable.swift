import CKVM
import GICVocabulary

/// A whole GSI routing table: what `KVM_SET_GSI_ROUTING` installs, replacing the VM's table.
///
/// `firstProblem` checks every rule the kernel enforces, in the kernel's order, so
/// `VirtualMachine.setGSIRouting(_:)` refuses a table before the ioctl with the entry that breaks a
/// rule named (KVM.docc/InterruptRouting.md):
/// 1. at most `KVM_MAX_IRQ_ROUTES` (4096) entries, every GSI below 4096 (`kvm_vm_ioctl`,
///    `kvm_set_irq_routing`);
/// 2. then entry by entry: flags (none on an irqchip entry, only `KVM_MSI_VALID_DEVID` on an MSI
///    one); no GSI twice unless both entries are irqchip entries of different irqchips
///    (`setup_routing_entry`: on arm64, with one irqchip, never); a known type, irqchip 0 and a pin
///    below `KVM_IRQCHIP_NUM_PINS` (arm64's `kvm_set_routing_entry`).
///
/// Everything else the kernel accepts, including a pin at or above the VM's NR_IRQS − 32 (its
/// injections are dropped) and a table set before CTRL_INIT (which CTRL_INIT then replaces with
/// the default table).
public struct GSIRoutingTable: Hashable, Sendable {
    /// The entries, in the order they are sent (which decides, for a pin routed from several GSIs,
    /// which one the guest's EOI acknowledges: the last).
    public var routes: [GSIRoute]

    public init(_ routes: [GSIRoute] = []) {
        self.routes = routes
    }

    /// The table CTRL_INIT installs (`kvm_vgic_setup_default_irq_routing`): GSI n → pin n for the
    /// VM's `spiCount` = NR_IRQS − 32 SPIs.
    public static func kernelDefault(spiCount: UInt32) -> GSIRoutingTable {
        let count = min(spiCount, IRQChipPin.limit)
        return GSIRoutingTable((0..<count).map { GSIRoute(gsi: $0, kind: .irqchip(chip: 0, pin: $0)) })
    }

    /// Routes `route.gsi` by `route` alone: earlier entries for the same GSI are removed, the new
    /// one goes last.
    public mutating func replace(_ route: GSIRoute) {
        routes.removeAll { $0.gsi == route.gsi }
        routes.append(route)
    }

    /// The GSI whose acknowledgement the guest's EOI of `pin`'s SPI notifies: the last irqchip
    /// entry for the pin (`setup_routing_entry` overwrites `chip[irqchip][pin]`, and
    /// `kvm_notify_acked_irq` looks it up). nil when no entry routes the pin.
    public func acknowledgedGSI(forPin pin: UInt32) -> UInt32? {
        routes.last { $0.pin == pin }?.gsi
    }

    /// The first rule of the kernel's the table breaks, or nil when `KVM_SET_GSI_ROUTING` will
    /// accept it.
    public func firstProblem(tableFlags: UInt32 = 0) -> RoutingProblem? {
        if routes.count > Int(GSI.limit) { return .tooManyRoutes(count: routes.count, limit: GSI.limit) }
        if tableFlags != 0 { return .tableFlags(tableFlags) }
        for route in routes where route.gsi >= GSI.limit { return .gsiOutOfRange(route.gsi, limit: GSI.limit) }
        // The entries seen so far, by GSI: position and irqchip (nil for a non-irqchip entry).
        var seen: [UInt32: [(position: Int, chip: UInt32?)]] = [:]
        for (index, route) in routes.enumerated() {
            switch route.kind {
            case .msi:
                if route.flags & ~CKVM_MSI_VALID_DEVID != 0 { return .flags(gsi: route.gsi, route.flags) }
            default:
                if route.flags != 0 { return .flags(gsi: route.gsi, route.flags) }
            }
            var chip: UInt32? = nil
            if case .irqchip(let number, _) = route.kind { chip = number }
            for earlier in seen[route.gsi] ?? [] {
                if let chip, let other = earlier.chip, chip != other { continue }
                return .duplicateGSI(route.gsi, first: earlier.position, second: index)
            }
            seen[route.gsi, default: []].append((index, chip))
            switch route.kind {
            case .irqchip(let chip, let pin):
                if pin >= IRQChipPin.limit { return .pinOutOfRange(pin, limit: IRQChipPin.limit) }
                if chip >= CKVM_NR_IRQCHIPS_ARM64 { return .irqchipOutOfRange(chip, count: CKVM_NR_IRQCHIPS_ARM64) }
            case .msi:
                break
            case .other(let type):
                return .entryType(gsi: route.gsi, type)
            }
        }
        return nil
    }
}
