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
        iidr = hex(identity.iidr)
        typer = hex(identity.typer)
        typer2 = hex(UInt64(identity.typer2))
        interruptCount = Int(identity.interruptCount)
        distributorBase = hex(identity.frames.distributorBase)
        switch identity.frames.redistributors {
        case nil: redistributors = nil
        case .legacy(let base)?: redistributors = RedistributorPlacement(legacy: hex(base), regions: nil)
        case .regions(let regions)?:
            redistributors = RedistributorPlacement(legacy: nil, regions: regions.map {
                Region(count: Int($0.count), base: hex($0.base), index: Int($0.index))
            })
        }
        distributor = snapshot.distributor.map(Bank.init)
        vcpus = zip(identity.vcpus, snapshot.vcpus).map { layout, state in
            VCPU(
                id: Int(layout.identity.id), affinity: affinityString(layout.identity.affinity),
                gicrTyper: hex(layout.redistributorType), priorityBits: Int(layout.priorityBits),
                registers: state.banks.map(Bank.init))
        }
        its = snapshot.its.map { state in
            ITS(base: hex(state.base), registers: state.registers.map { ITS.Register(register: $0.register.description, value: hex($0.value)) })
        }
        foreignSections = snapshot.foreignSections.map {
            Foreign(type: Int($0.type), version: Int($0.version), payload: $0.payload.map { byteHex($0) }.joined())
        }
    }

    /// The snapshot this document describes.
    ///
    /// - Throws: `.json(path:reason:)` naming the first field that is not what the format
    ///   allows (numbers exactly in range, never clamped); `.unrepresentable` for a snapshot the
    ///   binary form could not hold, so whatever JSON is accepted also encodes.
    public func snapshot() throws(SnapshotToolError) -> GICSnapshot {
        guard format == Self.formatName else {
            throw .json(path: "format", reason: "is \"\(format)\", expected \"\(Self.formatName)\"")
        }
        guard formatVersion == Int(GICSnapshot.formatVersion) else {
            throw .json(path: "formatVersion", reason: "\(formatVersion) is not supported (this build reads \(GICSnapshot.formatVersion))")
        }
        let version: GICVersion
        switch gicVersion {
        case 2: version = .v2
        case 3: version = .v3
        case 5: version = .v5
        default: throw .json(path: "gicVersion", reason: "\(gicVersion) is not 2, 3 or 5")
        }
        var placement: Redistributors?
        if let redistributors {
            switch (redistributors.legacy, redistributors.regions) {
            case (let base?, nil): placement = .legacy(base: try parseHex(base, "redistributors.legacy"))
            case (nil, let regions?):
                var parsed: [RedistributorRegion] = []
                for (position, region) in regions.enumerated() {
                    let path = "redistributors.regions[\(position)]"
                    let base = try parseHex(region.base, path + ".base")
                    let count: UInt32 = try exactly(region.count, path + ".count")
                    let index: UInt32 = try exactly(region.index, path + ".index")
                    do throws(GICValueError) {
                        parsed.append(try RedistributorRegion(count: count, base: base, index: index))
                    } catch {
                        throw .json(path: path, reason: "\(error)")
                    }
                }
                placement = .regions(parsed)
            default:
                throw .json(path: "redistributors", reason: "must have exactly one of \"legacy\" and \"regions\"")
            }
        }
        var layouts: [VCPULayout] = []
        var states: [VCPUState] = []
        for (position, vcpu) in vcpus.enumerated() {
            let path = "vcpus[\(position)]"
            let id: UInt32 = try exactly(vcpu.id, path + ".id")
            let bits: UInt8 = try exactly(vcpu.priorityBits, path + ".priorityBits")
            layouts.append(VCPULayout(
                identity: VCPUIdentity(id: id, affinity: try parseAffinity(vcpu.affinity, path + ".affinity")),
                redistributorType: try parseHex(vcpu.gicrTyper, path + ".gicrTyper"), priorityBits: UInt32(bits)))
            var banks: [RegisterBank] = []
            for (number, bank) in vcpu.registers.enumerated() {
                banks.append(try bank.bank(path + ".registers[\(number)]"))
            }
            states.append(VCPUState(banks: banks))
        }
        let count: UInt32 = try exactly(interruptCount, "interruptCount")
        let identity = SnapshotIdentity(
            gicVersion: version, iidr: try parseHex32(iidr, "iidr"), typer: try parseHex32(typer, "typer"),
            typer2: try parseHex32(typer2, "typer2"), interruptCount: count,
            frames: FrameLayout(distributorBase: try parseHex(distributorBase, "distributorBase"), redistributors: placement),
            vcpus: layouts)
        var foreign: [ForeignSection] = []
        for (position, section) in foreignSections.enumerated() {
            let path = "foreignSections[\(position)]"
            let type: UInt16 = try exactly(section.type, path + ".type")
            let version: UInt16 = try exactly(section.version, path + ".version")
            foreign.append(ForeignSection(type: type, version: version, payload: try parseBytes(section.payload, path + ".payload")))
        }
        var distributorBanks: [RegisterBank] = []
        for (number, bank) in distributor.enumerated() {
            distributorBanks.append(try bank.bank("distributor[\(number)]"))
        }
        var itsState: ITSState?
        if let its {
            var registers: [ITSSavedValue] = []
            for (position, entry) in its.registers.enumerated() {
                let path = "its.registers[\(position)]"
                guard let register = ITSRestoreOrder.savedRegisters.first(where: { $0.description == entry.register }) else {
                    throw .json(path: path + ".register", reason: "\"\(entry.register)\" is not an ITS register a snapshot holds")
                }
                registers.append(ITSSavedValue(register, try parseHex(entry.value, path + ".value")))
            }
            itsState = ITSState(base: try parseHex(its.base, "its.base"), registers: registers)
        }
        let snapshot = GICSnapshot(
            identity: identity, distributor: distributorBanks, vcpus: states, its: itsState, foreignSections: foreign)
        if let problem = snapshot.formatProblem() { throw .unrepresentable(problem) }
        return snapshot
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
        values = bank.values.map { hex($0) }
    }

    func bank(_ path: String) throws(SnapshotToolError) -> RegisterBank {
        guard let resolved = SnapshotRegisterNames.register(named: register) else {
            throw .json(path: path + ".register", reason: "unknown register \"\(register)\"")
        }
        let first: UInt32 = try exactly(firstIndex, path + ".firstIndex")
        var parsed: [UInt64] = []
        for (position, value) in values.enumerated() { parsed.append(try parseHex(value, path + ".values[\(position)]")) }
        do throws(SnapshotValueError) {
            return try RegisterBank(resolved, firstIndex: first, values: parsed)
        } catch {
            throw .json(path: path, reason: "\(error)")
        }
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
        if let found = ICCRegister.named(name) { return .system(found) }
        return nil
    }
}

