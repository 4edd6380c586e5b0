/// SplitMix64 (Steele, Lea, Flood 2014): a tiny seeded generator, so every fuzz sequence replays
/// exactly from its seed on any machine, Embedded or not.
public struct SplitMix64: Sendable {
    public private(set) var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `0..<bound` (bound > 0); the modulo bias is irrelevant for fuzzing.
    public mutating func below(_ bound: UInt32) -> UInt32 {
        UInt32(truncatingIfNeeded: next() % UInt64(bound))
    }

    /// True with probability `percent`/100.
    public mutating func chance(_ percent: UInt32) -> Bool { below(100) < percent }

    /// One of `choices`, which must not be empty.
    public mutating func pick<T>(_ choices: [T]) -> T { choices[Int(below(UInt32(choices.count)))] }

    /// A 32-bit value with a shape that finds bugs: all zeros, all ones, one bit, a few bits, or
    /// noise.
    public mutating func word() -> UInt32 {
        switch below(6) {
        case 0: return 0
        case 1: return 0xFFFF_FFFF
        case 2: return 1 << below(32)
        case 3: return UInt32(truncatingIfNeeded: next() & next() & next())
        default: return UInt32(truncatingIfNeeded: next())
        }
    }
}
