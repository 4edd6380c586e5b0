import GICSnapshot
import GICVocabulary
import VGIC

/// One way two snapshots differ: where, and the two values as text (nil: absent on that side).
public struct SnapshotDifference: Equatable, Sendable, CustomStringConvertible {
    /// "identity.interruptCount", "distributor GICD_ISENABLER[1]", "vCPU 0 (0.0.0.0) ICC_PMR_EL1[0]".
    public var location: String
    public var before: String?
    public var after: String?
    /// For per-INTID registers: the INTIDs whose field changed.
    public var intids: [UInt32]

    public init(location: String, before: String?, after: String?, intids: [UInt32] = []) {
        self.location = location
        self.before = before
        self.after = after
        self.intids = intids
    }

    public var description: String {
        var line = "\(location): \(before ?? "(absent)") -> \(after ?? "(absent)")"
        if !intids.isEmpty {
            line += intids.count <= 16
                ? " (INTID " + intids.map { String($0) }.joined(separator: ", ") + ")"
                : " (\(intids.count) INTIDs from \(intids[0]))"
        }
        return line
    }
}

/// Register-by-register comparison of two snapshots: what `kvm-gic snapshot diff` prints.
public enum SnapshotDiff {
    /// Every difference, identity first, then the distributor, then each vCPU, in restore order.
    public static func differences(_ a: GICSnapshot, _ b: GICSnapshot) -> [SnapshotDifference] {
        var result: [SnapshotDifference] = []
        func field(_ name: String, _ x: String, _ y: String) {
            if x != y { result.append(SnapshotDifference(location: "identity." + name, before: x, after: y)) }
        }
        let x = a.identity
        let y = b.identity
        field("gicVersion", "\(x.gicVersion)", "\(y.gicVersion)")
        field("iidr", hex(x.iidr), hex(y.iidr))
        field("typer", hex(x.typer), hex(y.typer))
        field("typer2", hex(UInt64(x.typer2)), hex(UInt64(y.typer2)))
        field("interruptCount", "\(x.interruptCount)", "\(y.interruptCount)")
        field("distributorBase", hex(x.frames.distributorBase), hex(y.frames.distributorBase))
        field("redistributors", placement(x.frames.redistributors), placement(y.frames.redistributors))
        field("vcpuCount", "\(x.vcpus.count)", "\(y.vcpus.count)")
        for position in 0..<max(x.vcpus.count, y.vcpus.count) {
            let left = x.vcpus.indices.contains(position) ? x.vcpus[position] : nil
            let right = y.vcpus.indices.contains(position) ? y.vcpus[position] : nil
            let prefix = "vcpus[\(position)]."
            field(prefix + "id", left.map { "\($0.identity.id)" } ?? "(absent)", right.map { "\($0.identity.id)" } ?? "(absent)")
            field(prefix + "affinity", left.map { affinityString($0.identity.affinity) } ?? "(absent)",
                right.map { affinityString($0.identity.affinity) } ?? "(absent)")
            field(prefix + "gicrTyper", left.map { hex($0.redistributorType) } ?? "(absent)",
                right.map { hex($0.redistributorType) } ?? "(absent)")
            field(prefix + "priorityBits", left.map { "\($0.priorityBits)" } ?? "(absent)",
                right.map { "\($0.priorityBits)" } ?? "(absent)")
        }
        field("its.base", a.its.map { hex($0.base) } ?? "(absent)", b.its.map { hex($0.base) } ?? "(absent)")
        for register in ITSRestoreOrder.savedRegisters {
            let before = a.its.map { $0.value(register).map { hex($0) } ?? "(absent)" } ?? "(absent)"
            let after = b.its.map { $0.value(register).map { hex($0) } ?? "(absent)" } ?? "(absent)"
            if before != after { result.append(SnapshotDifference(location: "its.\(register)", before: before, after: after)) }
        }
        field("foreignSections", a.foreignSections.map { "\($0.type)v\($0.version)/\($0.payload.count)B" }.joined(separator: ","),
            b.foreignSections.map { "\($0.type)v\($0.version)/\($0.payload.count)B" }.joined(separator: ","))

        let left = keyed(a.entries)
        let right = keyed(b.entries)
        var rightValues: [Key: UInt64] = [:]
        for (key, entry) in right { rightValues[key] = entry.value }
        var leftKeys = Set<Key>()
        for (key, entry) in left {
            leftKeys.insert(key)
            let other = rightValues[key]
            if other != entry.value {
                result.append(difference(entry, a, before: entry.value, after: other))
            }
        }
        for (key, entry) in right where !leftKeys.contains(key) {
            result.append(difference(entry, b, before: nil, after: entry.value))
        }
        return result
    }

