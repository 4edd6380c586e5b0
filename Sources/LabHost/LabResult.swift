import Conformance

/// The whole lab run: one `KernelResult` per kernel, in run order.
public struct LabResult: Sendable, Equatable {
    public var kernels: [KernelResult]
    /// The signal (SIGINT, SIGTERM) that stopped the run, nil for a run that went to its end.
    /// An interrupted run holds the records seen so far plus a failed `lab.interrupted` record.
    public var interruptedBy: Int32?

    public init(kernels: [KernelResult], interruptedBy: Int32? = nil) {
        self.kernels = kernels
        self.interruptedBy = interruptedBy
    }

    public var totals: Totals {
        kernels.reduce(Totals()) { $0 + $1.totals }
    }

    /// True when nothing failed and the run was not interrupted (timeouts, panics and
    /// unfinished runs are failures too).
    public var succeeded: Bool { totals.failed == 0 && interruptedBy == nil }
}
