import CKVM

/// `struct kvm_irq_routing` in memory: an 8-byte header (`nr`, `flags`) and `nr` 48-byte entries,
/// one flexible array the kernel copies in one piece (`vmemdup_array_user`).
///
/// Written by `VirtualMachine.setGSIRouting`, read back by the recording simulator: one
/// encoding, so what a test sees recorded is what the kernel would have been sent.
enum RoutingEncoding {
    static let headerSize = Int(CKVM_SIZEOF_IRQ_ROUTING)
    static let entrySize = Int(CKVM_SIZEOF_IRQ_ROUTING_ENTRY)

    /// Calls `body` with a zeroed buffer holding `routes` and `flags`, alive for the call.
    static func withBuffer<Result, Failure: Error>(
        _ routes: [GSIRoute], flags: UInt32, _ body: (UnsafeMutableRawPointer) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        let size = headerSize + routes.count * entrySize
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 8)
        defer { buffer.deallocate() }
        buffer.initializeMemory(as: UInt8.self, repeating: 0, count: size)
        buffer.storeBytes(of: UInt32(routes.count), toByteOffset: 0, as: UInt32.self)
        buffer.storeBytes(of: flags, toByteOffset: 4, as: UInt32.self)
        for (index, route) in routes.enumerated() {
            var entry = kvm_irq_routing_entry()
            entry.gsi = route.gsi
            entry.type = route.type
            entry.flags = route.flags
            switch route.kind {
            case .irqchip(let chip, let pin):
                entry.u.irqchip.irqchip = chip
                entry.u.irqchip.pin = pin
            case .msi(let message):
                entry.u.msi.address_lo = UInt32(truncatingIfNeeded: message.address)
                entry.u.msi.address_hi = UInt32(truncatingIfNeeded: message.address >> 32)
                entry.u.msi.data = message.data
                entry.u.msi.devid = message.deviceID ?? 0
            case .other:
                break
            }
            (buffer + headerSize + index * entrySize).storeBytes(of: entry, as: kvm_irq_routing_entry.self)
        }
        return try body(buffer)
    }

    /// The routes and flags a buffer holds (nil for a NULL pointer). A header claiming more than
    /// `KVM_MAX_IRQ_ROUTES` entries decodes as none: the kernel reads no entry of such a table.
    static func decode(_ buffer: UnsafeRawPointer?) -> (routes: [GSIRoute], flags: UInt32)? {
        guard let buffer else { return nil }
        let count = Int(buffer.load(fromByteOffset: 0, as: UInt32.self))
        let flags = buffer.load(fromByteOffset: 4, as: UInt32.self)
        // The kernel refuses more than KVM_MAX_IRQ_ROUTES before reading the entries.
        guard count <= Int(CKVM_MAX_IRQ_ROUTES) else { return ([], flags) }
        var routes: [GSIRoute] = []
        for index in 0..<count {
            let entry = (buffer + headerSize + index * entrySize).loadUnaligned(as: kvm_irq_routing_entry.self)
            let kind: GSIRoute.Kind
            var extra = entry.flags
            switch entry.type {
            case CKVM_IRQ_ROUTING_IRQCHIP:
                kind = .irqchip(chip: entry.u.irqchip.irqchip, pin: entry.u.irqchip.pin)
            case CKVM_IRQ_ROUTING_MSI:
                let hasDevice = entry.flags & CKVM_MSI_VALID_DEVID != 0
                extra &= ~CKVM_MSI_VALID_DEVID
                kind = .msi(MSIMessage(
                    address: UInt64(entry.u.msi.address_hi) << 32 | UInt64(entry.u.msi.address_lo), data: entry.u.msi.data,
                    deviceID: hasDevice ? entry.u.msi.devid : nil))
            default:
                kind = .other(type: entry.type)
            }
            routes.append(GSIRoute(gsi: entry.gsi, kind: kind, extraFlags: extra))
        }
        return (routes, flags)
    }
}
