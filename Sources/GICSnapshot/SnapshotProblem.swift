import GICVocabulary

/// Why a snapshot contradicts itself: what restore checks before anything is read from or written
/// to the target, so a hand-edited, truncated-but-re-checksummed or buggy snapshot cannot put
/// values into the wrong registers.
public enum SnapshotProblem: Hashable, Sendable, CustomStringConvertible {
    /// NR_IRQS must be a multiple of 32 in 64...992.
    case interruptCount(UInt32)
    /// GICD_TYPER.ITLinesNumber says another NR_IRQS than the identity.
    case typerDisagrees(typer: UInt32, interruptCount: UInt32)
    /// Priority bits must be 1 to 7: ICC_CTLR_EL1.PRIbits is 3 bits, KVM implements at most 7
    /// (the selftest's check), and userspace may lower a vCPU's below 5 (`set_gic_ctlr`).
    case priorityBits(position: Int, bits: UInt32)
    /// The identity lists `identity` vCPUs, the snapshot holds state for `states`.
    case vcpuStateCount(identity: Int, states: Int)
    /// Two vCPUs share an affinity (the kernel selects by affinity, so one would be lost).
    case duplicateAffinity(position: Int)
    /// A register the format requires in `scope` is missing.
    case missingBank(SnapshotRegister, SnapshotScope)
    /// A register `scope` must not hold, or holds twice.
    case unexpectedBank(SnapshotRegister, SnapshotScope)
    /// The bank holds other elements than NR_IRQS and the APR count call for.
    case bankElements(SnapshotRegister, SnapshotScope, expected: Range<UInt32>, found: Range<UInt32>)
    /// A 32-bit register holds a value above `UInt32.max`.
    case valueTooWide(SnapshotRegister, SnapshotScope, index: UInt32, value: UInt64)
    /// The vCPU's saved ICC_CTLR_EL1 implies other priority bits than its identity records.
    case controlDisagrees(position: Int, identityBits: UInt32, controlBits: UInt32)
    /// The ITS state contradicts itself or the identity.
    case its(ITSStateProblem)
    /// The ITS tables in the guest RAM given to restore would be refused by the kernel.
    case itsTables(ITSTableProblem)
    /// A value the snapshot format cannot hold (`GICSnapshot.formatProblem()`).
    case unrepresentable(SnapshotValueError)

    public var description: String {
        switch self {
        case .interruptCount(let count):
            "NR_IRQS \(count) is not a multiple of 32 in 64...992"
        case .typerDisagrees(let typer, let count):
            "GICD_TYPER \(hex(typer)) does not describe NR_IRQS \(count)"
        case .priorityBits(let position, let bits):
            "vCPU #\(position) records \(bits) priority bits; KVM allows 1 to 7"
        case .vcpuStateCount(let identity, let states):
            "identity lists \(identity) vCPUs but state is saved for \(states)"
        case .duplicateAffinity(let position):
            "vCPU #\(position) repeats the affinity of an earlier vCPU"
        case .missingBank(let register, let scope):
            "\(scope) lacks \(register.name)"
        case .unexpectedBank(let register, let scope):
            "\(scope) has an unexpected or repeated \(register.name)"
        case .bankElements(let register, let scope, let expected, let found):
            "\(scope) \(register.name) holds elements \(found.lowerBound)..<\(found.upperBound), expected \(expected.lowerBound)..<\(expected.upperBound)"
        case .valueTooWide(let register, let scope, let index, let value):
            "\(scope) \(register.name)[\(index)] = \(hex(value)) does not fit 32 bits"
        case .controlDisagrees(let position, let identityBits, let controlBits):
            "vCPU #\(position): identity records \(identityBits) priority bits, ICC_CTLR_EL1 says \(controlBits)"
        case .its(let problem):
            "\(problem)"
        case .itsTables(let problem):
            "\(problem)"
        case .unrepresentable(let error):
            "\(error)"
        }
    }
}
