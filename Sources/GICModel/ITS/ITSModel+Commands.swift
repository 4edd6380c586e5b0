import GICVocabulary

/// The command queue and each command's handler (`vgic_its_process_commands`,
/// `vgic_its_handle_command`, `vgic_its_cmd_handle_*`; GICModel.docc/ITSModel.md).
///
/// A command that fails changes nothing and reports an `ITSCommandError`, which only the model
/// sees: KVM consumes every command, advances GITS_CREADR and tells nobody.
extension ITSModel {
    /// `vgic_its_process_commands`: with the ITS enabled, every command from GITS_CREADR up to
    /// GITS_CWRITER is read from the queue in guest RAM (a slot outside it is skipped) and handled,
    /// GITS_CREADR wrapping at the end of the queue. The outcome of each, in order.
    @discardableResult
    mutating func processCommands<Memory: GuestPhysicalMemory>(
        gic: inout GICv3Model, memory: inout Memory, joins: inout [APListJoin]
    ) -> [ITSCommandOutcome] {
        guard enabled else { return [] }
        var outcomes: [ITSCommandOutcome] = []
        let base = ITSTableBase(rawValue: commandQueueBase).queueAddress
        while writeOffset != readOffset {
            if let bytes = memory.bytes(at: base &+ readOffset, count: ITSCommand.size) {
                let command = ITSCommand(bytes: bytes[...])
                let error = execute(command, gic: &gic, memory: &memory, joins: &joins)
                outcomes.append(ITSCommandOutcome(command: command, error: error))
            }
            readOffset += UInt64(ITSCommand.size)
            if readOffset == queueBytes { readOffset = 0 }
        }
        return outcomes
    }

    /// One command, as `vgic_its_handle_command` dispatches it. Nil when it did what it says.
    public mutating func execute<Memory: GuestPhysicalMemory>(
        _ command: ITSCommand, gic: inout GICv3Model, memory: inout Memory, joins: inout [APListJoin]
    ) -> ITSCommandError? {
        switch command {
        case .mapd(let device, let itt, let bits, let valid):
            return mapDevice(device, itt: itt, eventIDBits: bits, valid: valid, gic: &gic, memory: &memory)
        case .mapc(let collection, let target, let valid):
            return mapCollection(collection, target: target, valid: valid, gic: &gic, memory: memory)
        case .mapti(let device, let event, let lpi, let collection):
            return mapEvent(device, event, lpi: lpi, collection: collection, gic: &gic, memory: &memory, joins: &joins)
        case .mapi(let device, let event, let collection):
            return mapEvent(device, event, lpi: event, collection: collection, gic: &gic, memory: &memory, joins: &joins)
        case .movi(let device, let event, let collection):
            return moveEvent(device, event, to: collection, gic: &gic)
        case .discard(let device, let event):
            return discard(device, event, gic: &gic, memory: &memory)
        case .clear(let device, let event):
            guard let (d, e) = translation(device: device, event: event) else {
                return .architectural(.clearUnmappedInterrupt)
            }
            gic.updateLPI(devices[d].translations[e].lpi) { $0.interrupt.latch = false }
            return nil
        case .int(let device, let event):
            switch trigger(device: device, event: event, gic: &gic, joins: &joins) {
            case .delivered: return nil
            case .blocked: return .architectural(.intUnmappedInterrupt)
            case .refused(let errno): return .kernel(errno)
            }
        case .inv(let device, let event):
            guard let (d, e) = translation(device: device, event: event) else {
                return .architectural(.invUnmappedInterrupt)
            }
            let lpi = devices[d].translations[e].lpi
            return gic.updateLPIConfiguration(lpi, filter: nil, memory: memory, joins: &joins) ? nil : .kernel(.EFAULT)
        case .invall(let collection):
            guard isMapped(collection), let vcpu = targetVCPU(ofCollection: collection, gic: gic) else {
                return .architectural(.invallUnmappedCollection)
            }
            for lpi in gic.lpiNumbers { gic.updateLPIConfiguration(lpi, filter: vcpu, memory: memory, joins: &joins) }
            return nil
        case .movall(let from, let to):
            guard let source = gic.configuration.vcpuIndex(id: from), let destination = gic.configuration.vcpuIndex(id: to)
            else { return .architectural(.movallProcessorOutOfRange) }
            guard source != destination else { return nil }
            for lpi in gic.lpiNumbers where gic.lpis[lpi]?.target == source {
                gic.updateLPI(lpi) { $0.target = destination }
            }
            invalidateCache(gic: &gic)
            return nil
        case .sync:
            return nil
        case .other:
            return .kernel(KernelErrno(rawValue: 19))  // -ENODEV: no handler
        }
    }

