import GICVocabulary

/// The vgic-v3 device before and around CTRL_INIT: NR_IRQS, the frame addresses and whether
/// `vgic_init` has run, with the checks the kernel applies to them.
///
/// `GICv3Model` starts where CTRL_INIT leaves the vgic; this is what comes before it, so a
/// simulated kernel (and anything else that wants the kernel's answers) can follow a VMM from
/// `KVM_CREATE_DEVICE` on. `initialise` is `vgic_init`: it fixes the configuration the model is
/// built from. Sources: `vgic_set_common_attr` / `vgic_get_common_attr` / `kvm_vgic_addr`
/// (`vgic-kvm-device.c`), `vgic_check_iorange` (`vgic.c`), `vgic_v3_alloc_redist_region`
/// (`vgic-mmio-v3.c`), `kvm_arch_vcpu_precreate` (`arm.c`).
///
/// Not modelled: the overlap checks the first `KVM_RUN` makes (`vgic_v3_map_resources`), and
/// vCPUs being created concurrently with CTRL_INIT.
public struct GICv3Setup: Hashable, Sendable {
    /// The VM's IPA size: every frame must end at or below `1 << ipaBits`.
    public let ipaBits: Int
    /// NR_IRQS as set by userspace or, after CTRL_INIT, by its default; nil while unset.
    public private(set) var interruptCount: UInt32?
    /// The distributor base (`vgic_dist_base`), nil while `VGIC_ADDR_UNDEF`.
    public private(set) var distributorBase: UInt64?
    /// The redistributor regions in index order (`rd_regions`, one `struct vgic_redist_region`
    /// each); a legacy block is one region with `count` 0, whose size grows with the vCPUs.
    public private(set) var redistributorRegions: [RedistributorLayout.Region] = []
    /// Whether `vgic_init` has run.
    public private(set) var isInitialised = false
    /// GICD_IIDR's Revision (`implementation_rev`): the latest when the device is created, or what
    /// userspace wrote before CTRL_INIT where the kernel line allows it; CTRL_INIT keeps it.
    public private(set) var implementationRevision = GICv3Model.latestImplementationRevision

    /// `KVM_DEV_ARM_VGIC_GRP_ADDR` types a vgic-v3 answers (`KVM_VGIC_V3_ADDR_TYPE_*` in the arm64
    /// `uapi/asm/kvm.h`; GICModel carries no C headers, the simulated kernel's tests compare them).
    public enum AddressType: UInt64, Hashable, Sendable, CaseIterable {
        case distributor = 2
        case redistributor = 3
        case redistributorRegion = 5
    }

    /// NR_IRQS when nothing set it: `VGIC_NR_IRQS_LEGACY`, what `vgic_init` supplies.
    public static let defaultInterruptCount: UInt32 = 256
    /// `VGIC_MAX_RESERVED`: the largest NR_IRQS `vgic_set_common_attr` accepts (before the
    /// multiple-of-32 rule makes it 992).
    public static let maximumInterruptCount: UInt32 = 1023
    /// `KVM_VGIC_V3_DIST_SIZE`, and the alignment of every vgic-v3 frame (`SZ_64K`).
    public static let distributorSize: UInt64 = 0x1_0000
    /// `VGIC_ADDR_UNDEF`: what an unset address reads as.
    public static let undefinedAddress: UInt64 = UInt64.max

    /// A new device on a VM with `ipaBits` of IPA space.
    public init(ipaBits: Int) {
        self.ipaBits = ipaBits
    }

    // MARK: NR_IRQS

    /// SET NR_IRQS: EINVAL outside 64...1023 or not a multiple of 32, then EBUSY once fixed.
    public mutating func setInterruptCount(_ count: UInt32) throws(ModelRefusal) {
        guard count >= GICv3Model.privateCount + 32, count <= Self.maximumInterruptCount, count % 32 == 0 else {
            throw ModelRefusal(.EINVAL, .interruptCountRejected(count))
        }
        guard interruptCount == nil else { throw ModelRefusal(.EBUSY, .interruptCountFixed) }
        interruptCount = count
    }

    /// GET NR_IRQS: `nr_spis + VGIC_NR_PRIVATE_IRQS`, so 32 while nothing fixed it.
    public var reportedInterruptCount: UInt32 {
        interruptCount ?? GICv3Model.privateCount
    }

    // MARK: Addresses

    /// HAS of an ADDR type: ENXIO for anything but DIST, REDIST and REDIST_REGION.
    public func hasAddress(type raw: UInt64) throws(ModelRefusal) {
        _ = try Self.addressType(raw)
    }

