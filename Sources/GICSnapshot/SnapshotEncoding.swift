import GICVocabulary
import VGIC

extension GICSnapshot {
    /// The binary encoding (`SnapshotFormat`): deterministic, so equal snapshots encode to equal
    /// bytes, and decoding them gives back an equal snapshot.
    ///
    /// - Throws: `formatProblem()`, when a field is wider than the format holds: an encoding
    ///   would silently change it, so none is made.
    public func encoded() throws(SnapshotValueError) -> [UInt8] {
        if let problem = formatProblem() { throw problem }
        var writer = ByteWriter()
        writer.append(SnapshotFormat.magic)
        writer.u16(GICSnapshot.formatVersion)
        writer.u16(0)
        writer.u32(UInt32(2 + vcpus.count + (its == nil ? 0 : 1) + foreignSections.count))
        GICSnapshot.section(&writer, .identity, identityPayload())
        GICSnapshot.section(&writer, .distributor, GICSnapshot.banksPayload(prefix: nil, distributor))
        for (position, state) in vcpus.enumerated() {
            GICSnapshot.section(&writer, .vcpu, GICSnapshot.banksPayload(prefix: UInt32(position), state.banks))
        }
        if let its { GICSnapshot.section(&writer, .its, GICSnapshot.itsPayload(its)) }
        for foreign in foreignSections {
            writer.u16(foreign.type)
            writer.u16(foreign.version)
            writer.u32(UInt32(foreign.payload.count))
            writer.append(foreign.payload)
        }
        let checksum = CRC32.checksum(writer.bytes, 0..<writer.bytes.count)
        writer.u32(checksum)
        return writer.bytes
    }

    /// The first field the binary format cannot hold as it is, or nil. Banks check themselves
    /// when they are made (`RegisterBank`); this covers what the identity and section list add:
    /// priority bits in a byte, a 16-bit region count, one vCPU section per identity entry,
    /// foreign sections of types this build does not read itself, 32-bit lengths.
    ///
    /// Both decoders return only snapshots without a format problem, so whatever they accept
    /// encodes; `structuralProblem()` reports it first, as `.unrepresentable`.
    public func formatProblem() -> SnapshotValueError? {
        let lengthLimit = Int(UInt32.max)
        var regionCount = 0
        if case .regions(let regions)? = identity.frames.redistributors { regionCount = regions.count }
        if regionCount > Int(UInt16.max) { return .tooManyRegions(regionCount) }
        for (position, layout) in identity.vcpus.enumerated() where layout.priorityBits > UInt32(UInt8.max) {
            return .priorityBitsTooWide(position: position, bits: layout.priorityBits)
        }
        if vcpus.count != identity.vcpus.count {
            return .vcpuStateCount(identity: identity.vcpus.count, states: vcpus.count)
        }
        for section in foreignSections {
            if SnapshotSectionType(rawValue: section.type) != nil { return .foreignSectionType(section.type) }
        }
        // Every length field: the section count and each section's payload.
        let sectionCount = 2 + vcpus.count + (its == nil ? 0 : 1) + foreignSections.count
        if let its, 12 + 16 * its.registers.count > lengthLimit {
            return .tooLong(what: "ITS section", count: 12 + 16 * its.registers.count)
        }
        if sectionCount > lengthLimit { return .tooLong(what: "section list", count: sectionCount) }
        let identityLength = 44 + 8 * regionCount + 20 * identity.vcpus.count
        if identityLength > lengthLimit { return .tooLong(what: "identity section", count: identityLength) }
        for banks in [distributor] + vcpus.map({ $0.banks }) {
            let length = banks.reduce(8) { $0 + 16 + 8 * $1.values.count }
            if length > lengthLimit { return .tooLong(what: "bank section", count: length) }
        }
        for section in foreignSections where section.payload.count > lengthLimit {
            return .tooLong(what: "foreign section", count: section.payload.count)
        }
        return nil
    }