    /// MAPD (`vgic_its_cmd_handle_mapd`): the DeviceID must have a device-table slot in guest RAM
    /// (else E_ITS_MAPD_DEVICE_OOR), a valid mapping at most 16 EventID bits; a device already
    /// mapped is forgotten with its translations first; unmapping writes a zero DTE.
    mutating func mapDevice<Memory: GuestPhysicalMemory>(
        _ id: UInt32, itt: UInt64, eventIDBits: UInt8, valid: Bool, gic: inout GICv3Model, memory: inout Memory
    ) -> ITSCommandError? {
        guard let slot = tableSlot(deviceTableBase, id: id, memory: memory) else {
            return .architectural(.mapdDeviceOutOfRange)
        }
        if valid && UInt32(eventIDBits) > ITSTableABI.eventIDBits { return .architectural(.mapdITTSizeOutOfRange) }
        if let index = deviceIndex(id) { freeDevice(index, gic: &gic) }
        guard valid else {
            return memory.writeDoubleword(0, at: slot) ? nil : .kernel(.EFAULT)
        }
        devices.append(ITSDevice(id: id, ittAddress: itt, eventIDBits: eventIDBits))
        return nil
    }

    /// MAPC (`vgic_its_cmd_handle_mapc`): unmapping forgets the collection (its translations keep
    /// their LPIs without it) and empties the cache; mapping needs an existing vCPU (else
    /// E_ITS_MAPC_PROCNUM_OOR) and, for a new collection, a collection-table slot in guest RAM
    /// (else E_ITS_MAPC_COLLECTION_OOR); an existing one is retargeted with every LPI through it.
    mutating func mapCollection<Memory: GuestPhysicalMemory>(
        _ id: UInt16, target: UInt32, valid: Bool, gic: inout GICv3Model, memory: Memory
    ) -> ITSCommandError? {
        guard valid else {
            if mutations.contains(.unmapCollectionDropsTranslations) {
                for d in devices.indices.reversed() {
                    for e in devices[d].translations.indices.reversed() where devices[d].translations[e].collection == id {
                        freeTranslation(device: d, entry: e, gic: &gic)
                    }
                }
            }
            freeCollection(id)
            invalidateCache(gic: &gic)
            return nil
        }
        guard let vcpu = gic.configuration.vcpuIndex(id: target) else { return .architectural(.mapcProcessorOutOfRange) }
        if let index = collectionIndex(id) {
            collections[index].target = target
            for device in devices {
                for entry in device.translations where entry.collection == id {
                    gic.updateLPI(entry.lpi) { $0.target = vcpu }
                }
            }
            return nil
        }
        guard tableSlot(collectionTableBase, id: UInt32(id), memory: memory) != nil else {
            return .architectural(.mapcCollectionOutOfRange)
        }
        collections.append(ITSCollection(id: id, target: target))
        return nil
    }

    /// MAPTI and MAPI (`vgic_its_cmd_handle_mapi`), in the kernel's order of checks: the device
    /// (E_ITS_MAPTI_UNMAPPED_DEVICE), the EventID within its ITT in guest RAM (E_ITS_MAPTI_ID_OOR),
    /// the LPI within 8192 up to what GICR_PROPBASER's IDbits cover (E_ITS_MAPTI_PHYSICALID_OOR); an
    /// event already mapped is left as it is; a collection not seen before is created unmapped
    /// (E_ITS_MAPC_COLLECTION_OOR without a table slot); then the LPI is taken (`vgic_add_lpi`),
    /// which on 7.x fails with EEXIST when another event maps it.
    mutating func mapEvent<Memory: GuestPhysicalMemory>(
        _ device: UInt32, _ event: UInt32, lpi: UInt32, collection id: UInt16, gic: inout GICv3Model, memory: inout Memory,
        joins: inout [APListJoin]
    ) -> ITSCommandError? {
        guard let d = deviceIndex(device) else { return .architectural(.maptiUnmappedDevice) }
        guard eventFits(event, in: devices[d], memory: memory) else { return .architectural(.maptiEventOutOfRange) }
        guard lpi >= ITSTableABI.firstLPI, lpi < LPITableBase.lpiLimit(gic.distributor.propbaser) else {
            return .architectural(.maptiPhysicalIDOutOfRange)
        }
        if devices[d].translations.contains(where: { $0.event == event }) { return nil }
        var created = false
        if collectionIndex(id) == nil {
            guard tableSlot(collectionTableBase, id: UInt32(id), memory: memory) != nil else {
                return .architectural(.mapcCollectionOutOfRange)
            }
            collections.append(ITSCollection(id: id, target: nil))
            created = true
        }
        let vcpu = targetVCPU(ofCollection: id, gic: gic)
        guard gic.addLPI(lpi, target: vcpu, memory: &memory, joins: &joins, mutations: mutations) != nil else {
            if created { freeCollection(id) }
            return .kernel(.EFAULT)
        }
        if kernel.itsRefusesSharedLPI {
            guard gic.lpis[lpi]?.mapped == false else {
                gic.releaseLPI(lpi)
                if created { freeCollection(id) }
                return .kernel(.EEXIST)
            }
            gic.updateLPI(lpi) {
                $0.mapped = true
                $0.target = vcpu
            }
        }
        devices[d].translations.append(ITSTranslation(event: event, lpi: lpi, collection: id))
        return nil
    }

