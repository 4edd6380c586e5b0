import GICVocabulary

/// A pure-Swift reference model of the GICv3 that KVM's in-kernel vgic shows to userspace.
///
/// A value: configured by NR_IRQS, the vCPUs' affinities (in creation order, with their ids), ITS or not, the
/// kernel line and the host CPU-interface parameters; initialised in the state CTRL_INIT leaves.
/// Its entry points mirror KVM's attribute interface selector and all: DIST_REGS and REDIST_REGS
/// 32-bit words by (affinity, offset), LEVEL_INFO by `LevelInfoSelector`, CPU_SYSREGS by
/// (affinity, encoding) with 64-bit values, and `KVM_IRQ_LINE` by `IRQLineWord` and level. Where
/// the kernel refuses, the model throws a `ModelRefusal` naming the same errno.
///
/// State is kept the way the kernel keeps it (`struct vgic_irq`, the VMCR image), so every
/// register is computed from it on read, as `vgic-mmio*.c` and `vgic-sys-reg-v3.c` do.
/// The guest's view of the CPU interface (IAR, EOIR, …) is in `GICv3Model+GuestCPUInterface.swift`.
///
/// Cross-checked in the lab against Debian 6.12.117 and 7.3.4 (the differential fuzzer, the
/// attribute map and the reset-state comparison). What it deliberately leaves out:
/// * anything a running vCPU changes (List Registers, the ap_list, EOIcount, `active_spis`): the
///   attribute interface cannot see it, and every access needs the vCPUs stopped;
/// * LPIs and the ITS beyond GICR_CTLR.EnableLPIs and the PROPBASER/PENDBASER freeze (enabling
///   LPIs reads the guest's tables, which the model does not have);
/// * GICv4.1 direct SGIs (GICD_TYPER2.nASSGIcap, GICD_CTLR.nASSGIreq): the hosts here lack them;
/// * nested virtualisation (the ICH_* EL2 registers are hidden, as for a vCPU without EL2);
/// * the state before CTRL_INIT (`GICv3Setup` holds that).
/// vCPUs are assumed to have been created in id order, which decides redistributor placement.
public struct GICv3Model: Hashable, Sendable {
    /// SGIs + PPIs: INTIDs 0–31, banked per vCPU (`VGIC_NR_PRIVATE_IRQS`).
    public static let privateCount: UInt32 = 32
    /// SGIs: INTIDs 0–15 (`VGIC_NR_SGIS`).
    public static let sgiCount: UInt32 = 16
    /// GICR_PROPBASER once the VM has an ITS: `INITIAL_PROPBASER_VALUE` (inner RaWb, Inner
    /// Shareable), which `vgic_its_create` writes; 0 without one.
    public static let propbaserWithITS: UInt64 = 0x580

    /// What the model was built for.
    public let configuration: GICv3ModelConfiguration
    /// The distributor: its enable, revision, PROPBASER and the SPIs.
    public internal(set) var distributor: DistributorState
    /// One redistributor per vCPU, in creation order (`configuration.vcpuID(at:)` gives the id).
    public internal(set) var redistributors: [RedistributorState]
    /// Where the redistributors sit: what GICR_TYPER.Last follows. The configuration's layout at
    /// CTRL_INIT, then whatever `placeRedistributors` was told.
    public private(set) var redistributorLayout: RedistributorLayout
    /// GICR_TYPER.Last per vCPU, from `redistributorLayout`.
    private(set) var lastFlags: [Bool]
    /// The LPIs KVM holds (`dist->lpi_xa`), by INTID: created when an ITS maps them
    /// (`State/LPIState.swift`).
    public internal(set) var lpis: [UInt32: LPIState] = [:]

    /// The model right after CTRL_INIT (`vgic_init`): see `DistributorState` and
    /// `RedistributorState` for the reset values.
    public init(configuration: GICv3ModelConfiguration) {
        self.configuration = configuration
        distributor = DistributorState(spiCount: configuration.spiCount)
        distributor.implementationRevision = configuration.implementationRevision
        // `vgic_its_create` sets GICR_PROPBASER to INITIAL_PROPBASER_VALUE (VGIC.docc/ITS.md).
        if configuration.hasITS { distributor.propbaser = Self.propbaserWithITS }
        redistributors = configuration.vcpuAffinities.map {
            RedistributorState(affinity: $0, host: configuration.host)
        }
        redistributorLayout = configuration.redistributors
        lastFlags = configuration.redistributors.lastFlags(vcpuCount: configuration.vcpuAffinities.count)
    }

