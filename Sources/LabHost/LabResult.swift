/// The whole lab run: one `KernelResult` per kernel, in run order.
public struct LabResult: Sendable, Equatable {
    public var kernels: [KernelResult]

    public init(kernels: [KernelResult]) {
        self.kernels = kernels
    }

    public var totals: LabTotals {
        kernels.reduce(LabTotals()) { $0 + $1.totals }
    }

    /// True when nothing failed (timeouts, panics and unfinished runs are failures too).
    public var succeeded: Bool { totals.failed == 0 }
}