    /// MOVI (`vgic_its_cmd_handle_movi`): the translation must exist (E_ITS_MOVI_UNMAPPED_INTERRUPT)
    /// and its collection and the new one be mapped (E_ITS_MOVI_UNMAPPED_COLLECTION); the cache is
    /// emptied and the LPI targets the new collection's vCPU.
    mutating func moveEvent(_ device: UInt32, _ event: UInt32, to id: UInt16, gic: inout GICv3Model) -> ITSCommandError? {
        guard let (d, e) = translation(device: device, event: event) else {
            return .architectural(.moviUnmappedInterrupt)
        }
        guard isMapped(devices[d].translations[e].collection), isMapped(id) else {
            return .architectural(.moviUnmappedCollection)
        }
        devices[d].translations[e].collection = id
        let vcpu = targetVCPU(ofCollection: id, gic: gic)
        invalidateCache(gic: &gic)
        gic.updateLPI(devices[d].translations[e].lpi) { $0.target = vcpu }
        return nil
    }

    /// DISCARD (`vgic_its_cmd_handle_discard`): a translation whose collection is mapped is
    /// forgotten (the LPI keeps any pending state while something else holds it) and its ITT
    /// entry zeroed; anything else is E_ITS_DISCARD_UNMAPPED_INTERRUPT.
    mutating func discard<Memory: GuestPhysicalMemory>(
        _ device: UInt32, _ event: UInt32, gic: inout GICv3Model, memory: inout Memory
    ) -> ITSCommandError? {
        guard let (d, e) = translation(device: device, event: event), isMapped(devices[d].translations[e].collection) else {
            return .architectural(.discardUnmappedInterrupt)
        }
        let slot = devices[d].ittAddress &+ UInt64(event) * UInt64(ITSTableABI.entrySize)
        invalidateCache(gic: &gic)
        freeTranslation(device: d, entry: e, gic: &gic)
        return memory.writeDoubleword(0, at: slot) ? nil : .kernel(.EFAULT)
    }

    /// `vgic_its_check_event_id`: the EventID is below 2^bits and its ITT entry is guest RAM.
    func eventFits<Memory: GuestPhysicalMemory>(_ event: UInt32, in device: ITSDevice, memory: Memory) -> Bool {
        if mutations.contains(.eventRangeUnchecked) { return true }
        guard UInt64(event) < UInt64(1) << UInt64(device.eventIDBits) else { return false }
        return memory.isGuestRAM(device.ittAddress &+ UInt64(event) * UInt64(ITSTableABI.entrySize))
    }

    /// `vgic_its_check_id`: the guest-physical address of `id`'s entry in the table `baser`
    /// describes, if the id fits the table (16 DeviceID bits, 16-bit ICIDs; a direct table of
    /// (Size + 1) 64 KiB pages; an indirect one through its Valid first-level entries) and the
    /// entry is guest RAM; nil otherwise. Valid is not checked (the kernel does not).
    func tableSlot<Memory: GuestPhysicalMemory>(_ baser: UInt64, id: UInt32, memory: Memory) -> UInt64? {
        let table = ITSTableBase(rawValue: baser)
        switch table.type {
        case ITSTableBase.deviceTableType: if id >= UInt32(1) << ITSTableABI.deviceIDBits { return nil }
        case ITSTableBase.collectionTableType: if id >= 1 << 16 { return nil }
        default: return nil
        }
        let entry = UInt64(table.entrySize)
        let size = UInt64(table.tableBytes)
        let address: UInt64
        if !table.isIndirect {
            guard UInt64(id) < size / entry else { return nil }
            address = table.tableAddress &+ UInt64(id) * entry
        } else {
            let perPage = 0x1_0000 / entry
            let index = UInt64(id) / perPage
            guard index < size / 8, let raw = memory.doubleword(at: table.tableAddress &+ index * 8) else { return nil }
            let level1 = ITSLevel1Entry(rawValue: raw)
            guard level1.valid else { return nil }
            address = level1.address &+ (UInt64(id) % perPage) * entry
        }
        return memory.isGuestRAM(address) ? address : nil
    }
}

/// What one queued command came to.
public struct ITSCommandOutcome: Hashable, Sendable, CustomStringConvertible {
    public let command: ITSCommand
    /// Nil when it did what it says.
    public let error: ITSCommandError?

    public var description: String {
        if let error { return "\(command): \(error)" }
        return "\(command)"
    }
}
