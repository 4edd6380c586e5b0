import Conformance

/// The lab's result for one kernel: which kernel, how it ran, and every scenario record.
public struct KernelResult: Sendable, Equatable {
    /// How the kernel was asked for (`6.12`, `latest`) or `native` for an in-process run.
    public var label: String
    /// `uname -r` as the runner reported it, else the `.version` sidecar's release, else the
    /// label (a kernel that could not even be fetched).
    public var release: String
    /// Where it ran.
    public var mode: RunMode
    /// Wall time from launching the boot (or the native run) to the runner's `@@END`, or to the
    /// end of its output when no verdict came. Nil when nothing was booted.
    public var bootToVerdictMilliseconds: Int?
    public var scenarios: [ScenarioRecord]

    public enum RunMode: String, Sendable, Equatable, Codable {
        /// Booted under QEMU (emulated arm64 with EL2) with the runner as /init.
        case qemu
        /// In-process on an arm64 KVM host.
        case native
    }

    public init(
        label: String, release: String, mode: RunMode, bootToVerdictMilliseconds: Int?,
        scenarios: [ScenarioRecord]
    ) {
        self.label = label
        self.release = release
        self.mode = mode
        self.bootToVerdictMilliseconds = bootToVerdictMilliseconds
        self.scenarios = scenarios
    }

    public var totals: Totals { Totals(scenarios) }
}
