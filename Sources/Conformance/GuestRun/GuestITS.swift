import GICVocabulary
import GuestHarness

/// A device's MSI wired through an irqfd on an MSI route (`VGIC.connectMSI`): the DeviceID and
/// EventID the ITS translates, and the GSI of the route.
struct GuestMSIRoute: Hashable, Sendable {
    var device: UInt32
    var event: UInt32
    var gsi: UInt32
}

/// The ITS of a guest scenario and the LPI tables behind it: where they are in the guest's RAM
/// (the upper mebibyte, `ITSLabLayout`, which the runtime does not use), and the setup a driver
/// performs to bring LPIs up, as host actions (Conformance.docc/ITSLab.md).
enum GuestITS {
    static let base = ITSLabLayout.its
    static let commandQueue = ITSLabLayout.commandQueue
    static let commandQueueBytes = ITSLabLayout.commandQueueBytes
    /// LPIs the guest scenarios use: 8192 ..< 8192 + `lpiCount`.
    static let lpiCount = 256

    /// What a driver does before its first MSI: every LPI's property byte (enabled, `priority`),
    /// each vCPU's GICR_PROPBASER (16 ID bits) and GICR_PENDBASER (a zeroed 64 KiB pending table),
    /// EnableLPIs on each, the device table (one 64 KiB page) and collection table, the command
    /// queue, GITS_CTLR.Enabled, then `commands` through the queue.
    static func bringUp(vcpus: Int, priority: UInt8 = 0xA0, commands: [ITSCommand]) -> [HostAction] {
        var actions: [HostAction] = [
            .writeRAM(address: ITSLabLayout.propertyTable, [UInt8](repeating: ITSLabLayout.property(priority: priority), count: lpiCount))
        ]
        for vcpu in 0..<vcpus {
            actions.append(.setRedistributor(.gicrPROPBASER, vcpu: vcpu, index: 0, ITSLabLayout.propbaser))
            actions.append(.setRedistributor(.gicrPENDBASER, vcpu: vcpu, index: 0, ITSLabLayout.pendingTable(vcpu)))
        }
        for vcpu in 0..<vcpus { actions.append(.enableLPIs(vcpu: vcpu)) }
        actions += [
            .setITS(.gitsBASER, index: 0, ITSRegister.validBit | ITSLabLayout.deviceTable),
            .setITS(.gitsBASER, index: 1, ITSLabLayout.collectionTableBase),
            .setITS(.gitsCBASER, index: 0, ITSLabLayout.commandQueueBase),
            .setITS(.gitsCTLR, index: 0, 1),
        ]
        return actions + commands.map { .itsCommand($0) }
    }

    /// The ITT of device `device` (256 bytes: 32 events).
    static func itt(_ device: UInt32) -> UInt64 { ITSLabLayout.itt(device) }
}
