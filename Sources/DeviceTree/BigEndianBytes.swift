/// Big-endian appends and bounded reads over a byte array: every multi-byte number in a
/// flattened devicetree is big-endian (Devicetree Specification v0.4 §5.1).
extension Array where Element == UInt8 {
    mutating func appendBigEndian(_ value: UInt32) {
        for shift in stride(from: 24, through: 0, by: -8) { append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    mutating func appendBigEndian(_ value: UInt64) {
        for shift in stride(from: 56, through: 0, by: -8) { append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    /// Zero bytes up to the next multiple of `alignment`.
    mutating func pad(to alignment: Int) {
        while count % alignment != 0 { append(0) }
    }

    /// The four bytes at `at` (the caller has checked `at + 4 <= count`).
    func bigEndianUInt32(at: Int) -> UInt32 {
        UInt32(self[at]) << 24 | UInt32(self[at + 1]) << 16 | UInt32(self[at + 2]) << 8 | UInt32(self[at + 3])
    }

    /// Overwrites the four bytes at `at`.
    mutating func setBigEndian(_ value: UInt32, at: Int) {
        for byte in 0..<4 { self[at + byte] = UInt8(truncatingIfNeeded: value >> UInt32(24 - 8 * byte)) }
    }
}
