import Foundation
import GICSnapshot
import GICVocabulary
import VGIC

extension SnapshotDocument {
    /// The document of `snapshot`.
    public init(_ snapshot: GICSnapshot) {
        let identity = snapshot.identity
        format = Self.formatName
        formatVersion = Int(GICSnapshot.formatVersion)
        gicVersion = Self.number(identity.gicVersion)
        iidr = hexString(UInt64(identity.iidr))
        typer = hexString(UInt64(identity.typer))
        typer2 = hexString(UInt64(identity.typer2))
        interruptCount = Int(identity.interruptCount)
        distributorBase = hexString(identity.frames.distributorBase)
        switch identity.frames.redistributors {
        case nil: redistributors = nil
        case .legacy(let base)?: redistributors = RedistributorPlacement(legacy: hexString(base), regions: nil)
        case .regions(let regions)?:
            redistributors = RedistributorPlacement(legacy: nil, regions: regions.map {
                Region(count: Int($0.count), base: hexString($0.base), index: Int($0.index))
            })
        }
        distributor = snapshot.distributor.map(Bank.init)
        vcpus = zip(identity.vcpus, snapshot.vcpus).map { layout, state in
            VCPU(
                id: Int(layout.identity.id), affinity: affinityString(layout.identity.affinity),
                gicrTyper: hexString(layout.redistributorType), priorityBits: Int(layout.priorityBits),
                registers: state.banks.map(Bank.init))
        }
        foreignSections = snapshot.foreignSections.map {
            Foreign(type: Int($0.type), version: Int($0.version), payload: $0.payload.map { byteHex($0) }.joined())
        }
    }

    /// The snapshot this document describes.
    public func snapshot() throws(SnapshotToolError) -> GICSnapshot {
        guard format == Self.formatName else { throw .json("\"format\" is \"\(format)\", expected \"\(Self.formatName)\"") }
        guard formatVersion == Int(GICSnapshot.formatVersion) else {
            throw .json("formatVersion \(formatVersion) is not supported (this build reads \(GICSnapshot.formatVersion))")
        }
        let version: GICVersion
        switch gicVersion {
        case 2: version = .v2
        case 3: version = .v3
        case 5: version = .v5
        default: throw .json("gicVersion \(gicVersion) is not 2, 3 or 5")
        }
        var placement: Redistributors?
        if let redistributors {
            switch (redistributors.legacy, redistributors.regions) {
            case (let base?, nil): placement = .legacy(base: try parseHex(base, "redistributors.legacy"))
            case (nil, let regions?):
                var parsed: [RedistributorRegion] = []
                for region in regions {
                    let base = try parseHex(region.base, "region base")
                    do throws(GICValueError) {
                        parsed.append(try RedistributorRegion(
                            count: UInt32(clamping: region.count), base: base, index: UInt32(clamping: region.index)))
                    } catch {
                        throw .json("redistributor region: \(error)")
                    }
                }
                placement = .regions(parsed)
            default: throw .json("redistributors must have exactly one of \"legacy\" and \"regions\"")
            }
        }
        var layouts: [VCPULayout] = []
        var states: [VCPUState] = []
        for vcpu in vcpus {
            guard let id = UInt32(exactly: vcpu.id), let bits = UInt32(exactly: vcpu.priorityBits) else {
                throw .json("vCPU \(vcpu.id): id or priorityBits out of range")
            }
            layouts.append(VCPULayout(
                identity: VCPUIdentity(id: id, affinity: try parseAffinity(vcpu.affinity)),
                redistributorType: try parseHex(vcpu.gicrTyper, "gicrTyper"), priorityBits: bits))
            states.append(VCPUState(banks: try vcpu.registers.map { bank throws(SnapshotToolError) in try bank.bank() }))
        }
        guard let count = UInt32(exactly: interruptCount) else { throw .json("interruptCount \(interruptCount) out of range") }
        let identity = SnapshotIdentity(
            gicVersion: version, iidr: try parseHex32(iidr, "iidr"), typer: try parseHex32(typer, "typer"),
            typer2: try parseHex32(typer2, "typer2"), interruptCount: count,
            frames: FrameLayout(distributorBase: try parseHex(distributorBase, "distributorBase"), redistributors: placement),
            vcpus: layouts)
        var foreign: [ForeignSection] = []
        for section in foreignSections {
            guard let type = UInt16(exactly: section.type), let version = UInt16(exactly: section.version) else {
                throw .json("foreign section type or version out of range")
            }
            foreign.append(ForeignSection(type: type, version: version, payload: try parseBytes(section.payload)))
        }
        return GICSnapshot(
            identity: identity, distributor: try distributor.map { bank throws(SnapshotToolError) in try bank.bank() },
            vcpus: states, foreignSections: foreign)
    }

