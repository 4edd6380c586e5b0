import Foundation
import GICSnapshot

/// The JSON form of a snapshot, for people and tools: registers by architectural name, values as
/// `0x…` hex strings, the same content as the binary encoding.
///
/// ```json
/// { "format": "kvm-gic-snapshot", "formatVersion": 1, "gicVersion": 3,
///   "iidr": "0x304b43b", "typer": "0x4c0007", "typer2": "0x0", "interruptCount": 256,
///   "distributorBase": "0x8000000", "redistributors": { "legacy": "0x80a0000" },
///   "distributor": [ { "register": "GICD_CTLR", "firstIndex": 0, "values": ["0x52"] }, … ],
///   "vcpus": [ { "id": 0, "affinity": "0.0.0.0", "gicrTyper": "0x10", "priorityBits": 5,
///                "registers": [ { "register": "GICR_PROPBASER", … }, … ] } ],
///   "its": { "base": "0x8080000", "registers": [ { "register": "GITS_IIDR", "value": "0x4b00043b" }, … ] },
///   "foreignSections": [] }
/// ```
///
/// `its` is absent for a vgic without an ITS.
public struct SnapshotDocument: Codable, Equatable, Sendable {
    /// Always "kvm-gic-snapshot": how a reader tells this JSON from any other.
    public var format: String
    public var formatVersion: Int
    public var gicVersion: Int
    public var iidr: String
    public var typer: String
    public var typer2: String
    public var interruptCount: Int
    public var distributorBase: String
    public var redistributors: RedistributorPlacement?
    public var distributor: [Bank]
    public var vcpus: [VCPU]
    /// The ITS section, when the vgic has an ITS.
    public var its: ITS?
    public var foreignSections: [Foreign]

    public static let formatName = "kvm-gic-snapshot"

    /// Either a legacy block or regions.
    public struct RedistributorPlacement: Codable, Equatable, Sendable {
        public var legacy: String?
        public var regions: [Region]?

        public init(legacy: String?, regions: [Region]?) {
            self.legacy = legacy
            self.regions = regions
        }
    }

    public struct Region: Codable, Equatable, Sendable {
        public var count: Int
        public var base: String
        public var index: Int

        public init(count: Int, base: String, index: Int) {
            self.count = count
            self.base = base
            self.index = index
        }
    }

    public struct VCPU: Codable, Equatable, Sendable {
        public var id: Int
        /// "Aff3.Aff2.Aff1.Aff0", decimal.
        public var affinity: String
        public var gicrTyper: String
        public var priorityBits: Int
        public var registers: [Bank]
    }

    public struct Bank: Codable, Equatable, Sendable {
        public var register: String
        public var firstIndex: Int
        public var values: [String]
    }

    /// The ITS: its frame base and the registers `ITSRestoreOrder` writes back, by name
    /// (GITS_BASER0, GITS_BASER1 by element).
    public struct ITS: Codable, Equatable, Sendable {
        public var base: String
        public var registers: [Register]

        public struct Register: Codable, Equatable, Sendable {
            public var register: String
            public var value: String
        }
    }

    public struct Foreign: Codable, Equatable, Sendable {
        public var type: Int
        public var version: Int
        /// Lower-case hex, two digits per byte.
        public var payload: String

        public init(type: Int, version: Int, payload: String) {
            self.type = type
            self.version = version
            self.payload = payload
        }
    }

    /// Pretty, key-sorted JSON.
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }
}
