import GICModel

/// What one operation did on each side, and the difference if they disagreed.
public struct OperationReport: Hashable, Sendable {
    /// The operation.
    public let operation: GICv3Operation
    /// The kernel's outcome (`.done` or `.refused(errno)`).
    public let kernel: AccessOutcome
    /// The model's outcome.
    public let model: AccessOutcome

    public init(operation: GICv3Operation, kernel: AccessOutcome, model: AccessOutcome) {
        self.operation = operation
        self.kernel = kernel
        self.model = model
    }

    /// Whether both sides answered alike (both accepted, or both refused with the same errno).
    public var agrees: Bool { kernel == model }
}