    /// SET of an ADDR type with the 64-bit value userspace passed.
    public mutating func setAddress(type raw: UInt64, _ value: UInt64) throws(ModelRefusal) {
        switch try Self.addressType(raw) {
        case .distributor:
            if distributorBase != nil { throw ModelRefusal(.EEXIST, .addressAlreadySet(raw)) }
            try checkRange(value, size: Self.distributorSize)
            distributorBase = value
        case .redistributor:
            try addRegion(index: 0, base: value, count: 0)
        case .redistributorRegion:
            let count = UInt32(truncatingIfNeeded: (value & RedistributorRegion.countMask) >> RedistributorRegion.countShift)
            guard count != 0, value & RedistributorRegion.flagsMask == 0 else {
                throw ModelRefusal(.EINVAL, .regionWordRejected(value))
            }
            try addRegion(
                index: UInt32(truncatingIfNeeded: value & RedistributorRegion.indexMask),
                base: value & RedistributorRegion.baseMask, count: count)
        }
    }

    /// GET of an ADDR type. `request` is what userspace preset in the buffer: for
    /// REDIST_REGION the kernel reads the index from it and answers ENOENT past the last region.
    public func address(type raw: UInt64, request: UInt64 = 0) throws(ModelRefusal) -> UInt64 {
        switch try Self.addressType(raw) {
        case .distributor:
            return distributorBase ?? Self.undefinedAddress
        case .redistributor:
            return redistributorRegions.first?.base ?? Self.undefinedAddress
        case .redistributorRegion:
            let index = UInt32(truncatingIfNeeded: request & RedistributorRegion.indexMask)
            guard Int(index) < redistributorRegions.count else {
                throw ModelRefusal(.ENOENT, .noSuchRegion(index: index))
            }
            let region = redistributorRegions[Int(index)]
            return UInt64(index) | region.base | UInt64(region.count) << RedistributorRegion.countShift
        }
    }

    static func addressType(_ raw: UInt64) throws(ModelRefusal) -> AddressType {
        guard let type = AddressType(rawValue: raw) else { throw ModelRefusal(.ENXIO, .noSuchAddressType(raw)) }
        return type
    }

    /// `vgic_v3_alloc_redist_region`: a wrapping end, then order and layout, then overlaps (with
    /// the distributor only for numbered regions: a legacy block overlapping it is caught at the
    /// first `KVM_RUN`, which is not modelled), then the range.
    mutating func addRegion(index: UInt32, base: UInt64, count: UInt32) throws(ModelRefusal) {
        let size = UInt64(Swift.max(count, 1)) * RedistributorRegion.redistributorSize
        let (end, wraps) = base.addingReportingOverflow(size)
        if wraps { throw ModelRefusal(.EINVAL, .addressMisaligned(base)) }
        if let last = redistributorRegions.last {
            // A legacy block after regions, or regions after a legacy block, mix the layouts;
            // a legacy block after a legacy block is a second one.
            if (count == 0) != (last.count == 0) { throw ModelRefusal(.EINVAL, .regionOutOfOrder(index: index)) }
            if count == 0 { throw ModelRefusal(.EEXIST, .addressAlreadySet(AddressType.redistributor.rawValue)) }
            if Int(index) != redistributorRegions.count { throw ModelRefusal(.EINVAL, .regionOutOfOrder(index: index)) }
        } else if index != 0 {
            throw ModelRefusal(.EINVAL, .regionOutOfOrder(index: index))
        }
        if count != 0, let distributor = distributorBase, base < distributor + Self.distributorSize, distributor < end {
            throw ModelRefusal(.EINVAL, .regionOverlaps(base: base))
        }
        for region in redistributorRegions {
            let regionEnd = region.base + UInt64(Swift.max(region.count, 1)) * RedistributorRegion.redistributorSize
            if base < regionEnd && region.base < end { throw ModelRefusal(.EINVAL, .regionOverlaps(base: base)) }
        }
        try checkRange(base, size: size)
        redistributorRegions.append(RedistributorLayout.Region(base: base, count: count))
    }

    /// `vgic_check_iorange` past its "already set" test: 64 KiB alignment (EINVAL), no wrap
    /// (EINVAL), the whole frame inside the IPA space (E2BIG).
    func checkRange(_ base: UInt64, size: UInt64) throws(ModelRefusal) {
        guard base % Self.distributorSize == 0 else { throw ModelRefusal(.EINVAL, .addressMisaligned(base)) }
        let (end, wraps) = base.addingReportingOverflow(size)
        if wraps { throw ModelRefusal(.EINVAL, .addressMisaligned(base)) }
        let top: UInt64 = ipaBits >= 64 ? UInt64.max : 1 << UInt64(ipaBits)
        guard base < top, end <= top else { throw ModelRefusal(.E2BIG, .addressBeyondIPA(base, ipaBits: ipaBits)) }
    }

    // MARK: Distributor registers before CTRL_INIT