    /// The redistributor addresses changed after CTRL_INIT (a first REDIST block or another
    /// REDIST_REGION): GICR_TYPER.Last follows the new placement from now on.
    public mutating func placeRedistributors(_ layout: RedistributorLayout) {
        redistributorLayout = layout
        lastFlags = layout.lastFlags(vcpuCount: vcpuCount)
    }

    /// NR_IRQS.
    public var interruptCount: UInt32 { configuration.interruptCount }

    /// The vCPUs.
    public var vcpuCount: Int { redistributors.count }

    // MARK: Finding vCPUs and interrupts

    /// `kvm_mpidr_to_vcpu`: the vCPU whose affinity (all four levels) is `affinity`.
    public func vcpuIndex(of affinity: Affinity) -> Int? {
        for (index, redistributor) in redistributors.enumerated() where redistributor.affinity == affinity {
            return index
        }
        return nil
    }

    /// The vCPU an attr selector names, or EINVAL (`vgic_v3_parse_attr`).
    func vcpu(selectedBy affinity: Affinity) throws(ModelRefusal) -> Int {
        guard let index = vcpuIndex(of: affinity) else {
            throw ModelRefusal(.EINVAL, .noVCPUWithAffinity(affinity))
        }
        return index
    }

    /// The SPI target: the vCPU whose Aff2.Aff1.Aff0 equals the route and whose Aff3 is 0
    /// (`kvm_mpidr_to_vcpu(kvm, irq->mpidr)` with bits 23:0 only), or nil: such an SPI is never
    /// forwarded (vector G3-14 in GICModel.docc/GICv3TestVectors.md).
    public func targetVCPU(ofSPIRoute route: UInt32) -> Int? {
        vcpuIndex(of: Affinity(packed: route & 0xFF_FFFF))
    }

    /// Whether `intid` exists in this VM (private INTIDs always do; an LPI while KVM holds it).
    public func exists(_ intid: UInt32) -> Bool {
        intid < interruptCount || (intid >= Self.firstLPI && lpis[intid] != nil)
    }

    /// The state of `intid` as seen from `vcpu` (which matters for private INTIDs only).
    /// `intid` must exist (`exists`); an LPI KVM does not hold reads as a fresh one.
    public func interrupt(_ intid: UInt32, vcpu: Int) -> InterruptState {
        if intid < Self.privateCount { return redistributors[vcpu].privateInterrupts[Int(intid)] }
        if intid >= Self.firstLPI { return lpis[intid]?.interrupt ?? InterruptState(edge: true) }
        return distributor.spis[Int(intid - Self.privateCount)]
    }

    /// Changes `intid` as seen from `vcpu`. `intid` must exist (`exists`).
    mutating func update(_ intid: UInt32, vcpu: Int, _ change: (inout InterruptState) -> Void) {
        if intid < Self.privateCount {
            change(&redistributors[vcpu].privateInterrupts[Int(intid)])
        } else if intid >= Self.firstLPI {
            updateLPI(intid) { change(&$0.interrupt) }
        } else {
            change(&distributor.spis[Int(intid - Self.privateCount)])
        }
    }

    /// Replaces the whole state of `intid` on `vcpu`, for tests and test vectors that start from a
    /// given state. `intid` must be below NR_IRQS.
    public mutating func setInterrupt(_ intid: UInt32, vcpu: Int = 0, to state: InterruptState) {
        update(intid, vcpu: vcpu) { $0 = state }
    }

    /// Replaces `vcpu`'s CPU-interface state, for tests and vectors.
    public mutating func setCPUInterface(vcpu: Int, to state: CPUInterfaceState) {
        redistributors[vcpu].cpuInterface = state
    }

    /// Sets the distributor enable (GICD_CTLR.EnableGrp1) directly, for tests and vectors.
    public mutating func setDistributorEnabled(_ enabled: Bool) {
        distributor.enabled = enabled
    }
}
