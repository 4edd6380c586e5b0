import CheckedVGIC
import GICModel
import GICVocabulary

/// One step of an ITS differential sequence: what a guest driver, a device or a VMM does to an ITS
/// and the LPIs behind it, done the same way to the kernel and to the model
/// (Conformance.docc/ITSLab.md).
enum ITSOperation: Hashable, Sendable, CustomStringConvertible {
    /// The command written into the next queue slot in guest RAM, then GITS_CWRITER moved past it
    /// (a userspace ITS_REGS write, which runs the queue as a guest's MMIO write does).
    case command(ITSCommand)
    /// `KVM_SIGNAL_MSI` of (device, event) to the ITS's doorbell.
    case signal(device: UInt32, event: UInt32)
    /// LPI `lpi`'s byte of the property table rewritten in guest RAM.
    case property(lpi: UInt32, UInt8)
    /// LPI `lpi`'s bit of vCPU `vcpu`'s pending table set or cleared in guest RAM.
    case pendingBit(vcpu: Int, lpi: UInt32, Bool)
    /// GICR_CTLR.EnableLPIs of vCPU `vcpu` through REDIST_REGS.
    case lpis(vcpu: Int, enabled: Bool)
    /// GITS_CTLR.Enabled through ITS_REGS.
    case itsEnabled(Bool)
    /// The tables' mebibyte of guest RAM compared byte for byte as the kernel left it (consumed
    /// pending bits cleared, unmapped entries zeroed), then `KVM_DEV_ARM_ITS_SAVE_TABLES` and
    /// `KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES`, then compared again.
    case save

    var description: String {
        switch self {
        case .command(let command): "\(command)"
        case .signal(let device, let event): "MSI dev \(device) ev \(event)"
        case .property(let lpi, let byte): "property[\(lpi)] = \(hex(byte))"
        case .pendingBit(let vcpu, let lpi, let set): "pending[vCPU \(vcpu)][\(lpi)] = \(set ? 1 : 0)"
        case .lpis(let vcpu, let enabled): "vCPU \(vcpu) EnableLPIs = \(enabled ? 1 : 0)"
        case .itsEnabled(let enabled): "GITS_CTLR.Enabled = \(enabled ? 1 : 0)"
        case .save: "SAVE_TABLES + SAVE_PENDING_TABLES"
        }
    }
}

/// What one operation showed: the same on both sides or the run stops there.
enum ITSObservation: Hashable, Sendable, CustomStringConvertible {
    /// After a command: GITS_CTLR, GITS_CREADR, GITS_CWRITER.
    case queue(control: UInt64, reader: UInt64, writer: UInt64)
    /// `KVM_SIGNAL_MSI`'s return value (1, 0 or −errno).
    case signal(Int32)
    /// After an EnableLPIs write: GICR_CTLR, and GITS_CTLR.
    case control(redistributor: UInt64, its: UInt64)
    /// A table save: the tables' bytes before, the two errnos (0 for success), the bytes after.
    case tables(before: [UInt8], save: Int32, pending: Int32, bytes: [UInt8])
    /// Nothing to read back (a write to guest RAM).
    case none

    var description: String {
        switch self {
        case .queue(let control, let reader, let writer): "GITS_CTLR \(hex(control)) CREADR \(hex(reader)) CWRITER \(hex(writer))"
        case .signal(let value): "KVM_SIGNAL_MSI → \(value)"
        case .control(let redistributor, let its): "GICR_CTLR \(hex(redistributor)), GITS_CTLR \(hex(its))"
        case .tables(_, let save, let pending, let bytes): "SAVE_TABLES \(save), SAVE_PENDING_TABLES \(pending), \(bytes.count) bytes"
        case .none: "—"
        }
    }
}

/// The setup every sequence starts from, drawn from its seed: which LPIs are enabled and at what
/// priority, which vCPUs have LPIs enabled, where the command queue starts.
struct ITSStart: Hashable, Sendable {
    var vcpuCount: Int
    /// Property bytes of LPIs 8192 ..< 8192 + `properties.count`.
    var properties: [UInt8]
    var lpisEnabled: [Bool]
    /// GITS_CREADR = GITS_CWRITER before the ITS is enabled (so the queue wraps mid-sequence).
    var queueStart: UInt64
    /// GITS_BASER0: two pages, the second beyond RAM (the differential); one page (the snapshot
    /// scenarios, whose device table must lie in the RAM they migrate).
    var deviceTableBase = ITSLabLayout.deviceTableBase
}

/// Seeded ITS sequences: mostly MSIs and the commands a driver issues, with every command error
/// the kernel has reachable (an unmapped device, an event beyond its ITT or outside guest RAM, an
/// LPI outside the property table, a collection without a target or beyond its table, a vCPU that
/// does not exist), LPIs mapped twice, MAPC with V=0 under live translations, LPI and ITS
/// enables toggled, and table saves compared byte for byte.
struct ITSOperationGenerator {
    /// LPIs the sequences use: 8192 ..< 8192 + `lpiSpan`.
    static let lpiSpan: UInt32 = 48

    var random: SplitMix64
    let vcpuCount: Int
    /// What the sequence mapped so far (whether or not the kernel accepted it): later commands and
    /// MSIs aim at these most of the time, so they meet live translations.
    var mappedEvents: [ITSEventKey] = []
    var mappedDevices: [UInt32] = []
    var usedCollections: [UInt16] = []
    /// LPIs whose bit the sequence set in a pending table: MAPTI picks them often, so mapping an
    /// LPI meets a pending bit to consume (`vgic_v3_lpi_sync_pending_status`).
    var plantedLPIs: [UInt32] = []

