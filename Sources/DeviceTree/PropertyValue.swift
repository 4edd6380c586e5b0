/// What a property holds, by the kinds the Devicetree Specification v0.4 names in §2.2.4
/// (DeviceTree.docc/FlattenedFormat.md, "Property values"): empty, `<u32>` cells, `<u64>` as two
/// cells, a `<string>`, a `<stringlist>`, a `<prop-encoded-array>` of bytes, a `<phandle>`.
///
/// The kind matters only to the writer of a tree and to a person reading it: the blob keeps
/// the bytes alone, so a property read back from a blob is `.bytes`, and `encoded` is what two
/// values are compared by (`DeviceTreeNode.rawForm`). The readings (`cells`, `strings`, …)
/// recover a kind from bytes and answer nil when the bytes cannot be one.
public enum PropertyValue: Hashable, Sendable {
    /// No value: a boolean property such as `interrupt-controller` or `ranges` (1:1 mapping).
    case empty
    /// Big-endian 32-bit cells (`<u32>`, `#interrupt-cells`, an interrupt specifier).
    case cells([UInt32])
    /// 64-bit values, each two cells, the high one first (`<u64>`, a 2+2-cell `reg`).
    case u64s([UInt64])
    /// One NUL-terminated string.
    case string(String)
    /// NUL-terminated strings one after the other (`compatible = "a", "b"`).
    case strings([String])
    /// Bytes as they are.
    case bytes([UInt8])
    /// A reference to the node whose `phandle` property has this value (one cell).
    case phandle(Phandle)

    /// The bytes the blob stores for this value.
    public var encoded: [UInt8] {
        switch self {
        case .empty:
            return []
        case .cells(let cells):
            var bytes: [UInt8] = []
            bytes.reserveCapacity(cells.count * 4)
            for cell in cells { bytes.appendBigEndian(cell) }
            return bytes
        case .u64s(let values):
            var bytes: [UInt8] = []
            bytes.reserveCapacity(values.count * 8)
            for value in values { bytes.appendBigEndian(value) }
            return bytes
        case .string(let string):
            return Array(string.utf8) + [0]
        case .strings(let strings):
            var bytes: [UInt8] = []
            for string in strings { bytes += Array(string.utf8) + [0] }
            return bytes
        case .bytes(let bytes):
            return bytes
        case .phandle(let phandle):
            return PropertyValue.cells([phandle.value]).encoded
        }
    }

    /// The strings of this value that hold a NUL byte, which the blob cannot keep apart from
    /// the terminator (the writer refuses them with `.stringContainsNUL`).
    var containsEmbeddedNUL: Bool {
        switch self {
        case .string(let string): string.utf8.contains(0)
        case .strings(let strings): strings.contains { $0.utf8.contains(0) }
        default: false
        }
    }

    // MARK: Readings of the bytes

    /// The value as big-endian cells, or nil when its length is not a multiple of 4.
    public var cells: [UInt32]? {
        let bytes = encoded
        guard bytes.count % 4 == 0 else { return nil }
        var cells: [UInt32] = []
        cells.reserveCapacity(bytes.count / 4)
        var at = 0
        while at < bytes.count {
            cells.append(bytes.bigEndianUInt32(at: at))
            at += 4
        }
        return cells
    }

    /// The value as 64-bit numbers (cell pairs, high first), or nil when its length is not a
    /// multiple of 8.
    public var u64s: [UInt64]? {
        guard let cells, cells.count % 2 == 0 else { return nil }
        var values: [UInt64] = []
        var at = 0
        while at < cells.count {
            values.append(UInt64(cells[at]) << 32 | UInt64(cells[at + 1]))
            at += 2
        }
        return values
    }

    /// The value as one cell, or nil when it is not exactly 4 bytes.
    public var u32: UInt32? {
        guard let cells, cells.count == 1 else { return nil }
        return cells[0]
    }

    /// The value as a list of NUL-terminated strings, or nil when it is empty, does not end in
    /// NUL, or is not UTF-8.
    public var strings: [String]? {
        let bytes = encoded
        guard let last = bytes.last, last == 0 else { return nil }
        var strings: [String] = []
        var start = 0
        for (at, byte) in bytes.enumerated() where byte == 0 {
            guard let string = String(validating: bytes[start..<at], as: UTF8.self) else { return nil }
            strings.append(string)
            start = at + 1
        }
        return strings
    }

    /// The value as exactly one string, or nil.
    public var string: String? {
        guard let strings, strings.count == 1 else { return nil }
        return strings[0]
    }
}

extension PropertyValue {
    /// A `reg` (or `ranges`-like) value: each (address, size) pair in `addressCells` and
    /// `sizeCells` cells, as the parent node's `#address-cells` / `#size-cells` say
    /// (Devicetree Specification v0.4 §2.3.6, DeviceTree.docc/FlattenedFormat.md).
    ///
    /// - Throws: `.valueDoesNotFit` when a number needs more cells than given, or a cell count
    ///   is above 2 (no 64-bit number needs more).
    public static func reg(
        _ ranges: [AddressRange], addressCells: Int = 2, sizeCells: Int = 2
    ) throws(DeviceTreeError) -> PropertyValue {
        var cells: [UInt32] = []
        for range in ranges {
            try append(range.address, in: addressCells, to: &cells)
            try append(range.size, in: sizeCells, to: &cells)
        }
        return .cells(cells)
    }

    /// One number as `count` (0...2) cells, high first.
    static func append(_ value: UInt64, in count: Int, to cells: inout [UInt32]) throws(DeviceTreeError) {
        switch count {
        case 0 where value == 0:
            break
        case 1 where value <= UInt64(UInt32.max):
            cells.append(UInt32(value))
        case 2:
            cells.append(UInt32(truncatingIfNeeded: value >> 32))
            cells.append(UInt32(truncatingIfNeeded: value))
        default:
            throw .valueDoesNotFit(value: value, cells: count)
        }
    }
}

/// A window of the parent's address space: where a device's registers start and how long
/// they are.
public struct AddressRange: Hashable, Sendable {
    public var address: UInt64
    public var size: UInt64

    public init(address: UInt64, size: UInt64) {
        self.address = address
        self.size = size
    }
}