func byteHex(_ byte: UInt8) -> String {
    let digits = String(byte, radix: 16)
    return digits.count == 1 ? "0" + digits : digits
}

func affinityString(_ affinity: Affinity) -> String {
    "\(affinity.aff3).\(affinity.aff2).\(affinity.aff1).\(affinity.aff0)"
}

/// `value` as a `T` if it is exactly representable, or a refusal naming the field and range.
func exactly<T: FixedWidthInteger>(_ value: Int, _ path: String) throws(SnapshotToolError) -> T {
    guard let exact = T(exactly: value) else {
        throw .json(path: path, reason: "\(value) is outside \(T.min)...\(T.max)")
    }
    return exact
}

func parseHex(_ text: String, _ path: String) throws(SnapshotToolError) -> UInt64 {
    let digits = text.hasPrefix("0x") || text.hasPrefix("0X") ? String(text.dropFirst(2)) : text
    guard !digits.isEmpty, let value = UInt64(digits, radix: 16) else {
        throw .json(path: path, reason: "\"\(text)\" is not a 64-bit hex number")
    }
    return value
}

func parseHex32(_ text: String, _ path: String) throws(SnapshotToolError) -> UInt32 {
    guard let value = UInt32(exactly: try parseHex(text, path)) else {
        throw .json(path: path, reason: "\"\(text)\" exceeds 32 bits")
    }
    return value
}

func parseAffinity(_ text: String, _ path: String) throws(SnapshotToolError) -> Affinity {
    let parts = text.split(separator: ".", omittingEmptySubsequences: false).map { UInt8($0) }
    guard parts.count == 4, let aff3 = parts[0], let aff2 = parts[1], let aff1 = parts[2], let aff0 = parts[3] else {
        throw .json(path: path, reason: "\"\(text)\" is not Aff3.Aff2.Aff1.Aff0 (four numbers 0...255)")
    }
    return Affinity(aff3: aff3, aff2: aff2, aff1: aff1, aff0: aff0)
}

func parseBytes(_ text: String, _ path: String) throws(SnapshotToolError) -> [UInt8] {
    let characters = Array(text.utf8)
    guard characters.count % 2 == 0 else { throw .json(path: path, reason: "has an odd number of hex digits") }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(characters.count / 2)
    var index = 0
    while index < characters.count {
        guard let high = hexDigit(characters[index]), let low = hexDigit(characters[index + 1]) else {
            throw .json(path: path, reason: "is not hex at digit \(index)")
        }
        bytes.append(high << 4 | low)
        index += 2
    }
    return bytes
}

private func hexDigit(_ character: UInt8) -> UInt8? {
    switch character {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): character - UInt8(ascii: "A") + 10
    default: nil
    }
}