    init(seed: UInt64, vcpuCount: Int = 4) {
        random = SplitMix64(seed: seed)
        self.vcpuCount = vcpuCount
    }

    mutating func start() -> ITSStart {
        var properties: [UInt8] = []
        for _ in 0..<Self.lpiSpan {
            properties.append(ITSLabLayout.property(priority: UInt8(random.below(32)) << 3, enabled: !random.chance(15)))
        }
        let enabled = (0..<vcpuCount).map { _ in !random.chance(20) }
        return ITSStart(
            vcpuCount: vcpuCount, properties: properties, lpisEnabled: enabled,
            queueStart: UInt64(random.below(UInt32(ITSLabLayout.commandQueueBytes / 32))) * 32)
    }

    /// `count` operations, the last a table save.
    mutating func sequence(_ count: Int) -> [ITSOperation] {
        var operations: [ITSOperation] = []
        for index in 0..<(count - 1) {
            operations.append(index % 16 == 15 ? .save : next())
        }
        operations.append(.save)
        return operations
    }

    mutating func device() -> UInt32 {
        if !mappedDevices.isEmpty && random.chance(60) { return random.pick(mappedDevices) }
        return random.chance(94) ? random.below(6) : random.pick([8191, 8192, 0xFFFF, 0x1_0000])
    }

    mutating func event() -> UInt32 { random.chance(95) ? random.below(20) : random.pick([31, 32, 0xFFFF, 0x1_0000]) }

    /// A (device, event) the sequence mapped, most of the time.
    mutating func target() -> (UInt32, UInt32) {
        if !mappedEvents.isEmpty && random.chance(75) {
            let key = random.pick(mappedEvents)
            return (key.device, key.event)
        }
        return (device(), event())
    }

    mutating func collection() -> UInt16 {
        if !usedCollections.isEmpty && random.chance(50) { return random.pick(usedCollections) }
        return random.chance(95) ? UInt16(random.below(6)) : random.pick([8191, 8192, 0xFFFF])
    }

    mutating func lpi() -> UInt32 {
        if !plantedLPIs.isEmpty && random.chance(35) { return random.pick(plantedLPIs) }
        return random.chance(95) ? ITSTableABI.firstLPI + random.below(Self.lpiSpan) : random.pick([8191, 65535, 65536, 0x8000_2000])
    }

    mutating func vcpu() -> UInt32 { random.below(UInt32(vcpuCount) + (random.chance(10) ? 2 : 0)) }

    mutating func next() -> ITSOperation {
        switch random.below(100) {
        case 0..<30:
            let (device, event) = target()
            return .signal(device: device, event: event)
        case 30..<40:
            let id = random.chance(90) ? random.below(6) : device()
            let valid = random.chance(85)
            var itt = ITSLabLayout.itt(id)
            if random.chance(5) { itt = 0x8000_0000 }  // outside guest RAM
            let bits = UInt8(random.chance(95) ? 1 + random.below(5) : 17)
            if valid { mappedDevices.append(id) }
            return .command(.mapd(device: id, itt: itt, eventIDBits: bits, valid: valid))
        case 40..<48: return .command(.mapc(collection: collection(), target: vcpu(), valid: random.chance(85)))
        case 48..<63:
            let (device, event, collection) = (device(), event(), collection())
            mappedEvents.append(ITSEventKey(device: device, event: event))
            usedCollections.append(collection)
            return .command(.mapti(device: device, event: event, lpi: lpi(), collection: collection))
        case 63..<65: return .command(.mapi(device: device(), event: random.chance(50) ? event() : lpi(), collection: collection()))
        case 65..<69:
            let (device, event) = target()
            return .command(.movi(device: device, event: event, collection: collection()))
        case 69..<73:
            let (device, event) = target()
            return .command(.discard(device: device, event: event))
        case 73..<75:
            let (device, event) = target()
            return .command(.clear(device: device, event: event))
        case 75..<78:
            let (device, event) = target()
            return .command(.int(device: device, event: event))
        case 78..<80:
            let (device, event) = target()
            return .command(.inv(device: device, event: event))
        case 80..<82: return .command(.invall(collection: collection()))
        case 82..<84: return .command(.movall(from: vcpu(), to: vcpu()))
        case 84: return .command(random.chance(50) ? .sync(target: vcpu()) : .other(code: UInt8(truncatingIfNeeded: random.pick([0, 2, 6, 7, 0x10, 0x29, 0xFF]))))
        case 85..<91:
            let lpi = ITSTableABI.firstLPI + random.below(Self.lpiSpan)
            return .property(lpi: lpi, ITSLabLayout.property(priority: UInt8(random.below(32)) << 3, enabled: random.chance(75)))
        case 91..<94:
            let lpi = ITSTableABI.firstLPI + random.below(Self.lpiSpan)
            let set = random.chance(70)
            if set { plantedLPIs.append(lpi) }
            return .pendingBit(vcpu: Int(random.below(UInt32(vcpuCount))), lpi: lpi, set)
        case 94..<97: return .lpis(vcpu: Int(random.below(UInt32(vcpuCount))), enabled: random.chance(60))
        default: return .itsEnabled(random.chance(70))
        }
    }
}
