import GICVocabulary

/// KVM's vgic-its as a value: its registers, the devices with their interrupt translation tables,
/// the collections, the command queue and the translation cache, with the kernel's rules for each
/// (`arch/arm64/kvm/vgic/vgic-its.c` of Debian 6.12.118 and 7.3.4; GICModel.docc/ITSModel.md).
///
/// The LPIs themselves live in the vgic (`GICv3Model.lpis`), shared by every ITS of the VM as
/// KVM's `lpi_xa` is; guest RAM is a `GuestPhysicalMemory`. So every operation that can touch an
/// LPI or a table takes both, and reports the ap_list joins it made (`APListJoin`) for a delivery
/// model to mirror.
///
/// Where 6.12 and 7.x differ the kernel line decides (`KernelBehaviour+ITS.swift`).
public struct ITSModel: Hashable, Sendable {
    /// The kernel line whose rules apply.
    public let kernel: KernelBehaviour
    /// Deliberate errors, for the mutation check only.
    public let mutations: ITSMutation

    /// GITS_CTLR.Enabled.
    public internal(set) var enabled = false
    /// GITS_IIDR.Revision: the table ABI (only 0 exists).
    public internal(set) var abiRevision: UInt32 = 0
    /// GITS_CBASER, GITS_CREADR, GITS_CWRITER.
    public internal(set) var commandQueueBase: UInt64 = 0
    public internal(set) var readOffset: UInt64 = 0
    public internal(set) var writeOffset: UInt64 = 0
    /// GITS_BASER0 (devices) and GITS_BASER1 (collections).
    public internal(set) var deviceTableBase: UInt64 = ITSRegister.gitsBASER.reset[0]
    public internal(set) var collectionTableBase: UInt64 = ITSRegister.gitsBASER.reset[1]
    /// The mapped devices, in KVM's list order (a table save sorts it by DeviceID).
    public internal(set) var devices: [ITSDevice] = []
    /// The collections, in KVM's list order (creation order; the collection table is saved in it).
    public internal(set) var collections: [ITSCollection] = []
    /// The translation cache: (DeviceID, EventID) → LPI, filled by each translation the slow path
    /// made, each entry holding a reference to its LPI (`vgic_its_cache_translation`).
    public internal(set) var cache: [ITSEventKey: UInt32] = [:]

    /// A freshly created ITS (`vgic_its_create`): disabled, no queue, tables not Valid.
    public init(kernel: KernelBehaviour, mutations: ITSMutation = []) {
        self.kernel = kernel
        self.mutations = mutations
    }

    /// The command queue's size in bytes: (GITS_CBASER.Size + 1) × 4 KiB.
    var queueBytes: UInt64 { UInt64(ITSTableBase(rawValue: commandQueueBase).queueBytes) }

    // MARK: Registers

    /// The 64-bit value of the register at `offset` (the ID registers and 32-bit registers in the
    /// low word); 0 where no register is.
    public func registerValue(at offset: UInt32) -> UInt64 {
        switch offset & ~7 {
        case 0x0:
            if offset & 4 != 0 { return UInt64(identification) }
            return UInt64(control)
        case ITSRegister.gitsTYPER.offset: return ITSRegister.gitsTYPER.reset[0]
        case ITSRegister.gitsCBASER.offset: return commandQueueBase
        case ITSRegister.gitsCWRITER.offset: return writeOffset
        case ITSRegister.gitsCREADR.offset: return readOffset
        case ITSRegister.gitsBASER.offset: return deviceTableBase
        case ITSRegister.gitsBASER.offset + 8: return collectionTableBase
        default:
            if let register = ITSRegister.containing(offset), register == .gitsIDREGS {
                return register.reset[Int((offset - register.offset) / 4)]
            }
            return 0
        }
    }

    /// GITS_CTLR: Quiescent while GITS_CREADR = GITS_CWRITER, Enabled.
    var control: UInt32 { (readOffset == writeOffset ? 1 << 31 : 0) | (enabled ? 1 : 0) }

