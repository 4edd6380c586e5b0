import GICVocabulary

/// A reference model of a KVM GICv5 VM: per-vCPU PPI state as KVM keeps it (`struct vgic_irq` plus
/// the ICH register images), KVM's entry/exit life cycle, its injection paths and WFI pending check,
/// its userspace register accessors, and the VM's IRS (SPIs and LPIs). A value type: copy it to
/// branch, compare `snapshot()`s to check.
///
/// The model starts where KVM is after `KVM_DEV_ARM_VGIC_CTRL_INIT` (`vgic_v5_init`): the
/// userspace-drivable PPIs are known, but which PPIs the guest sees (`vgic_ppi_mask`) is decided
/// at the first vCPU run (`vgic_v5_finalize_ppi_state`) and is empty until then.
///
/// Sources: `arch/arm64/kvm/vgic/vgic-v5.c` @01f492e1, `hyp/vgic-v5-sr.c` @af325e87, the
/// `sys_regs.c` trap handlers, GICv5Model.docc/GICv5UnderKVM.md.
public struct GICv5VM: Hashable, Sendable {
    public let configuration: GICv5VMConfiguration
    /// PPIs KVM implements on this host.
    public let implementedPPIs: PPISet
    /// `userspace_ppis`: the PPIs `KVM_IRQ_LINE` may drive, SW_PPI ∩ implemented; what the
    /// `USERSPACE_PPIS` attribute returns (vector K5-05 in
    /// GICv5Model.docc/GICv5TestVectors.md).
    public private(set) var userspacePPIs: PPISet
    /// `vgic_ppi_mask`: the PPIs exposed to the guest, implemented PPIs that have an owner plus
    /// SW_PPI; empty until the first vCPU run.
    public private(set) var exposedPPIs: PPISet
    /// `vgic_ppi_hmr`: the exposed level PPIs (written by KVM, read by nothing in 7.1).
    public private(set) var exposedLevelPPIs: PPISet
    /// The vCPUs, index = vCPU id.
    public internal(set) var vcpus: [GICv5VCPUState]
    /// The IRS with the VM's SPIs and LPIs. The guest's instructions act on it directly (it is
    /// hardware-managed under KVM); pass it `inout` to `GICv5Guest`.
    public var irs: GICv5IRS

    /// A VM after `CTRL_INIT`. Throws `.outOfRange(what: .vcpuCount, …)` for fewer than 1 vCPU.
    public init(_ configuration: GICv5VMConfiguration = GICv5VMConfiguration()) throws(GICv5ModelError) {
        guard configuration.vcpuCount >= 1 else {
            throw .outOfRange(what: .vcpuCount, value: UInt64(max(configuration.vcpuCount, 0)),
                              allowed: 1...UInt64(UInt16.max))
        }
        self.configuration = configuration
        implementedPPIs = configuration.implementedPPIs
        userspacePPIs = PPISet([.swPPI]).intersection(implementedPPIs)
        exposedPPIs = .empty
        exposedLevelPPIs = .empty
        vcpus = (0..<configuration.vcpuCount).map {
            GICv5VCPUState(index: $0, ownedPPIs: configuration.ownedPPIs)
        }
        irs = GICv5IRS(spiCount: configuration.spiCount, lpiIDBits: configuration.lpiIDBits,
                       priorityBits: configuration.irsPriorityBits)
    }

    /// Replaces the userspace-drivable PPIs, for tests and vectors that stand for another
    /// kernel's `vgic_v5_init` (a later release may let userspace drive more than SW_PPI).
    public mutating func setUserspacePPIs(_ ppis: PPISet) {
        userspacePPIs = ppis
    }

    /// The state of vCPU `index`.
    public func vcpu(_ index: Int) throws(GICv5ModelError) -> GICv5VCPUState {
        try check(index)
        return vcpus[index]
    }

    /// Whether the first run has decided the exposed PPIs. Like the kernel ("If SW_PPI has been
    /// advertised, then we know we already initialised the whole thing"), this is read from the
    /// mask itself: SW_PPI is always exposed once it is decided.
    public var isFinalized: Bool { exposedPPIs[.swPPI] }

    func check(_ index: Int) throws(GICv5ModelError) {
        guard vcpus.indices.contains(index) else { throw .noSuchVCPU(index: index, count: vcpus.count) }
    }

    func checkStopped(_ index: Int) throws(GICv5ModelError) {
        try check(index)
        guard !vcpus[index].isRunning else { throw .vcpuRunning(index: index) }
    }

    /// `vgic_v5_finalize_ppi_state`, at the first run of any vCPU: exposes each implemented PPI that
    /// has an owner on vCPU 0, and SW_PPI, and records which of them are level.
    mutating func finalizeIfNeeded() {
        guard !isFinalized else { return }
        var exposed = PPISet.empty
        var level = PPISet.empty
        for ppi in implementedPPIs.members {
            let state = vcpus[0][ppi]
            guard state.hasOwner || ppi == .swPPI else { continue }
            exposed[ppi] = true
            level[ppi] = state.handlingMode == .level
        }
        exposedPPIs = exposed
        exposedLevelPPIs = level
    }
}
