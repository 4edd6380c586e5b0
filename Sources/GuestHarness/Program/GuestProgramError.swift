/// Why a `GuestScript` is not a valid program. Raised when the program is built, before
/// anything reaches a guest.
public enum GuestProgramError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A read of a write-only register (EOIR, DIR, SGI1R) or a write of a read-only one (IAR,
    /// RPR, CNTVCT): UNDEFINED in the architecture, a fault in the guest.
    case wrongDirection(step: Int, GuestSysReg, write: Bool)
    /// A variable number above 15.
    case noSuchVariable(step: Int, UInt8)
    /// A jump to a label that was never bound.
    case unboundLabel(step: Int)
    /// A label bound twice.
    case reboundLabel
    /// More steps than the programs area holds.
    case tooLong(steps: Int, limit: Int)
    /// An MMIO offset that is not 4-byte aligned (the runtime makes 32-bit accesses).
    case misalignedOffset(step: Int, UInt32)

    public var description: String {
        switch self {
        case .wrongDirection(let step, let register, let write):
            "step \(step): \(register) cannot be \(write ? "written" : "read")"
        case .noSuchVariable(let step, let number): "step \(step): there is no variable \(number) (0...15)"
        case .unboundLabel(let step): "step \(step): jump to a label that was never bound"
        case .reboundLabel: "a label was bound twice"
        case .tooLong(let steps, let limit): "\(steps) steps: more than the \(limit) the programs area holds"
        case .misalignedOffset(let step, let offset): "step \(step): MMIO offset \(offset) is not a multiple of 4"
        }
    }
}
