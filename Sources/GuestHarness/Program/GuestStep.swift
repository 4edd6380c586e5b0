/// A step as the runtime reads it from guest memory: 32 bytes, little-endian.
///
/// | bytes | field | |
/// |---|---|---|
/// | 0 | opcode | `GuestOpcode` |
/// | 1 | source | operand source: 0 immediate, 1 accumulator, 2 variable |
/// | 2–3 | a | register slot, frame, variable, comparison or mask |
/// | 4–7 | b | offset, log tag, host call, or jump target (step index) |
/// | 8–15 | immediate | the operand's immediate (or variable number) |
/// | 16–23 | c | a second immediate (priority) |
/// | 24–31 | reserved | 0 |
public struct GuestStep: Hashable, Sendable {
    public static let size = 32

    public var opcode: GuestOpcode
    public var source: UInt8 = 0
    public var a: UInt16 = 0
    public var b: UInt32 = 0
    public var immediate: UInt64 = 0
    public var c: UInt64 = 0

    public init(_ opcode: GuestOpcode, source: UInt8 = 0, a: UInt16 = 0, b: UInt32 = 0, immediate: UInt64 = 0, c: UInt64 = 0) {
        self.opcode = opcode
        self.source = source
        self.a = a
        self.b = b
        self.immediate = immediate
        self.c = c
    }

    /// The 32 bytes.
    public var bytes: [UInt8] {
        var out: [UInt8] = [opcode.rawValue, source]
        out.append(contentsOf: littleEndian(UInt64(a), count: 2))
        out.append(contentsOf: littleEndian(UInt64(b), count: 4))
        out.append(contentsOf: littleEndian(immediate, count: 8))
        out.append(contentsOf: littleEndian(c, count: 8))
        out.append(contentsOf: [UInt8](repeating: 0, count: 8))
        return out
    }

    /// Decodes 32 bytes, or nil if they do not hold a known opcode.
    public init?(bytes: ArraySlice<UInt8>) {
        guard bytes.count == Self.size, let opcode = GuestOpcode(rawValue: bytes[bytes.startIndex]) else { return nil }
        let start = bytes.startIndex
        self.opcode = opcode
        source = bytes[start + 1]
        a = UInt16(truncatingIfNeeded: readLittleEndian(bytes, at: start + 2, count: 2))
        b = UInt32(truncatingIfNeeded: readLittleEndian(bytes, at: start + 4, count: 4))
        immediate = readLittleEndian(bytes, at: start + 8, count: 8)
        c = readLittleEndian(bytes, at: start + 16, count: 8)
    }
}

func littleEndian(_ value: UInt64, count: Int) -> [UInt8] {
    (0..<count).map { UInt8(truncatingIfNeeded: value >> UInt64(8 * $0)) }
}

func readLittleEndian(_ bytes: ArraySlice<UInt8>, at offset: Int, count: Int) -> UInt64 {
    var value: UInt64 = 0
    for i in 0..<count { value |= UInt64(bytes[offset + i]) << UInt64(8 * i) }
    return value
}
