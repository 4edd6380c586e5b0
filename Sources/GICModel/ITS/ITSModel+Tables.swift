import GICVocabulary

/// `KVM_DEV_ARM_ITS_SAVE_TABLES` and `KVM_DEV_ARM_ITS_RESTORE_TABLES` with table ABI revision 0
/// (`vgic_its_save_tables_v0`, `vgic_its_restore_tables_v0` and their helpers; the entry formats
/// are `ITSDeviceTableEntry`, `ITSTranslationTableEntry`, `ITSCollectionTableEntry`;
/// GICModel.docc/ITSModel.md).
extension ITSModel {
    // MARK: Save

    /// Writes the device table with every device's ITT, then the collection table, into guest
    /// RAM. Sorts the devices by DeviceID and each ITT by EventID, as the kernel's save does. The
    /// errno of the first write that failed (EFAULT), or nil.
    public mutating func saveTables<Memory: GuestPhysicalMemory>(into memory: inout Memory) -> KernelErrno? {
        if let errno = saveDeviceTable(into: &memory) { return errno }
        return saveCollectionTable(into: &memory)
    }

    /// `vgic_its_save_device_tables`: nothing unless GITS_BASER0 is Valid; a device whose DeviceID
    /// has no table slot in guest RAM is skipped; each device's ITT, then its DTE.
    mutating func saveDeviceTable<Memory: GuestPhysicalMemory>(into memory: inout Memory) -> KernelErrno? {
        guard deviceTableBase & ITSRegister.validBit != 0 else { return nil }
        devices = stableSorted(devices) { $0.id < $1.id }
        for d in devices.indices {
            guard let slot = tableSlot(deviceTableBase, id: devices[d].id, memory: memory) else { continue }
            devices[d].translations = stableSorted(devices[d].translations) { $0.event < $1.event }
            let device = devices[d]
            for (position, entry) in device.translations.enumerated() {
                let address = device.ittAddress &+ UInt64(entry.event) * UInt64(ITSTableABI.entrySize)
                let raw = translationEntry(device.translations, position).rawValue
                guard memory.writeDoubleword(raw, at: address) else { return .EFAULT }
            }
            let dte = ITSDeviceTableEntry(
                next: nextDeviceOffset(after: d, memory: memory), ittAddress: device.ittAddress, eventIDBits: device.eventIDBits)
            guard memory.writeDoubleword(dte.rawValue, at: slot) else { return .EFAULT }
        }
        return nil
    }

    /// The ITE saved for the translation at `position` of a sorted ITT (`vgic_its_save_ite`): a
    /// zero entry for one without a collection; otherwise the LPI, the collection and the EventID
    /// offset to the next translation that the line's rule counts
    /// (`KernelBehaviour.itsNextEventSkipsUncollected`), capped at 2^16 − 1.
    func translationEntry(_ translations: [ITSTranslation], _ position: Int) -> ITSTranslationTableEntry {
        let entry = translations[position]
        guard let collection = entry.collection else { return ITSTranslationTableEntry(next: 0, lpi: 0, collection: 0) }
        var next: UInt32 = 0
        for later in translations[(position + 1)...] {
            if kernel.itsNextEventSkipsUncollected && later.collection == nil { continue }
            next = Swift.min(later.event - entry.event, ITSTableABI.eventOffsetLimit)
            break
        }
        return ITSTranslationTableEntry(next: UInt16(next), lpi: entry.lpi, collection: collection)
    }

    /// `compute_next_devid_offset`: the DeviceID offset to the next device (in the sorted list)
    /// that has a table slot, capped at 2^14 − 1; 0 for none.
    func nextDeviceOffset<Memory: GuestPhysicalMemory>(after d: Int, memory: Memory) -> UInt32 {
        for later in devices[(d + 1)...] where tableSlot(deviceTableBase, id: later.id, memory: memory) != nil {
            return Swift.min(later.id - devices[d].id, ITSTableABI.deviceOffsetLimit)
        }
        return 0
    }

