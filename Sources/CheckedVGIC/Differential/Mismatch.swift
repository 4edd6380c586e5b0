import GICModel

/// The first disagreement a replay met: where, what each side said, and every field that
/// differed there.
public struct Mismatch: Hashable, Sendable {
    /// What disagreed.
    public enum Subject: Hashable, Sendable {
        /// The outcome of the operation at `step`.
        case operation(GICv3Operation)
        /// A location read after the operation at `step` (or in the final full comparison, whose
        /// `step` is the sequence length).
        case location(RegisterLocation)
    }

    public let subject: Subject
    /// The index of the operation after which the disagreement was seen; the sequence length for
    /// the final full comparison.
    public let step: Int
    /// The model's whole answer.
    public let expected: AccessOutcome
    /// The kernel's whole answer.
    public let actual: AccessOutcome
    /// The differences, field by field.
    public let differences: [StateDifference]

    public init(subject: Subject, step: Int, expected: AccessOutcome, actual: AccessOutcome, differences: [StateDifference]) {
        self.subject = subject
        self.step = step
        self.expected = expected
        self.actual = actual
        self.differences = differences
    }

    /// One line: the first difference and how many there were.
    public var summary: String {
        var text = differences.first?.description ?? "disagreement"
        if differences.count > 1 { text += " (+\(differences.count - 1) more fields)" }
        return text
    }
}
