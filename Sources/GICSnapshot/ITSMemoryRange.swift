import GICVocabulary
import VGIC

/// A range of guest RAM that holds ITS or LPI state of a snapshot: the VMM must restore it before
/// the vgic is restored (arm-vgic-its.rst "ITS Restore Sequence", step a).
public struct ITSMemoryRange: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: Hashable, Sendable, CustomStringConvertible {
        /// GITS_BASER0's table (with `Indirect`, its first level; the second-level pages it
        /// names are guest RAM the VMM migrates with the rest).
        case deviceTable
        /// GITS_BASER1's table.
        case collectionTable
        /// GITS_CBASER's queue: commands between GITS_CREADR and GITS_CWRITER still to run.
        case commandQueue
        /// GICR_PROPBASER's property table (one per VM).
        case propertyTable
        /// The pending table of the vCPU with this affinity (its GICR_PENDBASER).
        case pendingTable(Affinity)

        public var description: String {
            switch self {
            case .deviceTable: "device table"
            case .collectionTable: "collection table"
            case .commandQueue: "command queue"
            case .propertyTable: "LPI property table"
            case .pendingTable(let affinity): "pending table of vCPU \(affinity)"
            }
        }
    }

    public let kind: Kind
    public let range: Range<UInt64>

    public init(_ kind: Kind, _ range: Range<UInt64>) {
        self.kind = kind
        self.range = range
    }

    public var description: String { "\(kind) \(hex(range.lowerBound))..<\(hex(range.upperBound))" }
}

/// The guest-physical ranges the VMM has restored before restoring the vgic, as it declares them
/// to `VGIC.restoreSnapshot`: a restore with an ITS refuses (`.guestMemoryNotRestored`) before its
/// first write unless these cover every range of `GICSnapshot.itsMemoryRanges`.
public struct RestoredGuestMemory: Hashable, Sendable {
    public var ranges: [Range<UInt64>]

    public init(_ ranges: [Range<UInt64>]) { self.ranges = ranges }

    /// Nothing declared: enough for a snapshot without an ITS.
    public static let none = RestoredGuestMemory([])

    /// Whether the declared ranges together cover `range` (adjacent or overlapping ranges join).
    public func covers(_ range: Range<UInt64>) -> Bool {
        var cursor = range.lowerBound
        var progressed = true
        while cursor < range.upperBound && progressed {
            progressed = false
            for declared in ranges where declared.lowerBound <= cursor && cursor < declared.upperBound {
                cursor = declared.upperBound
                progressed = true
            }
        }
        return cursor >= range.upperBound
    }
}

extension GICSnapshot {
    /// The guest RAM that holds this snapshot's ITS and LPI state: the Valid device and collection
    /// tables and command queue, and — for the vCPUs with GICR_CTLR.EnableLPIs — the property table
    /// and each one's pending table, sized by GICR_PROPBASER.IDbits. Empty without an ITS.
    ///
    /// The ITTs are not listed: their addresses are in the device table's entries, in guest RAM,
    /// which the VMM restores with the rest of memory.
    public var itsMemoryRanges: [ITSMemoryRange] {
        guard let its else { return [] }
        var ranges: [ITSMemoryRange] = []
        func add(_ kind: ITSMemoryRange.Kind, _ base: UInt64, _ bytes: UInt64) {
            let (end, overflow) = base.addingReportingOverflow(bytes)
            ranges.append(ITSMemoryRange(kind, base..<(overflow ? UInt64.max : end)))
        }
        for (index, kind) in [(UInt32(0), ITSMemoryRange.Kind.deviceTable), (1, .collectionTable)] {
            let table = ITSTableBase(rawValue: its.value(.gitsBASER, index: index) ?? 0)
            if table.isValid { add(kind, table.tableAddress, UInt64(table.tableBytes)) }
        }
        let queue = ITSTableBase(rawValue: its.value(.gitsCBASER) ?? 0)
        if queue.isValid { add(.commandQueue, queue.queueAddress, UInt64(queue.queueBytes)) }
        var propertyTableAdded = false
        for (position, layout) in identity.vcpus.enumerated() where position < vcpus.count {
            let scope = SnapshotScope.vcpu(position)
            let control = bank(.redistributor(.gicrCTLR), in: scope)?.values.first ?? 0
            guard control & 1 != 0 else { continue }
            let propbaser = bank(.redistributor(.gicrPROPBASER), in: scope)?.values.first ?? 0
            let pendbaser = bank(.redistributor(.gicrPENDBASER), in: scope)?.values.first ?? 0
            let limit = UInt64(LPITableBase.lpiLimit(propbaser))
            if !propertyTableAdded && limit > UInt64(ITSTableABI.firstLPI) {
                add(.propertyTable, LPITableBase.propertyTable(propbaser), limit - UInt64(ITSTableABI.firstLPI))
                propertyTableAdded = true
            }
            add(.pendingTable(layout.identity.affinity), LPITableBase.pendingTable(pendbaser), limit / 8)
        }
        return ranges
    }
}