    /// Each entry with its key. A malformed snapshot may hold a register twice in one scope;
    /// the occurrence number keeps the copies apart, so a diff stays symmetric and a snapshot
    /// never differs from itself.
    private static func keyed(_ entries: [SnapshotEntry]) -> [(Key, SnapshotEntry)] {
        var seen: [Key: Int] = [:]
        return entries.map { entry in
            var key = Key(entry)
            let occurrence = seen[key, default: 0]
            seen[key] = occurrence + 1
            key.occurrence = occurrence
            return (key, entry)
        }
    }

    /// The diff as printed lines: one per difference, or a single "identical" line.
    public static func lines(_ a: GICSnapshot, _ b: GICSnapshot) -> [String] {
        let found = differences(a, b)
        if found.isEmpty { return ["snapshots are identical"] }
        return found.map(\.description) + ["\(found.count) difference\(found.count == 1 ? "" : "s")"]
    }

    /// What `kvm-gic snapshot diff A B` does: read both files (binary or JSON, detected), compare.
    /// Throws when a file cannot be read or decoded (the tool's status 2).
    public static func run(_ pathA: String, _ pathB: String) throws(SnapshotToolError) -> (identical: Bool, lines: [String]) {
        let a = try SnapshotFile.read(pathA)
        let b = try SnapshotFile.read(pathB)
        let found = differences(a, b)
        return (found.isEmpty, lines(a, b))
    }

    private struct Key: Hashable {
        var scope: SnapshotScope
        var register: SnapshotRegister
        var index: UInt32
        var occurrence = 0

        init(_ entry: SnapshotEntry) {
            scope = entry.scope
            register = entry.register
            index = entry.index
        }
    }

    private static func difference(_ entry: SnapshotEntry, _ snapshot: GICSnapshot, before: UInt64?, after: UInt64?) -> SnapshotDifference {
        var location: String
        switch entry.scope {
        case .distributor:
            location = "distributor"
        case .vcpu(let position):
            if snapshot.identity.vcpus.indices.contains(position) {
                let identity = snapshot.identity.vcpus[position].identity
                location = "vCPU \(identity.id) (\(affinityString(identity.affinity)))"
            } else {
                location = "vCPU #\(position)"
            }
        }
        location += " \(entry.register.name)[\(entry.index)]"
        var changed: [UInt32] = []
        if let range = SnapshotCoverage.intids(of: entry.register, index: entry.index) {
            let width = UInt32(range.count) == 32 ? UInt32(1) : 32 / UInt32(range.count)
            let mask: UInt64 = width == 64 ? UInt64.max : (1 << UInt64(width)) - 1
            let xor = (before ?? 0) ^ (after ?? 0)
            for (slot, intid) in range.enumerated() where (xor >> (UInt64(slot) * UInt64(width))) & mask != 0 {
                changed.append(intid)
            }
            if case .distributor(let register) = entry.register, register == .gicdIROUTER, xor != 0 {
                changed = [range.lowerBound]
            }
        }
        return SnapshotDifference(
            location: location, before: before.map { hex($0) }, after: after.map { hex($0) }, intids: changed)
    }

    private static func placement(_ redistributors: Redistributors?) -> String {
        switch redistributors {
        case nil: return "none"
        case .legacy(let base)?: return "legacy at " + hex(base)
        case .regions(let regions)?:
            return regions.map { "\($0.count)@\(hex($0.base))" }.joined(separator: ", ")
        }
    }
}