    private static func section(_ writer: inout ByteWriter, _ type: SnapshotSectionType, _ payload: [UInt8]) {
        writer.u16(type.rawValue)
        writer.u16(type.version)
        writer.u32(UInt32(payload.count))
        writer.append(payload)
    }

    private func identityPayload() -> [UInt8] {
        var writer = ByteWriter()
        writer.u8(GICSnapshot.code(identity.gicVersion))
        writer.u8(0)
        writer.u16(0)
        writer.u32(identity.iidr)
        writer.u32(identity.typer)
        writer.u32(identity.typer2)
        writer.u32(identity.interruptCount)
        writer.u64(identity.frames.distributorBase)
        switch identity.frames.redistributors {
        case nil:
            writer.u8(0)
            writer.u8(0)
            writer.u16(0)
        case .legacy(let base)?:
            writer.u8(1)
            writer.u8(0)
            writer.u16(0)
            writer.u64(base)
        case .regions(let regions)?:
            writer.u8(2)
            writer.u8(0)
            writer.u16(UInt16(regions.count))
            for region in regions { writer.u64(region.rawValue) }
        }
        writer.u32(UInt32(identity.vcpus.count))
        for layout in identity.vcpus {
            writer.u32(layout.identity.id)
            writer.u32(layout.identity.affinity.packed)
            writer.u64(layout.redistributorType)
            writer.u8(UInt8(layout.priorityBits))
            writer.u8(0)
            writer.u16(0)
        }
        return writer.bytes
    }

    private static func banksPayload(prefix: UInt32?, _ banks: [RegisterBank]) -> [UInt8] {
        var writer = ByteWriter()
        if let prefix { writer.u32(prefix) }
        writer.u32(UInt32(banks.count))
        for bank in banks {
            let (kind, key) = BankKey.encode(bank.register)
            writer.u8(kind.rawValue)
            writer.u8(0)
            writer.u16(0)
            writer.u32(key)
            writer.u32(bank.firstIndex)
            writer.u32(UInt32(bank.values.count))
            for value in bank.values { writer.u64(value) }
        }
        return writer.bytes
    }

    /// The ITS section's payload (`SnapshotFormat`).
    static func itsPayload(_ its: ITSState) -> [UInt8] {
        var writer = ByteWriter()
        writer.u64(its.base)
        writer.u32(UInt32(truncatingIfNeeded: its.registers.count))
        for saved in its.registers {
            writer.u32(saved.register.offset)
            writer.u32(0)
            writer.u64(saved.value)
        }
        return writer.bytes
    }

    /// The GIC version byte: the model's number.
    static func code(_ version: GICVersion) -> UInt8 {
        switch version {
        case .v2: 2
        case .v3: 3
        case .v5: 5
        }
    }
}

/// How a `SnapshotRegister` is named in a bank header: by architectural offset or encoding.
enum BankKey {
    static func encode(_ register: SnapshotRegister) -> (BankKind, UInt32) {
        switch register {
        case .distributor(let bank): (.distributor, bank.offset)
        case .redistributor(let bank): (.redistributor, bank.offset)
        case .lineLevels: (.lineLevels, 0)
        case .system(let sysreg): (.system, UInt32(sysreg.instr))
        case .activePriorities(let group): (.activePriorities, UInt32(group))
        }
    }

    /// The register a (kind, key) pair names, or nil if no table knows it.
    static func decode(kind: UInt8, key: UInt32) -> SnapshotRegister? {
        switch BankKind(rawValue: kind) {
        case .distributor?:
            return GICv3Register.distributor.first { $0.offset == key }.map { .distributor($0) }
        case .redistributor?:
            return GICv3Register.redistributor.first { $0.offset == key }.map { .redistributor($0) }
        case .lineLevels?:
            return key == 0 ? .lineLevels : nil
        case .system?:
            guard key <= UInt32(UInt16.max) else { return nil }
            return ICCRegister.lookup(instr: UInt16(key)).map { .system($0) }
        case .activePriorities?:
            return key <= 1 ? .activePriorities(group: UInt8(key)) : nil
        case nil:
            return nil
        }
    }
}
