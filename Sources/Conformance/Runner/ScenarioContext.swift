import KVM

/// What a scenario sees of the run — which kernel it talks to, how much work it may do — and
/// where it records its figures.
///
/// The kernel is part of the context, not something a scenario opens for itself: the lab passes
/// `.live` (the arm64 KVM it booted), `swift test` passes `.simulated(SimulatedKernel)`, and the
/// same scenario code runs against either (`LabKernel` is the one place that opens it). Passed
/// `inout` so a scenario can only add figures, not see or disturb another scenario's: each
/// scenario gets a fresh context.
public struct ScenarioContext {
    /// `uname -r` of the kernel under test, for scenarios whose expectation depends on the
    /// kernel line (`KernelBehaviour(release:)`). A simulated kernel reports the line it
    /// simulates.
    public let kernelRelease: String
    /// Where every ioctl of the scenario goes: the running kernel or a simulator.
    public let kernel: KernelInterface
    /// How much of each repeated workload the scenarios do.
    public let budget: ScenarioBudget
    /// Figures recorded so far, in recording order.
    public private(set) var figures: [Figure]

    /// A context for one scenario against `kernel` (the live kernel unless told otherwise), at
    /// `budget` (the lab's full counts unless told otherwise).
    public init(kernelRelease: String, kernel: KernelInterface = .live, budget: ScenarioBudget = .full) {
        self.kernelRelease = kernelRelease
        self.kernel = kernel
        self.budget = budget
        self.figures = []
    }

    /// Records a figure; integers only (see `Figure`).
    public mutating func record(_ name: String, _ value: Int64, unit: String) {
        figures.append(Figure(name: name, value: value, unit: unit))
    }

    /// Whether this kernel has `requirement`: the live kernel has every one; a simulated kernel
    /// answers ioctls only.
    public func offers(_ requirement: KernelRequirement) -> Bool {
        switch (requirement, kernel) {
        case (_, .live): true
        case (.guestExecution, .simulated), (.kernelDescriptors, .simulated): false
        }
    }

    /// The skip reason for the first of `requirements` this kernel lacks, or nil when it has
    /// them all.
    public func missing(_ requirements: [KernelRequirement]) -> String? {
        for requirement in requirements where !offers(requirement) {
            return requirement.reasonWhenSimulated
        }
        return nil
    }
}
