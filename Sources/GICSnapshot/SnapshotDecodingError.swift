import GICVocabulary

/// Why bytes are not a snapshot this build can read. Every malformed input ends in one of these,
/// never in a trap: lengths are checked before every read and before every allocation.
public enum SnapshotDecodingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Fewer bytes than the structure at `offset` needs.
    case truncated(offset: Int, needed: Int, available: Int)
    /// The file does not start with "KVMGICSN".
    case badMagic
    /// A format version this build does not read.
    case unsupportedFormatVersion(UInt16)
    /// The CRC-32 at the end does not match the bytes before it.
    case checksumMismatch(stored: UInt32, computed: UInt32)
    /// A field that must be zero is not.
    case reservedNotZero(offset: Int)
    /// A known section type with a section version this build does not read.
    case unsupportedSectionVersion(type: UInt16, version: UInt16)
    /// A section's payload is longer or shorter than its contents.
    case sectionLength(type: UInt16, declared: Int, used: Int)
    /// Sections out of order, missing or repeated: identity, distributor, then vCPUs.
    case sectionOrder(type: UInt16, offset: Int)
    /// A required section is absent.
    case missingSection(type: UInt16)
    /// A field holds a value outside what it may hold (GIC version, redistributor kind, bank
    /// kind, a register key no table knows, a vCPU position out of order).
    case invalidValue(field: StaticString, value: UInt64, offset: Int)
    /// Bytes between the last section and the checksum.
    case trailingBytes(offset: Int)
    /// A bank the format can carry but no snapshot may hold (elements past its register), at
    /// the bank header at `offset`.
    case invalidBank(SnapshotValueError, offset: Int)
    /// The identity lists `identity` vCPUs but the file has `sections` vCPU sections.
    case vcpuSectionCount(identity: Int, sections: Int)

    public static func == (lhs: SnapshotDecodingError, rhs: SnapshotDecodingError) -> Bool {
        switch (lhs, rhs) {
        case let (.truncated(a, b, c), .truncated(x, y, z)): a == x && b == y && c == z
        case (.badMagic, .badMagic): true
        case let (.unsupportedFormatVersion(a), .unsupportedFormatVersion(x)): a == x
        case let (.checksumMismatch(a, b), .checksumMismatch(x, y)): a == x && b == y
        case let (.reservedNotZero(a), .reservedNotZero(x)): a == x
        case let (.unsupportedSectionVersion(a, b), .unsupportedSectionVersion(x, y)): a == x && b == y
        case let (.sectionLength(a, b, c), .sectionLength(x, y, z)): a == x && b == y && c == z
        case let (.sectionOrder(a, b), .sectionOrder(x, y)): a == x && b == y
        case let (.missingSection(a), .missingSection(x)): a == x
        case let (.invalidValue(a, b, c), .invalidValue(x, y, z)): a.description == x.description && b == y && c == z
        case let (.trailingBytes(a), .trailingBytes(x)): a == x
        case let (.invalidBank(a, b), .invalidBank(x, y)): a == x && b == y
        case let (.vcpuSectionCount(a, b), .vcpuSectionCount(x, y)): a == x && b == y
        default: false
        }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(description)
    }

    public var description: String {
        switch self {
        case .truncated(let offset, let needed, let available):
            "truncated at byte \(offset): \(needed) bytes needed, \(available) left"
        case .badMagic: "not a vgic snapshot (no KVMGICSN magic)"
        case .unsupportedFormatVersion(let version): "format version \(version) is not supported (this build reads 1)"
        case .checksumMismatch(let stored, let computed):
            "checksum mismatch: stored \(hex(stored)), computed \(hex(computed))"
        case .reservedNotZero(let offset): "reserved field at byte \(offset) is not zero"
        case .unsupportedSectionVersion(let type, let version): "section type \(type) version \(version) is not supported"
        case .sectionLength(let type, let declared, let used):
            "section type \(type) declares \(declared) bytes but its contents take \(used)"
        case .sectionOrder(let type, let offset): "section type \(type) at byte \(offset) is out of order or repeated"
        case .missingSection(let type): "section type \(type) is missing"
        case .invalidValue(let field, let value, let offset): "\(field) = \(value) at byte \(offset) is not valid"
        case .trailingBytes(let offset): "unexpected bytes at \(offset) before the checksum"
        case .invalidBank(let error, let offset): "bank at byte \(offset): \(error)"
        case .vcpuSectionCount(let identity, let sections):
            "identity lists \(identity) vCPUs but the file has \(sections) vCPU sections"
        }
    }
}
