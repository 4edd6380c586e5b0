import GICVocabulary

/// Everything that sizes and parameterises a `GICv3Model`: what KVM knows after CTRL_INIT.
public struct GICv3ModelConfiguration: Hashable, Sendable {
    /// NR_IRQS: SGIs + PPIs + SPIs, a multiple of 32 in 64...992 (the kernel's default is 256).
    public var interruptCount: UInt32
    /// Each vCPU's affinity (from its MPIDR_EL1), indexed by vCPU id: the id `KVM_IRQ_LINE` uses.
    public var vcpuAffinities: [Affinity]
    /// Whether an ITS was created (GICD_TYPER.LPIS/IDbits, GICR_TYPER.PLPIS, GICR_CTLR.EnableLPIs).
    public var hasITS: Bool
    /// Which kernel line's behaviour to reproduce.
    public var kernel: KernelBehaviour
    /// The host CPU-interface parameters KVM copies into each vCPU.
    public var host: HostCPUInterface
    /// Where the redistributors are, for GICR_TYPER.Last.
    public var redistributors: RedistributorLayout
    /// Deliberate errors, for the mutation check only. Empty by default.
    public var mutations: ModelMutation

    public init(
        interruptCount: UInt32 = 256, vcpuAffinities: [Affinity], hasITS: Bool = false,
        kernel: KernelBehaviour = .linux7, host: HostCPUInterface = .qemuMax,
        redistributors: RedistributorLayout = .legacy, mutations: ModelMutation = []
    ) {
        self.interruptCount = interruptCount
        self.vcpuAffinities = vcpuAffinities
        self.hasITS = hasITS
        self.kernel = kernel
        self.host = host
        self.redistributors = redistributors
        self.mutations = mutations
    }

    /// `count` vCPUs with KVM's reset affinities (ids 0..<count).
    public static func vcpus(
        _ count: UInt32, interruptCount: UInt32 = 256, kernel: KernelBehaviour = .linux7,
        host: HostCPUInterface = .qemuMax
    ) -> GICv3ModelConfiguration {
        var affinities: [Affinity] = []
        for id in 0..<count { affinities.append(.kvmResetDefault(vcpuID: id)) }
        return GICv3ModelConfiguration(
            interruptCount: interruptCount, vcpuAffinities: affinities, kernel: kernel, host: host)
    }

    /// The number of SPIs, NR_IRQS − 32.
    public var spiCount: UInt32 { interruptCount - GICv3Model.privateCount }
}