    /// GET of the distributor word at `offset` before CTRL_INIT (`vgic_v3_attr_regs_access` before
    /// `vgic_initialized`): EBUSY, except GICD_IIDR and GICD_TYPER2 where `kernel` lets userspace
    /// read them early (`KernelBehaviour.allowsIdentificationRegistersBeforeInit`).
    public func readDistributor(offset: UInt32, kernel: KernelBehaviour) throws(ModelRefusal) -> UInt32 {
        switch try earlyRegister(offset, kernel) {
        case .gicdIIDR: return GICv3Model.iidr(revision: implementationRevision)
        default: return GICv3Model.distributorTYPER2
        }
    }

    /// SET of the distributor word at `offset` before CTRL_INIT: EBUSY, except where `kernel` lets
    /// userspace choose GICD_IIDR's revision (the rules of a later write, kept for CTRL_INIT) and
    /// GICD_TYPER2's nASSGIcap. The hosts modelled have no GICv4.1 direct SGIs
    /// (`system_supports_direct_sgis`), so the only TYPER2 a write may leave is the one read:
    /// anything else is EINVAL (`vgic_mmio_uaccess_write_v3_misc`: a change outside nASSGIcap, or
    /// nASSGIcap without host support).
    public mutating func writeDistributor(offset: UInt32, _ value: UInt32, kernel: KernelBehaviour) throws(ModelRefusal) {
        switch try earlyRegister(offset, kernel) {
        case .gicdIIDR:
            implementationRevision = try GICv3Model.revision(
                ofIIDRWrite: value, current: GICv3Model.iidr(revision: implementationRevision))
        default:
            if value != GICv3Model.distributorTYPER2 {
                throw ModelRefusal(.EINVAL, .typer2Rejected(written: value, current: GICv3Model.distributorTYPER2))
            }
        }
    }

    /// The register at `offset` if `kernel` allows it before CTRL_INIT (`reg_allowed_pre_init`
    /// compares the whole offset), else EBUSY.
    private func earlyRegister(_ offset: UInt32, _ kernel: KernelBehaviour) throws(ModelRefusal) -> GICv3Register {
        if kernel.allowsIdentificationRegistersBeforeInit {
            if offset == GICv3Register.gicdIIDR.offset { return .gicdIIDR }
            if offset == GICv3Register.gicdTYPER2.offset { return .gicdTYPER2 }
        }
        throw ModelRefusal(.EBUSY, .notInitialised)
    }

    // MARK: CTRL_INIT and the vCPUs

    /// `kvm_arch_vcpu_precreate`: no vCPU can join an initialised vgic (EBUSY).
    public func checkVCPUCreation() throws(ModelRefusal) {
        if isInitialised { throw ModelRefusal(.EBUSY, .vcpuAfterInitialisation) }
    }

    /// Register accesses (`vgic_v3_attr_regs_access`) and lines (`vgic_lazy_init`) need
    /// CTRL_INIT first (EBUSY).
    public func checkInitialised() throws(ModelRefusal) {
        if !isInitialised { throw ModelRefusal(.EBUSY, .notInitialised) }
    }

    /// CTRL_INIT (`vgic_init`): NR_IRQS gets its default if unset, and the configuration the
    /// model starts from is returned. A second CTRL_INIT succeeds and changes nothing: nil.
    public mutating func initialise(
        vcpuAffinities: [Affinity], hasITS: Bool, kernel: KernelBehaviour, host: HostCPUInterface,
        mutations: ModelMutation = []
    ) -> GICv3ModelConfiguration? {
        guard !isInitialised else { return nil }
        isInitialised = true
        let count = interruptCount ?? Self.defaultInterruptCount
        interruptCount = count
        var configuration = GICv3ModelConfiguration(
            interruptCount: count, vcpuAffinities: vcpuAffinities, hasITS: hasITS, kernel: kernel, host: host,
            redistributors: redistributorLayout, mutations: mutations)
        configuration.implementationRevision = implementationRevision
        return configuration
    }

    /// The layout GICR_TYPER.Last follows: unplaced before any redistributor address, legacy for a
    /// REDIST block, the regions otherwise.
    public var redistributorLayout: RedistributorLayout {
        guard let first = redistributorRegions.first else { return .unplaced }
        return first.count != 0 ? .regions(redistributorRegions) : .legacy
    }
}

extension GICv3Setup {
    /// `KVM_VGIC_ITS_ADDR_TYPE` of an ITS on this VM: EEXIST when `alreadySet`, then
    /// `vgic_check_iorange` for a frame of `size` bytes.
    public func setITSAddress(_ base: UInt64, alreadySet: Bool, size: UInt64) throws(ModelRefusal) {
        if alreadySet { throw ModelRefusal(.EEXIST, .addressAlreadySet(4)) }
        try checkRange(base, size: size)
    }
}
