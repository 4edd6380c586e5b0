/// Where a step takes its value from: an immediate, the accumulator (the last value read), or
/// one of the vCPU's 16 program variables.
public enum GuestOperand: Hashable, Sendable, CustomStringConvertible {
    case immediate(UInt64)
    case accumulator
    /// Variable 0...15 (`GuestContext.variableCount`).
    case variable(UInt8)

    /// The step's source byte: 0 immediate, 1 accumulator, 2 variable (whose number is in the
    /// immediate field).
    var sourceByte: UInt8 {
        switch self {
        case .immediate: 0
        case .accumulator: 1
        case .variable: 2
        }
    }

    /// The step's immediate field.
    var immediate: UInt64 {
        switch self {
        case .immediate(let value): value
        case .accumulator: 0
        case .variable(let number): UInt64(number & 0xF)
        }
    }

    public var description: String {
        switch self {
        case .immediate(let value): hexString(value)
        case .accumulator: "acc"
        case .variable(let number): "v\(number)"
        }
    }
}

/// `0x…` without depending on the vocabulary's helper in this low-level file.
func hexString(_ value: UInt64) -> String { "0x" + String(value, radix: 16) }
