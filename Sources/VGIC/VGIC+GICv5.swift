import GICVocabulary
import KVM

/// The GICv5 device path of Linux 7.1 (`KVM_DEV_TYPE_ARM_VGIC_V5`, uapi doc §2.5).
///
/// The order the kernel demands, which the kernel's own `vgic_v5.c` selftest follows:
///
///     var gic = try VGIC.createUninitialised(on: vm, version: .v5)   // KVM_CREATE_DEVICE
///     let vcpu = try vm.createVCPU(id: 0) ...                          // every vCPU
///     try gic.initialise()                                             // CTRL_INIT, USERSPACE_PPIS
///     try gic.setLevel(.swPPI, on: identity, true)                     // KVM_IRQ_LINE
///
/// A GICv5 has no addresses and no NR_IRQS in 7.1, so `VGIC.create(on:configuration: .v5,
/// vcpus:)` (vCPUs first, then the device) is the same two ioctls in the other order; the
/// kernel accepts both (private IRQs are allocated for vCPUs that exist at create and for
/// later ones as they are created). What it refuses is a vCPU created after CTRL_INIT (EBUSY)
/// and any injection before it.
///
/// Every request the kernel would refuse is refused here first, with `.configuration(_)` and
/// no ioctl: a PPI outside the VM's `USERSPACE_PPIS` mask, an SPI on a kernel that takes none,
/// anything before CTRL_INIT, and GICv2/GICv3 lines. If the kernel refuses anyway, its errno
/// is mapped as for any line (`.kernel(EINVAL)`, `.notInitialised(EBUSY)`).
extension VGIC {
    /// The PPIs the kernel lets userspace drive on this VM (`USERSPACE_PPIS`, a GET of two
    /// `__u64` words). Linux 7.1 answers `{SW_PPI}` if the host implements it.
    ///
    /// - Throws: `.configuration(.userspacePPIsNotInModel)` on a GICv2/GICv3 and
    ///   `.configuration(.initialiseFirst)` before CTRL_INIT (the kernel would answer an empty
    ///   mask then, which is not the VM's), both without an ioctl; `.kernel` for a refusal.
    public func userspacePPIs() throws(VGICError) -> GICv5PPISet {
        guard version == .v5 else { throw .configuration(.userspacePPIsNotInModel(version)) }
        guard isInitialised else { throw .configuration(.initialiseFirst(version)) }
        do throws(KVMError) {
            return try device.get(.userspacePPIs)
        } catch {
            throw .accessing(error, initialised: isInitialised)
        }
    }

    /// Drives GICv5 PPI `ppi` of `vcpu` (targeted by vCPU id) to `level`: `KVM_IRQ_LINE` with
    /// type PPI and the raw PPI number (the kernel adds the INTID TYPE bits itself). The SW_PPI
    /// is edge-triggered: `true` makes it pending, `false` is ignored by the kernel.
    ///
    /// - Throws, before any ioctl: `.configuration(.lineNotInModel)` unless this is a GICv5;
    ///   `.configuration(.initialiseFirst)` before CTRL_INIT; `.configuration(.ppiNotDrivable)`
    ///   for a PPI outside `drivablePPIs`; `.configuration(.invalidValue)` for a vCPU id above
    ///   4095. After the ioctl: the mapped kernel refusal.
    public func setLevel(_ ppi: GICv5PPI, on vcpu: VCPUIdentity, _ level: Bool) throws(VGICError) {
        let line = IRQLine.gicv5PPI(ppi, vcpu: try vcpu.lineIndex())
        try requireModel(of: line)
        guard isInitialised else { throw .configuration(.initialiseFirst(version)) }
        if let drivable = drivablePPIs, !drivable.contains(ppi) {
            throw .configuration(.ppiNotDrivable(ppi, drivable: drivable))
        }
        try setLine(line.word, level)
    }

    /// Drives GICv5 SPI `id` (0–65535, all the 16-bit `irq_id` field can carry) to `level`.
    ///
    /// - Throws, before any ioctl: `.configuration(.lineNotInModel)` unless this is a GICv5;
    ///   `.configuration(.initialiseFirst)` before CTRL_INIT; `.configuration(
    ///   .gicv5SPIsUnsupported)` on a kernel whose GICv5 takes no SPIs (Linux 7.1). After the
    ///   ioctl: the mapped kernel refusal.
    public func setLevel(gicv5SPI id: UInt16, _ level: Bool) throws(VGICError) {
        let line = IRQLine.gicv5SPI(id: id)
        try requireModel(of: line)
        guard isInitialised else { throw .configuration(.initialiseFirst(version)) }
        guard acceptsGICv5SPIs else { throw .configuration(.gicv5SPIsUnsupported) }
        try setLine(line.word, level)
    }

    /// Refuses a line meant for another GIC model: the kernel reads the same word differently
    /// under a GICv5 (PPI 0–127, SPI 0–65535) than under a GICv2/GICv3 (PPI 16–31, SPI 32+).
    func requireModel(of line: IRQLine) throws(VGICError) {
        guard let model = line.model else { return }
        let expected: IRQLineModel = version == .v5 ? .v5 : .v2v3
        if model != expected { throw .configuration(.lineNotInModel(line, version)) }
    }

    /// Reads what CTRL_INIT fixed on a GICv5 (called by `initialise`).
    ///
    /// * `USERSPACE_PPIS`: kept as `drivablePPIs`. ENXIO (a kernel that has the device but not
    ///   the attribute, e.g. a patch-series kernel) leaves it nil: requests then go unchecked.
    /// * SPI support: Linux 7.1 refuses every GICv5 SPI and answers ENXIO to every attribute
    ///   group but CTRL. The posted GICv5 IRS series (not merged in 7.1) adds SPIs together
    ///   with a GICv5 `GRP_NR_IRQS` counting them, so a device that answers HAS for NR_IRQS is
    ///   taken to accept SPIs. That link is an assumption about a future kernel (see
    ///   kvm-vgic-uapi.md §1.7); it errs towards sending, and the kernel still decides.
    mutating func learnGICv5Limits() throws(VGICError) {
        do throws(KVMError) {
            drivablePPIs = try device.get(.userspacePPIs)
        } catch {
            if error.errno != .ENXIO { throw .accessing(error, initialised: isInitialised) }
            drivablePPIs = nil
        }
        do throws(KVMError) {
            acceptsGICv5SPIs = try device.has(.nrIRQs)
        } catch {
            throw .kernel(error)
        }
    }
}