    static func number(_ version: GICVersion) -> Int {
        switch version {
        case .v2: 2
        case .v3: 3
        case .v5: 5
        }
    }
}

extension SnapshotDocument.Bank {
    init(_ bank: RegisterBank) {
        register = bank.register.name
        firstIndex = Int(bank.firstIndex)
        values = bank.values.map { hexString($0) }
    }

    func bank() throws(SnapshotToolError) -> RegisterBank {
        guard let resolved = SnapshotRegisterNames.register(named: register) else {
            throw .json("unknown register \"\(register)\"")
        }
        guard let first = UInt32(exactly: firstIndex) else { throw .json("\(register): firstIndex out of range") }
        var parsed: [UInt64] = []
        for value in values { parsed.append(try parseHex(value, register)) }
        return RegisterBank(resolved, firstIndex: first, values: parsed)
    }
}

/// Register names back to `SnapshotRegister`s, from the vocabulary's tables.
enum SnapshotRegisterNames {
    static func register(named name: String) -> SnapshotRegister? {
        if name == "LEVEL_INFO" { return .lineLevels }
        if name == "ICC_AP0R" { return .activePriorities(group: 0) }
        if name == "ICC_AP1R" { return .activePriorities(group: 1) }
        if let found = GICv3Register.distributor.first(where: { $0.name.description == name }) { return .distributor(found) }
        if let found = GICv3Register.redistributor.first(where: { $0.name.description == name }) { return .redistributor(found) }
        if let found = ICCRegister.all.first(where: { $0.name.description == name }) { return .system(found) }
        return nil
    }
}

/// Why a snapshot file could not be read.
public enum SnapshotToolError: Error, Equatable, CustomStringConvertible {
    /// The file could not be opened or read.
    case file(path: String, reason: String)
    /// A binary snapshot that does not decode.
    case binary(SnapshotDecodingError)
    /// JSON that is not a snapshot document.
    case json(String)

    public var description: String {
        switch self {
        case .file(let path, let reason): "\(path): \(reason)"
        case .binary(let error): "binary snapshot: \(error)"
        case .json(let reason): "JSON snapshot: \(reason)"
        }
    }
}

func hexString(_ value: UInt64) -> String { "0x" + String(value, radix: 16) }

func byteHex(_ byte: UInt8) -> String {
    let digits = String(byte, radix: 16)
    return digits.count == 1 ? "0" + digits : digits
}

func affinityString(_ affinity: Affinity) -> String {
    "\(affinity.aff3).\(affinity.aff2).\(affinity.aff1).\(affinity.aff0)"
}

func parseHex(_ text: String, _ field: String) throws(SnapshotToolError) -> UInt64 {
    let digits = text.hasPrefix("0x") || text.hasPrefix("0X") ? String(text.dropFirst(2)) : text
    guard !digits.isEmpty, let value = UInt64(digits, radix: 16) else { throw .json("\(field): \"\(text)\" is not a hex number") }
    return value
}

func parseHex32(_ text: String, _ field: String) throws(SnapshotToolError) -> UInt32 {
    guard let value = UInt32(exactly: try parseHex(text, field)) else { throw .json("\(field): \"\(text)\" exceeds 32 bits") }
    return value
}

func parseAffinity(_ text: String) throws(SnapshotToolError) -> Affinity {
    let parts = text.split(separator: ".", omittingEmptySubsequences: false).map { UInt8($0) }
    guard parts.count == 4, let aff3 = parts[0], let aff2 = parts[1], let aff1 = parts[2], let aff0 = parts[3] else {
        throw .json("affinity \"\(text)\" is not Aff3.Aff2.Aff1.Aff0")
    }
    return Affinity(aff3: aff3, aff2: aff2, aff1: aff1, aff0: aff0)
}

func parseBytes(_ text: String) throws(SnapshotToolError) -> [UInt8] {
    let characters = Array(text)
    guard characters.count % 2 == 0 else { throw .json("payload has an odd number of hex digits") }
    var bytes: [UInt8] = []
    var index = 0
    while index < characters.count {
        guard let byte = UInt8(String(characters[index..<index + 2]), radix: 16) else {
            throw .json("payload is not hex")
        }
        bytes.append(byte)
        index += 2
    }
    return bytes
}
