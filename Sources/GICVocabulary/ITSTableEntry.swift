/// The 8-byte table entries of KVM's ITS table ABI revision 0, the only one there is: what
/// `KVM_DEV_ARM_ITS_SAVE_TABLES` writes into guest RAM and `KVM_DEV_ARM_ITS_RESTORE_TABLES` reads
/// back (Documentation/virt/kvm/devices/arm-vgic-its.rst "ITS Table ABI REV0", the `KVM_ITS_*`
/// masks of `arch/arm64/kvm/vgic/vgic.h`; GICVocabulary.docc/ITSTables.md).
///
/// Each type decodes any 64-bit word (`init(rawValue:)`: the fields where the restore path reads
/// them) and encodes its fields back (`rawValue`), little-endian in memory.
public enum ITSTableABI {
    /// Bytes per entry in every table (`ABI_0_ESZ`).
    public static let entrySize = 8
    /// The device table is indexed by DeviceID: KVM offers 16 DeviceID bits (`VITS_TYPER_DEVBITS`).
    public static let deviceIDBits: UInt32 = 16
    /// The ITTs are indexed by EventID: 16 EventID bits (`VITS_TYPER_IDBITS`).
    public static let eventIDBits: UInt32 = 16
    /// A DTE's `next` is capped at 2^14 − 1 (`VITS_DTE_MAX_DEVID_OFFSET`), an ITE's at 2^16 − 1.
    public static let deviceOffsetLimit: UInt32 = (1 << 14) - 1
    public static let eventOffsetLimit: UInt32 = (1 << 16) - 1
    /// The first LPI (`VGIC_MIN_LPI`).
    public static let firstLPI: UInt32 = 8192
    /// A collection that targets no vCPU (`COLLECTION_NOT_MAPPED`), as its RDBase field holds it.
    public static let unmappedTarget: UInt32 = 0xFFFF_FFFF
}

/// A device table entry: `| V 63 | next 62:49 | ITT_addr 48:5 (address bits 51:8) | Size 4:0 |`.
public struct ITSDeviceTableEntry: Hashable, Sendable, CustomStringConvertible {
    public var valid: Bool
    /// The DeviceID offset to the next valid entry, 0 for the last.
    public var next: UInt32
    /// The ITT's guest-physical address (256-byte aligned).
    public var ittAddress: UInt64
    /// EventID bits (Size + 1), 1...32.
    public var eventIDBits: UInt8

    public init(valid: Bool = true, next: UInt32, ittAddress: UInt64, eventIDBits: UInt8) {
        self.valid = valid
        self.next = next
        self.ittAddress = ittAddress
        self.eventIDBits = eventIDBits
    }

    public init(rawValue: UInt64) {
        valid = rawValue >> 63 == 1
        next = UInt32(rawValue >> 49 & 0x3FFF)
        ittAddress = (rawValue >> 5 & 0xFFF_FFFF_FFFF) << 8
        eventIDBits = UInt8(rawValue & 0x1F) + 1
    }

    public var rawValue: UInt64 {
        (valid ? 1 << 63 : 0) | UInt64(next & 0x3FFF) << 49 | (ittAddress >> 8 & 0xFFF_FFFF_FFFF) << 5
            | UInt64(eventIDBits &- 1) & 0x1F
    }

    public var description: String {
        valid ? "DTE(next \(next), itt \(hex(ittAddress)), \(eventIDBits) bits)" : "DTE(invalid)"
    }
}

/// An interrupt translation entry: `| next 63:48 | pINTID 47:16 | ICID 15:0 |`; valid when pINTID
/// is not 0.
public struct ITSTranslationTableEntry: Hashable, Sendable, CustomStringConvertible {
    /// The EventID offset to the next valid entry, 0 for the last.
    public var next: UInt16
    /// The LPI (0: no translation).
    public var lpi: UInt32
    /// The collection.
    public var collection: UInt16

    public init(next: UInt16, lpi: UInt32, collection: UInt16) {
        self.next = next
        self.lpi = lpi
        self.collection = collection
    }

    public init(rawValue: UInt64) {
        next = UInt16(truncatingIfNeeded: rawValue >> 48)
        lpi = UInt32(truncatingIfNeeded: rawValue >> 16)
        collection = UInt16(truncatingIfNeeded: rawValue)
    }

    public var rawValue: UInt64 { UInt64(next) << 48 | UInt64(lpi) << 16 | UInt64(collection) }

    public var isValid: Bool { lpi != 0 }

    public var description: String {
        isValid ? "ITE(next \(next), LPI \(lpi), col \(collection))" : "ITE(invalid)"
    }
}

/// A collection table entry: `| V 63 | RES0 62:52 | RDBase 51:16 | ICID 15:0 |`. KVM writes the
/// target vCPU id (or `ITSTableABI.unmappedTarget`) at bit 16 and reads bits 47:16 back.
public struct ITSCollectionTableEntry: Hashable, Sendable, CustomStringConvertible {
    public var valid: Bool
    /// The target vCPU id, or `ITSTableABI.unmappedTarget`.
    public var target: UInt32
    public var collection: UInt16

    public init(valid: Bool = true, target: UInt32, collection: UInt16) {
        self.valid = valid
        self.target = target
        self.collection = collection
    }

    public init(rawValue: UInt64) {
        valid = rawValue >> 63 == 1
        target = UInt32(truncatingIfNeeded: rawValue >> 16)
        collection = UInt16(truncatingIfNeeded: rawValue)
    }

    public var rawValue: UInt64 { (valid ? 1 << 63 : 0) | UInt64(target) << 16 | UInt64(collection) }

    /// Whether the collection targets a vCPU.
    public var isMapped: Bool { target != ITSTableABI.unmappedTarget }

    public var description: String {
        guard valid else { return "CTE(invalid)" }
        return isMapped ? "CTE(col \(collection) → vCPU \(target))" : "CTE(col \(collection) unmapped)"
    }
}

/// A first-level entry of an indirect (two-level) device table: `| V 63 | address 51:16 |`, each
/// naming one 64 KiB page of DTEs.
public struct ITSLevel1Entry: Hashable, Sendable {
    public var valid: Bool
    public var address: UInt64

    public init(valid: Bool, address: UInt64) {
        self.valid = valid
        self.address = address
    }

    public init(rawValue: UInt64) {
        valid = rawValue >> 63 == 1
        address = rawValue & 0x000F_FFFF_FFFF_0000
    }

    public var rawValue: UInt64 { (valid ? 1 << 63 : 0) | address & 0x000F_FFFF_FFFF_0000 }
}
