/// What `kvm-gic conformance` asked the lab to do.
public struct LabOptions: Sendable, Equatable {
    /// Kernels to boot, in order (ignored by a native run, which tests the running kernel).
    public var kernels: [KernelKind]
    /// Seconds one boot may take, from QEMU start to power-off, before it is killed.
    public var timeoutSeconds: Int
    /// Only scenarios whose name contains this. Natively the runner skips the others; in the
    /// lab all run (the kernel command line is fixed) and the report keeps only these.
    public var filter: String?
    /// Which QEMU emulates the arm64 host the kernels boot on.
    public var qemu: LabQEMU

    public init(kernels: [KernelKind] = KernelKind.allCases, timeoutSeconds: Int = 300, filter: String? = nil,
                qemu: LabQEMU = .standard) {
        self.kernels = kernels
        self.timeoutSeconds = timeoutSeconds
        self.filter = filter
        self.qemu = qemu
    }

    /// The `--timeout` values accepted: one second to one day.
    public static let timeoutRange: ClosedRange<Int> = 1...86_400

    /// Why `filter` selects nothing from `scenarioNames` (empty, or part of no name), nil when
    /// it selects at least one. The same substring rule as the runner's own filter.
    public static func filterProblem(_ filter: String, scenarioNames: [String]) -> String? {
        if filter.isEmpty { return "--filter is empty: give part of a scenario name" }
        if scenarioNames.contains(where: { $0.contains(filter) }) { return nil }
        return "--filter '\(filter)' matches no scenario name"
    }

    /// Whether a scenario record belongs in the report under `filter`. The lab's own records
    /// (`lab.*`: boot failures, unfinished runs) always do.
    public func keeps(_ record: ScenarioRecord) -> Bool {
        guard let filter, !filter.isEmpty else { return true }
        return record.name.hasPrefix("lab.") || record.name.contains(filter)
    }
}
