import GICVocabulary

/// Everything that sizes and parameterises a `GICv3Model`: what KVM knows after CTRL_INIT.
public struct GICv3ModelConfiguration: Hashable, Sendable {
    /// NR_IRQS: SGIs + PPIs + SPIs, a multiple of 32 in 64...992 (the kernel's default is 256).
    public var interruptCount: UInt32
    /// Each vCPU's affinity (from its MPIDR_EL1), in creation order; the vCPU's position here is
    /// its index in the model (its id too, unless `vcpuIDs` says otherwise).
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
    /// GICD_IIDR's Revision at CTRL_INIT (`implementation_rev`): 3, `KVM_VGIC_IMP_REV_LATEST`,
    /// unless userspace wrote revision 2 before CTRL_INIT, which Linux 7.x allows
    /// (`GICv3Setup.writeDistributor`).
    public var implementationRevision: UInt32 = GICv3Model.latestImplementationRevision
    /// Each vCPU's `vcpu_id` (what `KVM_CREATE_VCPU` was given), in the order of
    /// `vcpuAffinities`; nil for ids 0, 1, 2, … A VMM may number its vCPUs sparsely:
    /// `KVM_IRQ_LINE` finds a PPI's vCPU by this id (`kvm_get_vcpu_by_id`) and GICR_TYPER reports
    /// it as the processor number (`vgic_mmio_read_v3r_typer`).
    public var vcpuIDs: [UInt32]?

    public init(
        interruptCount: UInt32 = 256, vcpuAffinities: [Affinity], hasITS: Bool = false,
        kernel: KernelBehaviour = .linux7, host: HostCPUInterface = .qemuMax,
        redistributors: RedistributorLayout = .legacy, mutations: ModelMutation = [], vcpuIDs: [UInt32]? = nil
    ) {
        self.interruptCount = interruptCount
        self.vcpuAffinities = vcpuAffinities
        self.hasITS = hasITS
        self.kernel = kernel
        self.host = host
        self.redistributors = redistributors
        self.mutations = mutations
        self.vcpuIDs = vcpuIDs
    }

    /// The `vcpu_id` of the vCPU at `index`.
    public func vcpuID(at index: Int) -> UInt32 {
        vcpuIDs?[index] ?? UInt32(index)
    }

    /// The index of the vCPU whose `vcpu_id` is `id`, or nil.
    public func vcpuIndex(id: UInt32) -> Int? {
        guard let vcpuIDs else { return Int(id) < vcpuAffinities.count ? Int(id) : nil }
        return vcpuIDs.firstIndex(of: id)
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