    /// `vgic_its_save_collection_table`: nothing unless GITS_BASER1 is Valid; one CTE per
    /// collection in list order from the table's start, then an invalid entry unless the table is
    /// full.
    func saveCollectionTable<Memory: GuestPhysicalMemory>(into memory: inout Memory) -> KernelErrno? {
        let table = ITSTableBase(rawValue: collectionTableBase)
        guard table.isValid else { return nil }
        var address = table.tableAddress
        var filled = 0
        let order = mutations.contains(.collectionTableSorted) ? stableSorted(collections) { $0.id < $1.id } : collections
        for collection in order {
            let entry = ITSCollectionTableEntry(target: collection.target ?? ITSTableABI.unmappedTarget, collection: collection.id)
            guard memory.writeDoubleword(entry.rawValue, at: address) else { return .EFAULT }
            address &+= UInt64(ITSTableABI.entrySize)
            filled += ITSTableABI.entrySize
        }
        if filled == table.tableBytes { return nil }
        return memory.writeDoubleword(0, at: address) ? nil : .EFAULT
    }

    // MARK: Restore

    /// Rebuilds collections, devices and translations from the tables in guest RAM: the collection
    /// table, then the device table with each device's ITT. Each LPI a translation names is taken
    /// as a MAPTI takes it (property and pending tables read, the consumed pending bit cleared).
    /// The errno the kernel returns: EFAULT for a table entry outside guest RAM, EINVAL for an
    /// entry that breaks a rule, EEXIST for a collection listed twice; after a failure the
    /// collections and devices restored so far are forgotten again.
    public mutating func restoreTables<Memory: GuestPhysicalMemory>(
        gic: inout GICv3Model, memory: inout Memory
    ) -> (errno: KernelErrno?, joins: [APListJoin]) {
        var joins: [APListJoin] = []
        if let errno = restoreCollectionTable(gic: gic, memory: memory) { return (errno, joins) }
        if let errno = restoreDeviceTable(gic: &gic, memory: &memory, joins: &joins) {
            freeCollections()
            return (errno, joins)
        }
        return (nil, joins)
    }

    /// `vgic_its_restore_collection_table`: entries from the start until an invalid one or the
    /// table's end; each must target an existing vCPU or none, be new, and have a table slot.
    mutating func restoreCollectionTable<Memory: GuestPhysicalMemory>(gic: GICv3Model, memory: Memory) -> KernelErrno? {
        let table = ITSTableBase(rawValue: collectionTableBase)
        guard table.isValid else { return nil }
        var address = table.tableAddress
        var read = 0
        while read < table.tableBytes {
            guard let raw = memory.doubleword(at: address) else {
                freeCollections()
                return .EFAULT
            }
            let entry = ITSCollectionTableEntry(rawValue: raw)
            guard entry.valid else { return nil }
            if entry.isMapped && gic.configuration.vcpuIndex(id: entry.target) == nil {
                freeCollections()
                return .EINVAL
            }
            if collectionIndex(entry.collection) != nil {
                freeCollections()
                return .EEXIST
            }
            guard tableSlot(collectionTableBase, id: UInt32(entry.collection), memory: memory) != nil else {
                freeCollections()
                return .EINVAL
            }
            collections.append(ITSCollection(id: entry.collection, target: entry.isMapped ? entry.target : nil))
            address &+= UInt64(ITSTableABI.entrySize)
            read += ITSTableABI.entrySize
        }
        return nil
    }

    /// `vgic_its_restore_device_tables`: a direct table scanned from DeviceID 0 following each
    /// valid DTE's `next`, or an indirect one through each Valid first-level entry's page.
    mutating func restoreDeviceTable<Memory: GuestPhysicalMemory>(
        gic: inout GICv3Model, memory: inout Memory, joins: inout [APListJoin]
    ) -> KernelErrno? {
        let table = ITSTableBase(rawValue: deviceTableBase)
        guard table.isValid else { return nil }
        var result: ScanResult
        if table.isIndirect {
            result = .continued
            var index: UInt64 = 0
            let entries = UInt64(table.tableBytes / 8)
            scan: while index < entries {
                guard let raw = memory.doubleword(at: table.tableAddress &+ index * 8) else {
                    result = .failed(.EFAULT)
                    break
                }
                let level1 = ITSLevel1Entry(rawValue: raw)
                if level1.valid {
                    let perPage = UInt32(0x1_0000 / ITSTableABI.entrySize)
                    let inner = scanDevices(
                        from: level1.address, bytes: 0x1_0000, firstID: UInt32(index) * perPage, gic: &gic, memory: &memory,
                        joins: &joins)
                    switch inner {
                    case .continued: break
                    case .ended, .failed:
                        result = inner
                        break scan
                    }
                }
                index += 1
            }
        } else {
            result = scanDevices(
                from: table.tableAddress, bytes: table.tableBytes, firstID: 0, gic: &gic, memory: &memory, joins: &joins)
        }
        if case .failed(let errno) = result {
            freeDevices(gic: &gic)
            return errno
        }
        return nil
    }

