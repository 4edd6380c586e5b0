/// One entry of a vCPU's log, as the runtime recorded it: the tag and value the step named, and
/// where it was recorded (program, step, handler depth).
public struct GuestLogEntry: Hashable, Sendable, CustomStringConvertible {
    public var tag: GuestLogTag
    public var value: UInt64
    /// Handler nesting depth: 0 in the main program, 1 in a handler, 2 in a nested one, ….
    public var depth: UInt8
    public var program: GuestProgramKind
    /// The logging step's index in its program.
    public var step: Int

    public init(tag: GuestLogTag, value: UInt64, depth: UInt8, program: GuestProgramKind, step: Int) {
        self.tag = tag
        self.value = value
        self.depth = depth
        self.program = program
        self.step = step
    }

    /// Decodes the runtime's header word: tag 15:0, depth 23:16, program 31:24, step 63:32.
    /// Nil for a program number the runtime never writes.
    public init?(header: UInt64, value: UInt64) {
        guard let program = GuestProgramKind(rawValue: UInt8(truncatingIfNeeded: header >> 24)) else { return nil }
        self.init(
            tag: GuestLogTag(UInt16(truncatingIfNeeded: header)), value: value,
            depth: UInt8(truncatingIfNeeded: header >> 16), program: program, step: Int(truncatingIfNeeded: header >> 32))
    }

    /// The header word the runtime writes for this entry.
    public var header: UInt64 {
        UInt64(tag.rawValue) | UInt64(depth) << 16 | UInt64(program.rawValue) << 24 | UInt64(UInt32(truncatingIfNeeded: step)) << 32
    }

    public var description: String { "\(tag)=\(hexString(value)) (\(program)[\(step)], depth \(depth))" }
}
