import GICVocabulary
import VGIC

extension GICSnapshot {
    /// Decodes the binary encoding. Checks, in order: length, magic, format version, the CRC-32
    /// over everything, then each section; every failure is a `SnapshotDecodingError`.
    ///
    /// Decoding checks the format only. Whether the snapshot is consistent (banks that fit
    /// NR_IRQS, …) is `structuralProblem()`, which restore checks; a diff can show a snapshot
    /// that would not restore.
    public init(decoding bytes: [UInt8]) throws(SnapshotDecodingError) {
        let minimum = SnapshotFormat.headerLength + SnapshotFormat.trailerLength
        guard bytes.count >= SnapshotFormat.magic.count else {
            throw .truncated(offset: 0, needed: SnapshotFormat.magic.count, available: bytes.count)
        }
        guard SnapshotFormat.looksBinary(bytes) else { throw .badMagic }
        var header = ByteReader(bytes, from: SnapshotFormat.magic.count, to: bytes.count)
        let version = try header.u16()
        guard version == GICSnapshot.formatVersion else { throw .unsupportedFormatVersion(version) }
        guard bytes.count >= minimum else { throw .truncated(offset: 0, needed: minimum, available: bytes.count) }
        let body = bytes.count - SnapshotFormat.trailerLength
        // The framing before the checksum: a file cut short inside a section is reported as
        // truncated at the byte where it ends, not as a checksum mismatch.
        try GICSnapshot.checkFraming(bytes, body: body)
        var trailer = ByteReader(bytes, from: body, to: bytes.count)
        let stored = try trailer.u32()
        let computed = CRC32.checksum(bytes, 0..<body)
        guard stored == computed else { throw .checksumMismatch(stored: stored, computed: computed) }

        var reader = ByteReader(bytes, from: SnapshotFormat.magic.count + 2, to: body)
        try reader.reserved(2)
        let sectionCount = try reader.u32()
        var identity: SnapshotIdentity?
        var distributor: [RegisterBank]?
        var vcpus: [VCPUState] = []
        var foreign: [ForeignSection] = []
        var its: ITSState?
        var sectionIndex: UInt32 = 0
        while sectionIndex < sectionCount {
            let at = reader.offset
            let type = try reader.u16()
            let sectionVersion = try reader.u16()
            let length = Int(try reader.u32())
            let payloadStart = reader.offset
            try reader.require(length)
            switch SnapshotSectionType(rawValue: type) {
            case .identity?, .distributor?, .vcpu?:
                guard sectionVersion == 1 else { throw .unsupportedSectionVersion(type: type, version: sectionVersion) }
                guard foreign.isEmpty else { throw .sectionOrder(type: type, offset: at) }
                // Read the payload in place, so every offset an error names is one into `bytes`.
                var section = ByteReader(bytes, from: payloadStart, to: payloadStart + length)
                if type == SnapshotSectionType.identity.rawValue {
                    guard identity == nil else { throw .sectionOrder(type: type, offset: at) }
                    identity = try GICSnapshot.decodeIdentity(&section)
                } else if type == SnapshotSectionType.distributor.rawValue {
                    guard identity != nil, distributor == nil else { throw .sectionOrder(type: type, offset: at) }
                    distributor = try GICSnapshot.decodeBanks(&section)
                } else {
                    guard distributor != nil else { throw .sectionOrder(type: type, offset: at) }
                    let position = try section.u32()
                    guard position == UInt32(vcpus.count) else {
                        throw .invalidValue(field: "vCPU position", value: UInt64(position), offset: payloadStart)
                    }
                    vcpus.append(VCPUState(banks: try GICSnapshot.decodeBanks(&section)))
                }
                guard section.remaining == 0 else {
                    throw .sectionLength(type: type, declared: length, used: section.offset - payloadStart)
                }
                try reader.skip(length)
            case .its?:
                guard sectionVersion == 1 else { throw .unsupportedSectionVersion(type: type, version: sectionVersion) }
                guard foreign.isEmpty, distributor != nil, its == nil else { throw .sectionOrder(type: type, offset: at) }
                var section = ByteReader(bytes, from: payloadStart, to: payloadStart + length)
                its = try GICSnapshot.decodeITS(&section)
                guard section.remaining == 0 else {
                    throw .sectionLength(type: type, declared: length, used: section.offset - payloadStart)
                }
                try reader.skip(length)
            default:
                guard distributor != nil else { throw .sectionOrder(type: type, offset: at) }
                foreign.append(ForeignSection(type: type, version: sectionVersion, payload: try reader.take(length)))
            }
            sectionIndex += 1
        }
        guard reader.remaining == 0 else { throw .trailingBytes(offset: reader.offset) }
        guard let identity else { throw .missingSection(type: SnapshotSectionType.identity.rawValue) }
        guard let distributor else { throw .missingSection(type: SnapshotSectionType.distributor.rawValue) }
        guard vcpus.count == identity.vcpus.count else {
            throw .vcpuSectionCount(identity: identity.vcpus.count, sections: vcpus.count)
        }
        self.init(identity: identity, distributor: distributor, vcpus: vcpus, its: its, foreignSections: foreign)
    }