    /// GITS_IIDR: the ABI revision, KVM's product id, Arm's implementer.
    var identification: UInt32 { abiRevision << 12 | UInt32(truncatingIfNeeded: ITSRegister.gitsIIDR.reset[0]) & ~0xF000 }

    /// A guest read of `bytes` (4 or 8) at `offset` of the ITS frame (`extract_bytes` of the
    /// register: a 32-bit read of a 64-bit register's upper half reads bits 63:32).
    public func guestRead(offset: UInt32, bytes: Int = 4) -> UInt64 {
        let value = registerValue(at: offset & ~3)
        if bytes == 8 { return value }
        if offset & 4 != 0, let register = ITSRegister.containing(offset), register.width == .bits64 {
            return value >> 32
        }
        return value & 0xFFFF_FFFF
    }

    /// A guest write of `bytes` (4 or 8) at `offset` of the ITS frame (`its_registers[]`'s
    /// `its_write` hooks). Writes to registers without a guest write hook, to holes and to
    /// GITS_TRANSLATER change nothing (KVM emulates no guest MSI write).
    public mutating func guestWrite<Memory: GuestPhysicalMemory>(
        offset: UInt32, bytes: Int = 4, _ value: UInt64, gic: inout GICv3Model, memory: inout Memory
    ) -> [APListJoin] {
        guard let register = ITSRegister.containing(offset) else { return [] }
        var joins: [APListJoin] = []
        let widened = bytes == 8 ? value : value & 0xFFFF_FFFF
        switch register {
        case .gitsCTLR:
            writeControl(UInt32(truncatingIfNeeded: widened), gic: &gic, memory: &memory, joins: &joins)
        case .gitsCBASER:
            writeCommandQueueBase(Self.updated(commandQueueBase, offset, bytes, widened))
        case .gitsCWRITER:
            writeCommandWriter(Self.updated(writeOffset, offset, bytes, widened), gic: &gic, memory: &memory, joins: &joins)
        case .gitsBASER:
            let index = (offset - register.offset) / 8
            let old = index == 0 ? deviceTableBase : collectionTableBase
            writeTableBase(index, Self.updated(old, offset, bytes, widened), gic: &gic)
        default:
            break  // GITS_IIDR, GITS_TYPER, GITS_CREADR, the ID registers: write-ignored for the guest
        }
        return joins
    }

    /// A userspace write through `KVM_DEV_ARM_VGIC_GRP_ITS_REGS` of element `index` of `register`:
    /// the guest's write with a whole 64-bit value, except the two userspace hooks (GITS_IIDR
    /// selects the ABI revision, EINVAL beyond 0; GITS_CREADR is stored, EBUSY while enabled,
    /// EINVAL at or beyond the queue). The errno, or nil.
    public mutating func userspaceWrite<Memory: GuestPhysicalMemory>(
        _ register: ITSRegister, index: UInt32 = 0, _ value: UInt64, gic: inout GICv3Model, memory: inout Memory
    ) -> (errno: KernelErrno?, joins: [APListJoin]) {
        switch register.uaccess(ofElement: index) {
        case .abiRevision:
            let revision = UInt32(value >> 12 & 0xF)
            guard revision == 0 else { return (.EINVAL, []) }
            abiRevision = revision
            return (nil, [])
        case .commandReader:
            if enabled { return (.EBUSY, []) }
            let offset = value & ITSRegister.gitsCREADR.writableBits
            if offset >= queueBytes { return (.EINVAL, []) }
            readOffset = offset
            return (nil, [])
        case .readOnly, .razWI:
            return (nil, [])
        case .control, .commandQueueBase, .commandWriter, .tableBase:
            let offset = register.offset + index * register.elementSize
            let bytes = Int(register.elementSize)
            let joins = guestWrite(offset: offset, bytes: bytes, value, gic: &gic, memory: &memory)
            return (nil, joins)
        }
    }