    /// What a table scan came to (`scan_its_table`'s return: 1, 0, or an error).
    enum ScanResult {
        /// The table's end came before an entry said it was the last (1).
        case continued
        /// An entry said it was the last (0).
        case ended
        case failed(KernelErrno)
    }

    /// `scan_its_table` of DTEs with `vgic_its_restore_dte`.
    mutating func scanDevices<Memory: GuestPhysicalMemory>(
        from base: UInt64, bytes: Int, firstID: UInt32, gic: inout GICv3Model, memory: inout Memory, joins: inout [APListJoin]
    ) -> ScanResult {
        var id = firstID
        var address = base
        var remaining = UInt64(bytes)
        while true {
            guard let raw = memory.doubleword(at: address) else { return .failed(.EFAULT) }
            let entry = ITSDeviceTableEntry(rawValue: raw)
            var next: UInt32 = 1
            if entry.valid {
                if UInt32(entry.eventIDBits) > ITSTableABI.eventIDBits { return .failed(.EINVAL) }
                guard tableSlot(deviceTableBase, id: id, memory: memory) != nil else { return .failed(.EINVAL) }
                devices.append(ITSDevice(id: id, ittAddress: entry.ittAddress, eventIDBits: entry.eventIDBits))
                if let errno = restoreTranslations(ofDevice: devices.count - 1, gic: &gic, memory: &memory, joins: &joins) {
                    freeDevice(devices.count - 1, gic: &gic)
                    return .failed(errno)
                }
                next = entry.next
                if next == 0 { return .ended }
            }
            let step = UInt64(next) * UInt64(ITSTableABI.entrySize)
            if step >= remaining { return .continued }
            id += next
            address &+= step
            remaining -= step
        }
    }

    /// `vgic_its_restore_itt`: `scan_its_table` of the device's ITT with `vgic_its_restore_ite`.
    mutating func restoreTranslations<Memory: GuestPhysicalMemory>(
        ofDevice d: Int, gic: inout GICv3Model, memory: inout Memory, joins: inout [APListJoin]
    ) -> KernelErrno? {
        let device = devices[d]
        var event: UInt32 = 0
        var address = device.ittAddress
        var remaining = (UInt64(1) << UInt64(device.eventIDBits)) * UInt64(ITSTableABI.entrySize)
        while true {
            guard let raw = memory.doubleword(at: address) else { return .EFAULT }
            let entry = ITSTranslationTableEntry(rawValue: raw)
            var next: UInt32 = 1
            if entry.isValid {
                if entry.lpi < ITSTableABI.firstLPI { return .EINVAL }
                next = UInt32(entry.next)
                if UInt64(event) + UInt64(next) >= UInt64(1) << UInt64(device.eventIDBits) { return .EINVAL }
                guard collectionIndex(entry.collection) != nil else { return .EINVAL }
                guard eventFits(event, in: device, memory: memory) else { return .EINVAL }
                let vcpu = targetVCPU(ofCollection: entry.collection, gic: gic)
                guard gic.addLPI(entry.lpi, target: vcpu, memory: &memory, joins: &joins, mutations: mutations) != nil else {
                    return .EFAULT
                }
                var keep = true
                if kernel.itsRefusesSharedLPI {
                    if gic.lpis[entry.lpi]?.mapped == true {
                        gic.releaseLPI(entry.lpi)
                        keep = false
                    } else {
                        gic.updateLPI(entry.lpi) {
                            $0.mapped = true
                            $0.target = vcpu
                        }
                    }
                }
                if keep {
                    devices[d].translations.append(ITSTranslation(event: event, lpi: entry.lpi, collection: entry.collection))
                }
                if next == 0 { return nil }
            }
            let step = UInt64(next) * UInt64(ITSTableABI.entrySize)
            if step >= remaining { return nil }
            event += next
            address &+= step
            remaining -= step
        }
    }
}
