/// A value a snapshot cannot hold: refused where it enters (`RegisterBank`'s initialiser and
/// `set(element:to:)`, the decoders) or, for identity fields wider than the binary format,
/// by `GICSnapshot.formatProblem()` before an encoding would change them.
///
/// The rule it enforces: every `GICSnapshot` a decoder returns encodes to bytes that decode to
/// an equal value, and every consumer (validation, restore, diff, JSON) handles it without a
/// trap. What is unrepresentable never gets in; nothing downstream re-checks ranges.
public enum SnapshotValueError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A bank for a register the format cannot name (see `SnapshotRegister.isNameable`).
    case unnameableRegister(SnapshotRegister)
    /// A bank whose elements `firstIndex ..< firstIndex + count` run past the register's
    /// `elementCount`.
    case elementsBeyondRegister(SnapshotRegister, firstIndex: UInt32, count: Int, elementCount: UInt32)
    /// An element the bank does not hold.
    case elementNotHeld(SnapshotRegister, index: UInt32, held: Range<UInt32>)
    /// A vCPU's priority bits above 255: the format stores them in one byte.
    case priorityBitsTooWide(position: Int, bits: UInt32)
    /// More redistributor regions than the format's 16-bit count.
    case tooManyRegions(Int)
    /// Per-vCPU state for another number of vCPUs than the identity lists: the format stores
    /// one vCPU section per identity entry.
    case vcpuStateCount(identity: Int, states: Int)
    /// A foreign section that claims one of the types this build reads itself (identity,
    /// distributor, vCPU): written out, it would be read back as that section.
    case foreignSectionType(UInt16)
    /// A section, bank or list longer than its 32-bit length field.
    case tooLong(what: StaticString, count: Int)

    public static func == (lhs: SnapshotValueError, rhs: SnapshotValueError) -> Bool {
        lhs.description == rhs.description
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(description)
    }

    public var description: String {
        switch self {
        case .unnameableRegister(let register):
            "\(register.name) cannot be saved in a bank of that kind"
        case .elementsBeyondRegister(let register, let first, let count, let limit):
            "\(register.name) has \(limit) elements; a bank of \(count) from element \(first) runs past them"
        case .elementNotHeld(let register, let index, let held):
            "\(register.name)[\(index)] is not in the bank (it holds \(held.lowerBound)..<\(held.upperBound))"
        case .priorityBitsTooWide(let position, let bits):
            "vCPU #\(position) records \(bits) priority bits; the format holds 0...255"
        case .tooManyRegions(let count):
            "\(count) redistributor regions; the format holds at most 65535"
        case .vcpuStateCount(let identity, let states):
            "identity lists \(identity) vCPUs but state is saved for \(states)"
        case .foreignSectionType(let type):
            "a foreign section cannot have type \(type), which this build reads itself"
        case .tooLong(let what, let count):
            "\(what) of \(count) does not fit a 32-bit length"
        }
    }
}