    /// `update_64bit_reg`: `old` with the `bytes` at `offset & 7` replaced by `value`.
    static func updated(_ old: UInt64, _ offset: UInt32, _ bytes: Int, _ value: UInt64) -> UInt64 {
        if bytes == 8 { return value }
        return offset & 4 == 0 ? old & 0xFFFF_FFFF_0000_0000 | value & 0xFFFF_FFFF : old & 0xFFFF_FFFF | value << 32
    }

    /// `vgic_mmio_write_its_ctlr`: enabling needs GITS_CBASER and both tables Valid (else the write
    /// is ignored); disabling empties the translation cache; either way queued commands run.
    mutating func writeControl<Memory: GuestPhysicalMemory>(
        _ value: UInt32, gic: inout GICv3Model, memory: inout Memory, joins: inout [APListJoin]
    ) {
        let enable = value & 1 != 0
        if !enabled && enable
            && (deviceTableBase & ITSRegister.validBit == 0 || collectionTableBase & ITSRegister.validBit == 0
                || commandQueueBase & ITSRegister.validBit == 0)
        {
            return
        }
        enabled = enable
        if !enabled { invalidateCache(gic: &gic) }
        processCommands(gic: &gic, memory: &memory, joins: &joins)
    }

    /// `vgic_mmio_write_its_cbaser`: ignored while enabled; else stored sanitised, and both offsets
    /// reset.
    mutating func writeCommandQueueBase(_ value: UInt64) {
        guard !enabled else { return }
        commandQueueBase = ITSRegister.sanitised(value) & ~0xF000
        readOffset = 0
        writeOffset = 0
    }

    /// `vgic_mmio_write_its_cwriter`: bits 19:5; at or beyond the queue size ignored; then the
    /// queued commands run.
    mutating func writeCommandWriter<Memory: GuestPhysicalMemory>(
        _ value: UInt64, gic: inout GICv3Model, memory: inout Memory, joins: inout [APListJoin]
    ) {
        let offset = value & ITSRegister.gitsCWRITER.writableBits
        guard offset < queueBytes else { return }
        writeOffset = offset
        processCommands(gic: &gic, memory: &memory, joins: &joins)
    }

    /// `vgic_mmio_write_its_baser`: ignored while enabled and for GITS_BASER2…7; the kernel's
    /// Type, Entry_Size and page size, sanitised; a changed value forgets every device (BASER0)
    /// or collection (BASER1) and empties the translation cache.
    mutating func writeTableBase(_ index: UInt32, _ value: UInt64, gic: inout GICv3Model) {
        guard !enabled, index < 2 else { return }
        let old = index == 0 ? deviceTableBase : collectionTableBase
        let stored = ITSRegister.gitsBASER.stored(value, index: index) ?? old
        if index == 0 { deviceTableBase = stored } else { collectionTableBase = stored }
        guard stored != old else { return }
        if index == 0 {
            freeDevices(gic: &gic)
        } else {
            freeCollections()
        }
        invalidateCache(gic: &gic)
    }

    /// `KVM_DEV_ARM_ITS_CTRL_RESET` (`vgic_its_reset`): tables not Valid (other fields kept), no
    /// queue, disabled, no devices or collections; the ABI revision stays.
    public mutating func reset(gic: inout GICv3Model) {
        deviceTableBase &= ~ITSRegister.validBit
        collectionTableBase &= ~ITSRegister.validBit
        commandQueueBase = 0
        readOffset = 0
        writeOffset = 0
        enabled = false
        freeDevices(gic: &gic)
        freeCollections()
    }

    // MARK: Finding things

    func deviceIndex(_ id: UInt32) -> Int? { devices.firstIndex { $0.id == id } }

    func collectionIndex(_ id: UInt16) -> Int? { collections.firstIndex { $0.id == id } }

    /// The translation of (`device`, `event`): the device's index and the entry's.
    func translation(device: UInt32, event: UInt32) -> (device: Int, entry: Int)? {
        guard let deviceIndex = deviceIndex(device),
            let entry = devices[deviceIndex].translations.firstIndex(where: { $0.event == event })
        else { return nil }
        return (deviceIndex, entry)
    }