    /// Walks the section headers the file declares and throws `.truncated` at the first one
    /// (or the first payload) that runs past the bytes before the checksum. A file whose framing
    /// fits may still be corrupt; the checksum decides that next.
    private static func checkFraming(_ bytes: [UInt8], body: Int) throws(SnapshotDecodingError) {
        var reader = ByteReader(bytes, from: SnapshotFormat.magic.count + 4, to: bytes.count)
        let sectionCount = try reader.u32()
        var walker = ByteReader(bytes, from: reader.offset, to: body)
        var index: UInt32 = 0
        while index < sectionCount && walker.remaining > 0 {
            try walker.skip(4)
            let length = Int(try walker.u32())
            try walker.skip(length)
            index += 1
        }
        if index < sectionCount {
            throw .truncated(offset: walker.offset, needed: 8, available: walker.remaining)
        }
    }

    private static func decodeIdentity(_ reader: inout ByteReader) throws(SnapshotDecodingError) -> SnapshotIdentity {
        let versionAt = reader.offset
        let versionCode = try reader.u8()
        let gicVersion: GICVersion
        switch versionCode {
        case 2: gicVersion = .v2
        case 3: gicVersion = .v3
        case 5: gicVersion = .v5
        default: throw .invalidValue(field: "GIC version", value: UInt64(versionCode), offset: versionAt)
        }
        try reader.reserved(3)
        let iidr = try reader.u32()
        let typer = try reader.u32()
        let typer2 = try reader.u32()
        let interruptCount = try reader.u32()
        let distributorBase = try reader.u64()
        let kindAt = reader.offset
        let kind = try reader.u8()
        try reader.reserved(1)
        let regionCountAt = reader.offset
        let regionCount = try reader.u16()
        let redistributors: Redistributors?
        switch kind {
        case 0, 1:
            guard regionCount == 0 else {
                throw .invalidValue(field: "redistributor region count", value: UInt64(regionCount), offset: regionCountAt)
            }
            redistributors = kind == 0 ? nil : .legacy(base: try reader.u64())
        case 2:
            try reader.require(Int(regionCount) * 8)
            var regions: [RedistributorRegion] = []
            for _ in 0..<regionCount {
                let at = reader.offset
                let word = try reader.u64()
                do throws(GICValueError) {
                    regions.append(try RedistributorRegion(rawValue: word))
                } catch {
                    throw .invalidValue(field: "redistributor region", value: word, offset: at)
                }
            }
            redistributors = .regions(regions)
        default:
            throw .invalidValue(field: "redistributor kind", value: UInt64(kind), offset: kindAt)
        }
        let vcpuCount = Int(try reader.u32())
        try reader.require(vcpuCount * 20)
        var layouts: [VCPULayout] = []
        for _ in 0..<vcpuCount {
            let id = try reader.u32()
            let affinity = Affinity(packed: try reader.u32())
            let type = try reader.u64()
            let bits = try reader.u8()
            try reader.reserved(3)
            layouts.append(VCPULayout(
                identity: VCPUIdentity(id: id, affinity: affinity), redistributorType: type, priorityBits: UInt32(bits)))
        }
        return SnapshotIdentity(
            gicVersion: gicVersion, iidr: iidr, typer: typer, typer2: typer2, interruptCount: interruptCount,
            frames: FrameLayout(distributorBase: distributorBase, redistributors: redistributors), vcpus: layouts)
    }

    /// The ITS section: the frame base, then registers named by frame offset, each one a snapshot
    /// holds (`ITSSavedRegister.at(offset:)`). Whether each is there exactly once is
    /// `structuralProblem()`'s question, as for banks: whatever the format can carry decodes, so
    /// every snapshot that encodes decodes back to itself (the fuzzer's totality check found a
    /// JSON snapshot with GITS_BASER1 twice that encoded and then did not decode).
    static func decodeITS(_ reader: inout ByteReader) throws(SnapshotDecodingError) -> ITSState {
        let base = try reader.u64()
        let count = Int(try reader.u32())
        try reader.require(count * 16)
        var registers: [ITSSavedValue] = []
        for _ in 0..<count {
            let at = reader.offset
            let offset = try reader.u32()
            try reader.reserved(4)
            let value = try reader.u64()
            guard let register = ITSSavedRegister.at(offset: offset) else {
                throw .invalidValue(field: "ITS register offset", value: UInt64(offset), offset: at)
            }
            registers.append(ITSSavedValue(register, value))
        }
        return ITSState(base: base, registers: registers)
    }

    private static func decodeBanks(_ reader: inout ByteReader) throws(SnapshotDecodingError) -> [RegisterBank] {
        let count = Int(try reader.u32())
        // Each bank takes at least its 16-byte header: refuse a count the payload cannot hold
        // before reserving anything.
        try reader.require(count * 16)
        var banks: [RegisterBank] = []
        for _ in 0..<count {
            let at = reader.offset
            let kind = try reader.u8()
            try reader.reserved(3)
            let key = try reader.u32()
            guard let register = BankKey.decode(kind: kind, key: key) else {
                throw .invalidValue(field: "register", value: UInt64(kind) << 32 | UInt64(key), offset: at)
            }
            let firstIndex = try reader.u32()
            let valueCount = Int(try reader.u32())
            try reader.require(valueCount * 8)
            var values: [UInt64] = []
            values.reserveCapacity(valueCount)
            for _ in 0..<valueCount { values.append(try reader.u64()) }
            do throws(SnapshotValueError) {
                banks.append(try RegisterBank(register, firstIndex: firstIndex, values: values))
            } catch {
                throw .invalidBank(error, offset: at)
            }
        }
        return banks
    }
}
