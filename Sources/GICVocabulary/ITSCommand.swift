/// One ITS command as the 32 bytes of a command-queue slot (GICv3 §5.3, IHI 0069), with the fields
/// KVM's command handler reads and nothing else (`its_cmd_get_*` in `arch/arm64/kvm/vgic/vgic-its.c`;
/// GICVocabulary.docc/ITSTables.md).
///
/// A value is what the kernel sees: `init(words:)` decodes any 32 bytes (a code KVM does not handle
/// is `.other`), `words` encodes the fields where the kernel reads them and zeros elsewhere. So
/// `ITSCommand(words: command.words) == command` for every command whose fields fit their widths.
/// The target of MAPC, MOVALL and SYNC is a vCPU id: KVM reports GITS_TYPER.PTA = 0, so RDbase is
/// the processor number (`kvm_get_vcpu_by_id`).
public enum ITSCommand: Hashable, Sendable, CustomStringConvertible {
    /// MAPD: device `device` gets (valid) or loses (not valid) an ITT of 2^`eventIDBits` entries at
    /// `itt` (256-byte aligned, bits 51:8). `eventIDBits` is Size + 1, 1...32.
    case mapd(device: UInt32, itt: UInt64, eventIDBits: UInt8, valid: Bool)
    /// MAPC: collection `collection` targets vCPU `target` (valid) or is unmapped.
    case mapc(collection: UInt16, target: UInt32, valid: Bool)
    /// MAPTI: event `event` of `device` raises LPI `lpi` through `collection`.
    case mapti(device: UInt32, event: UInt32, lpi: UInt32, collection: UInt16)
    /// MAPI: MAPTI with the LPI number equal to the event id.
    case mapi(device: UInt32, event: UInt32, collection: UInt16)
    /// MOVI: the translation of (`device`, `event`) moves to `collection`.
    case movi(device: UInt32, event: UInt32, collection: UInt16)
    /// DISCARD: forgets the translation of (`device`, `event`).
    case discard(device: UInt32, event: UInt32)
    /// CLEAR: clears the pending state of (`device`, `event`)'s LPI.
    case clear(device: UInt32, event: UInt32)
    /// INT: makes (`device`, `event`)'s LPI pending, as an MSI would.
    case int(device: UInt32, event: UInt32)
    /// INV: re-reads (`device`, `event`)'s LPI configuration from the property table.
    case inv(device: UInt32, event: UInt32)
    /// INVALL: re-reads the configuration of every LPI targeting `collection`'s vCPU.
    case invall(collection: UInt16)
    /// MOVALL: every LPI targeting vCPU `from` targets vCPU `to`.
    case movall(from: UInt32, to: UInt32)
    /// SYNC: KVM ignores it ("we are in sync all of the time").
    case sync(target: UInt32)
    /// A command code KVM does not handle (the GICv4 ones, garbage): consumed, nothing done.
    case other(code: UInt8)

    /// The command codes (`GITS_CMD_*`, `include/linux/irqchip/arm-gic-v3.h`).
    public enum Code: UInt8, Sendable {
        case movi = 0x01, int = 0x03, clear = 0x04, sync = 0x05
        case mapd = 0x08, mapc = 0x09, mapti = 0x0A, mapi = 0x0B
        case inv = 0x0C, invall = 0x0D, movall = 0x0E, discard = 0x0F
    }

    /// Bytes per command (`ITS_CMD_SIZE`).
    public static let size = 32

    /// The code in byte 0.
    public var code: UInt8 {
        switch self {
        case .mapd: Code.mapd.rawValue
        case .mapc: Code.mapc.rawValue
        case .mapti: Code.mapti.rawValue
        case .mapi: Code.mapi.rawValue
        case .movi: Code.movi.rawValue
        case .discard: Code.discard.rawValue
        case .clear: Code.clear.rawValue
        case .int: Code.int.rawValue
        case .inv: Code.inv.rawValue
        case .invall: Code.invall.rawValue
        case .movall: Code.movall.rawValue
        case .sync: Code.sync.rawValue
        case .other(let code): code
        }
    }