    /// The vCPU (index) collection `id` targets, if it exists and is mapped to an existing vCPU
    /// (`its_is_collection_mapped` and `collection_to_vcpu`).
    func targetVCPU(ofCollection id: UInt16?, gic: GICv3Model) -> Int? {
        guard let id, let index = collectionIndex(id), let target = collections[index].target else { return nil }
        return gic.configuration.vcpuIndex(id: target)
    }

    /// Whether collection `id` exists and targets a vCPU (`its_is_collection_mapped`).
    func isMapped(_ id: UInt16?) -> Bool {
        guard let id, let index = collectionIndex(id) else { return false }
        return collections[index].target != nil
    }

    // MARK: Freeing

    /// `its_free_ite`: the translation's LPI loses a reference (and, on 7.x, its `mapped`).
    mutating func freeTranslation(device deviceIndex: Int, entry: Int, gic: inout GICv3Model) {
        let lpi = devices[deviceIndex].translations[entry].lpi
        devices[deviceIndex].translations.remove(at: entry)
        gic.updateLPI(lpi) { $0.mapped = false }
        gic.releaseLPI(lpi)
    }

    /// `vgic_its_free_device`: its translations, then the cache, then the device.
    mutating func freeDevice(_ deviceIndex: Int, gic: inout GICv3Model) {
        while !devices[deviceIndex].translations.isEmpty {
            freeTranslation(device: deviceIndex, entry: 0, gic: &gic)
        }
        invalidateCache(gic: &gic)
        devices.remove(at: deviceIndex)
    }

    /// `vgic_its_free_device_list`.
    mutating func freeDevices(gic: inout GICv3Model) {
        while !devices.isEmpty { freeDevice(0, gic: &gic) }
    }

    /// `vgic_its_free_collection`: translations through it keep their LPI but lose the collection.
    mutating func freeCollection(_ id: UInt16) {
        guard let index = collectionIndex(id) else { return }
        for d in devices.indices {
            for e in devices[d].translations.indices where devices[d].translations[e].collection == id {
                devices[d].translations[e].collection = nil
            }
        }
        collections.remove(at: index)
    }

    /// `vgic_its_free_collection_list`.
    mutating func freeCollections() {
        while let first = collections.first { freeCollection(first.id) }
    }

    /// `vgic_its_invalidate_cache`: every entry's reference goes.
    public mutating func invalidateCache(gic: inout GICv3Model) {
        for (_, lpi) in cache { gic.releaseLPI(lpi) }
        cache = [:]
    }
}

/// A device the ITS knows (MAPD): its ITT and the translations in it.
public struct ITSDevice: Hashable, Sendable {
    /// DeviceID.
    public let id: UInt32
    /// The ITT's guest-physical address (256-byte aligned).
    public let ittAddress: UInt64
    /// EventID bits: the ITT has 2^bits entries.
    public let eventIDBits: UInt8
    /// The translations, in KVM's list order (a table save sorts them by EventID).
    public internal(set) var translations: [ITSTranslation] = []
}

/// One ITT entry: an event's LPI and collection.
public struct ITSTranslation: Hashable, Sendable {
    /// EventID.
    public let event: UInt32
    /// The LPI it raises.
    public let lpi: UInt32
    /// Its collection; nil once a MAPC with V=0 unmapped that collection (KVM keeps the entry).
    public internal(set) var collection: UInt16?
}

/// A collection: an ICID and the vCPU it targets.
public struct ITSCollection: Hashable, Sendable {
    /// ICID.
    public let id: UInt16
    /// The target vCPU's id; nil for a collection a MAPTI created without a MAPC
    /// (`COLLECTION_NOT_MAPPED`).
    public internal(set) var target: UInt32?
}

/// (DeviceID, EventID): what an MSI names.
public struct ITSEventKey: Hashable, Sendable {
    public let device: UInt32
    public let event: UInt32

    public init(device: UInt32, event: UInt32) {
        self.device = device
        self.event = event
    }
}
