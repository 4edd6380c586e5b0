/// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320, initial and final XOR 0xFFFFFFFF: the
/// zlib/PNG checksum), so a snapshot file damaged anywhere, even in a register value whose bytes
/// would still decode, is refused instead of restored. It detects every error burst of up to 32
/// bits, so every single damaged byte.
enum CRC32 {
    static let table: [UInt32] = (0..<256).map { (byte: UInt32) -> UInt32 in
        var value = byte
        for _ in 0..<8 {
            value = value & 1 != 0 ? (value >> 1) ^ 0xEDB8_8320 : value >> 1
        }
        return value
    }

    /// The checksum of `bytes[range]`.
    static func checksum(_ bytes: [UInt8], _ range: Range<Int>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for index in range {
            crc = table[Int((crc ^ UInt32(bytes[index])) & 0xFF)] ^ (crc >> 8)
        }
        return crc ^ 0xFFFF_FFFF
    }
}