    /// Decodes four little-endian doublewords as `vgic_its_handle_command` reads them. Fewer than
    /// four words read as zeros past the end.
    public init(words: [UInt64]) {
        func word(_ index: Int) -> UInt64 { index < words.count ? words[index] : 0 }
        func field(_ index: Int, _ shift: UInt64, _ size: UInt64) -> UInt64 {
            word(index) >> shift & (size == 64 ? UInt64.max : (1 << size) - 1)
        }
        let device = UInt32(truncatingIfNeeded: field(0, 32, 32))
        let event = UInt32(truncatingIfNeeded: field(1, 0, 32))
        let collection = UInt16(truncatingIfNeeded: field(2, 0, 16))
        let target = UInt32(truncatingIfNeeded: field(2, 16, 32))
        let code = UInt8(truncatingIfNeeded: word(0))
        switch Code(rawValue: code) {
        case .mapd?:
            self = .mapd(
                device: device, itt: field(2, 8, 44) << 8, eventIDBits: UInt8(field(1, 0, 5)) + 1, valid: field(2, 63, 1) == 1)
        case .mapc?: self = .mapc(collection: collection, target: target, valid: field(2, 63, 1) == 1)
        case .mapti?:
            self = .mapti(device: device, event: event, lpi: UInt32(truncatingIfNeeded: field(1, 32, 32)), collection: collection)
        case .mapi?: self = .mapi(device: device, event: event, collection: collection)
        case .movi?: self = .movi(device: device, event: event, collection: collection)
        case .discard?: self = .discard(device: device, event: event)
        case .clear?: self = .clear(device: device, event: event)
        case .int?: self = .int(device: device, event: event)
        case .inv?: self = .inv(device: device, event: event)
        case .invall?: self = .invall(collection: collection)
        case .movall?: self = .movall(from: target, to: UInt32(truncatingIfNeeded: field(3, 16, 32)))
        case .sync?: self = .sync(target: target)
        case nil: self = .other(code: code)
        }
    }

    /// Decodes a 32-byte slot (little-endian); a shorter slice reads as zeros past its end.
    public init(bytes: ArraySlice<UInt8>) {
        var words: [UInt64] = [0, 0, 0, 0]
        for (position, byte) in bytes.prefix(Self.size).enumerated() {
            words[position / 8] |= UInt64(byte) << UInt64(8 * (position % 8))
        }
        self.init(words: words)
    }

    /// The four doublewords: each field where the kernel reads it, truncated to its width; every
    /// other bit zero.
    public var words: [UInt64] {
        var words: [UInt64] = [UInt64(code), 0, 0, 0]
        func deviceWord(_ device: UInt32) { words[0] |= UInt64(device) << 32 }
        func targetWord(_ index: Int, _ target: UInt32) { words[index] |= UInt64(target) << 16 }
        switch self {
        case .mapd(let device, let itt, let eventIDBits, let valid):
            deviceWord(device)
            words[1] = UInt64(eventIDBits &- 1) & 0x1F
            words[2] = itt & 0x000F_FFFF_FFFF_FF00 | (valid ? 1 << 63 : 0)
        case .mapc(let collection, let target, let valid):
            targetWord(2, target)
            words[2] |= UInt64(collection) | (valid ? 1 << 63 : 0)
        case .mapti(let device, let event, let lpi, let collection):
            deviceWord(device)
            words[1] = UInt64(event) | UInt64(lpi) << 32
            words[2] = UInt64(collection)
        case .mapi(let device, let event, let collection), .movi(let device, let event, let collection):
            deviceWord(device)
            words[1] = UInt64(event)
            words[2] = UInt64(collection)
        case .discard(let device, let event), .clear(let device, let event), .int(let device, let event),
            .inv(let device, let event):
            deviceWord(device)
            words[1] = UInt64(event)
        case .invall(let collection):
            words[2] = UInt64(collection)
        case .movall(let from, let to):
            targetWord(2, from)
            targetWord(3, to)
        case .sync(let target):
            targetWord(2, target)
        case .other:
            break
        }
        return words
    }

    /// The 32 bytes of the slot, little-endian.
    public var bytes: [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Self.size)
        for word in words {
            for shift in stride(from: UInt64(0), to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: word >> shift)) }
        }
        return bytes
    }

    public var description: String {
        switch self {
        case .mapd(let device, let itt, let bits, let valid):
            valid ? "MAPD dev \(device) itt \(hex(itt)) bits \(bits)" : "MAPD dev \(device) V=0"
        case .mapc(let collection, let target, let valid):
            valid ? "MAPC col \(collection) → vCPU \(target)" : "MAPC col \(collection) V=0"
        case .mapti(let device, let event, let lpi, let collection):
            "MAPTI dev \(device) ev \(event) → LPI \(lpi) col \(collection)"
        case .mapi(let device, let event, let collection): "MAPI dev \(device) ev \(event) col \(collection)"
        case .movi(let device, let event, let collection): "MOVI dev \(device) ev \(event) → col \(collection)"
        case .discard(let device, let event): "DISCARD dev \(device) ev \(event)"
        case .clear(let device, let event): "CLEAR dev \(device) ev \(event)"
        case .int(let device, let event): "INT dev \(device) ev \(event)"
        case .inv(let device, let event): "INV dev \(device) ev \(event)"
        case .invall(let collection): "INVALL col \(collection)"
        case .movall(let from, let to): "MOVALL vCPU \(from) → \(to)"
        case .sync(let target): "SYNC vCPU \(target)"
        case .other(let code): "command \(hex(code))"
        }
    }
}
