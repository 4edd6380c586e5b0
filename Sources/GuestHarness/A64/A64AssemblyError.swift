/// Why a program could not be assembled. The assembler records the first problem and
/// `A64Assembler.assemble()` throws it, so building code reads as a straight listing.
public enum A64AssemblyError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An immediate does not fit its field (`what` names the instruction and operand).
    case immediateOutOfRange(instruction: String, value: Int64)
    /// An offset is not a multiple of the access size, or a target is not word-aligned.
    case misaligned(instruction: String, value: Int64)
    /// SP or XZR where the instruction cannot take it.
    case invalidRegister(instruction: String, register: String)
    /// A label used by a branch or ADR was never bound.
    case unboundLabel(String)
    /// A label was bound twice.
    case reboundLabel(String)
    /// A branch target lies beyond the instruction's reach.
    case targetOutOfRange(instruction: String, distance: Int64)

    public var description: String {
        switch self {
        case .immediateOutOfRange(let instruction, let value): "\(instruction): immediate \(value) does not fit"
        case .misaligned(let instruction, let value): "\(instruction): \(value) is not aligned"
        case .invalidRegister(let instruction, let register): "\(instruction): \(register) is not allowed here"
        case .unboundLabel(let name): "label \(name) is used but never bound"
        case .reboundLabel(let name): "label \(name) is bound twice"
        case .targetOutOfRange(let instruction, let distance): "\(instruction): target \(distance) bytes away is out of range"
        }
    }
}
