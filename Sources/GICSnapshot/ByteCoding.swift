/// Little-endian appending, for the encoder.
struct ByteWriter {
    private(set) var bytes: [UInt8] = []

    mutating func u8(_ value: UInt8) { bytes.append(value) }

    mutating func u16(_ value: UInt16) {
        bytes.append(UInt8(truncatingIfNeeded: value))
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
    }

    mutating func u32(_ value: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    mutating func u64(_ value: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    mutating func append(_ other: [UInt8]) { bytes.append(contentsOf: other) }
}

/// Little-endian reading that checks every length first and throws instead of trapping.
struct ByteReader {
    let bytes: [UInt8]
    /// The next byte to read.
    private(set) var offset: Int
    /// One past the last byte this reader may read.
    let end: Int

    init(_ bytes: [UInt8], from start: Int, to end: Int) {
        self.bytes = bytes
        self.offset = start
        self.end = end
    }

    var remaining: Int { end - offset }

    /// Throws `.truncated` unless `count` more bytes are available.
    func require(_ count: Int) throws(SnapshotDecodingError) {
        guard count >= 0, count <= remaining else {
            throw .truncated(offset: offset, needed: count, available: remaining)
        }
    }

    mutating func u8() throws(SnapshotDecodingError) -> UInt8 {
        try require(1)
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func u16() throws(SnapshotDecodingError) -> UInt16 {
        try require(2)
        defer { offset += 2 }
        return UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
    }

    mutating func u32() throws(SnapshotDecodingError) -> UInt32 {
        try require(4)
        var value: UInt32 = 0
        for byte in 0..<4 { value |= UInt32(bytes[offset + byte]) << UInt32(8 * byte) }
        offset += 4
        return value
    }

    mutating func u64() throws(SnapshotDecodingError) -> UInt64 {
        try require(8)
        var value: UInt64 = 0
        for byte in 0..<8 { value |= UInt64(bytes[offset + byte]) << UInt64(8 * byte) }
        offset += 8
        return value
    }

    mutating func take(_ count: Int) throws(SnapshotDecodingError) -> [UInt8] {
        try require(count)
        defer { offset += count }
        return Array(bytes[offset..<(offset + count)])
    }

    mutating func skip(_ count: Int) throws(SnapshotDecodingError) {
        try require(count)
        offset += count
    }

    /// Reads a reserved field of `width` bytes and throws unless it is zero.
    mutating func reserved(_ width: Int) throws(SnapshotDecodingError) {
        let at = offset
        try require(width)
        for byte in 0..<width where bytes[offset + byte] != 0 {
            throw .reservedNotZero(offset: at + byte)
        }
        offset += width
    }
}
