import GICVocabulary
import KVM

/// An in-kernel GIC of one VM: the GIC device, its optional ITS, and a handle on the VM for
/// line injection.
///
/// `~Copyable` because it owns fds; it keeps its own duplicate of the VM fd, so it can inject
/// lines for as long as it lives, independent of the code that created it. The usual entry is
/// `create(on:configuration:vcpus:)`, which does the kernel's order right; the single steps
/// (`createUninitialised`, `setInterruptCount`, the address setters, `addITS`, `initialise`)
/// exist for conformance checks and VMMs with unusual needs, and send exactly what they are given.
public struct VGIC: ~Copyable {
    /// The model.
    public let version: GICVersion
    let device: Device
    var its: ITS?
    let vm: VirtualMachine
    /// Whether `initialise` (CTRL_INIT) succeeded; decides what an EBUSY means.
    public private(set) var isInitialised: Bool
    /// GICv5: the PPIs userspace may drive, read from `USERSPACE_PPIS` right after CTRL_INIT
    /// (the kernel fixes the mask there). nil before initialisation, for GICv2/GICv3, and on a
    /// kernel that does not answer the attribute (ENXIO); an initialised GICv5 without a mask
    /// sends PPI requests to the kernel unchecked.
    public internal(set) var drivablePPIs: GICv5PPISet?
    /// GICv5: whether this kernel takes SPIs through `KVM_IRQ_LINE`, probed at initialisation
    /// (see `VGIC+GICv5.swift`). False for Linux 7.1, and for GICv2/GICv3.
    public internal(set) var acceptsGICv5SPIs: Bool
    /// The GSI routing table this vgic last installed with `KVM_SET_GSI_ROUTING`; nil while the
    /// kernel's own is in force (the default table CTRL_INIT installs, VGIC+Wiring.swift).
    public internal(set) var routingTable: GSIRoutingTable?
    /// The lines `connectIRQFD` and `connectMSI` wired, by GSI: what each GSI raises.
    var connected: [GSI: ConnectedLine] = [:]

    init(version: GICVersion, device: consuming Device, vm: consuming VirtualMachine) {
        self.version = version
        self.device = device
        self.its = nil
        self.vm = vm
        self.isInitialised = false
        self.drivablePPIs = nil
        self.acceptsGICv5SPIs = false
        self.routingTable = nil
    }

    /// True when this VM's host can create `version`, asked with `KVM_CREATE_DEVICE_TEST`:
    /// nothing is created.
    public static func isSupported(_ version: GICVersion, on vm: borrowing VirtualMachine) throws(VGICError) -> Bool {
        do throws(KVMError) {
            return try vm.canCreate(version.deviceType)
        } catch {
            throw .creating(version, error)
        }
    }

    /// Creates, configures and initialises a vgic in the order the kernel demands:
    /// validate (no ioctl) → the VM's vCPU limit (`KVM_CHECK_EXTENSION`, see `maxVCPUs`) →
    /// `KVM_CREATE_DEVICE` → NR_IRQS → distributor, redistributors or CPU interface → ITS
    /// create, address, init → CTRL_INIT (for a GICv5 then `USERSPACE_PPIS`, see `initialise`).
    ///
    /// - Parameters:
    ///   - vm: the VM; all its vCPUs must already exist (vCPUs created after CTRL_INIT fail).
    ///   - vcpus: those vCPUs, as read back from the kernel (`VCPUIdentity(reading:)`); their
    ///     count sizes the redistributor checks.
    /// - Throws: `.configuration` before any ioctl; `.unsupportedByHost` when the host lacks the
    ///   model; the mapped kernel refusal of the step that failed otherwise.
    public static func create(
        on vm: borrowing VirtualMachine, configuration: VGICConfiguration, vcpus: [VCPUIdentity]
    ) throws(VGICError) -> VGIC {
        try configuration.validate(ipaBits: vm.ipaBits, vcpuCount: vcpus.count)
        let limit = try maxVCPUs(configuration.version, on: vm)
        if vcpus.count > limit { throw .configuration(.tooManyVCPUs(count: vcpus.count, maximum: limit)) }
        var vgic = try createUninitialised(on: vm, version: configuration.version)
        if let count = configuration.interruptCount { try vgic.setInterruptCount(count) }
        if let base = configuration.distributorBase { try vgic.setDistributorBase(base) }
        if let base = configuration.cpuInterfaceBase { try vgic.setCPUInterfaceBase(base) }
        switch configuration.redistributors {
        case .legacy(let base)?:
            try vgic.setRedistributorBase(base)
        case .regions(let regions)?:
            for region in regions { try vgic.addRedistributorRegion(region) }
        case nil:
            break
        }
        if let base = configuration.itsBase { try vgic.addITS(base: base) }
        try vgic.initialise()
        return vgic
    }

    /// `KVM_CREATE_DEVICE` alone: no interrupt count, no addresses, no CTRL_INIT.
    public static func createUninitialised(on vm: borrowing VirtualMachine, version: GICVersion) throws(VGICError) -> VGIC {
        let handle: VirtualMachine
        let device: Device
        do throws(KVMError) {
            handle = try vm.duplicate()
        } catch {
            throw .kernel(error)
        }
        do throws(KVMError) {
            device = try vm.createDevice(version.deviceType)
        } catch {
            throw .creating(version, error)
        }
        return VGIC(version: version, device: device, vm: handle)
    }

    /// `KVM_DEV_ARM_VGIC_CTRL_INIT`. After it, vCPUs can no longer be added and NR_IRQS is fixed.
    ///
    /// For a GICv5 it then reads what init fixed: the `USERSPACE_PPIS` mask (`drivablePPIs`)
    /// and whether SPIs are taken (`acceptsGICv5SPIs`), so later injections the kernel would
    /// refuse are refused before the ioctl.
    ///
    /// - Throws: `.vcpusRunning` (EBUSY: a vCPU is being created); `.kernel` otherwise, e.g.
    ///   EINVAL from a GICv5 whose VM has a nested-virt vCPU (`vgic_v5_init`, Linux 7.1). If
    ///   CTRL_INIT succeeded but a GICv5 read after it fails, the vgic is initialised anyway
    ///   (`isInitialised` is true) and the read's error is thrown.
    public mutating func initialise() throws(VGICError) {
        do throws(KVMError) {
            try device.perform(.control(.initialize))
        } catch {
            // EBUSY here means a vCPU is being created (VGIC.docc/DeviceLifecycle.md), not "uninitialised".
            if error.errno == .EBUSY { throw .vcpusRunning(error) }
            throw .kernel(error)
        }
        isInitialised = true
        if version == .v5 { try learnGICv5Limits() }
    }

    /// Whether an ITS device was created with `addITS`.
    public var hasITS: Bool { its != nil }

    /// Creates the ITS device, places it at `base` and initialises it (`ITS.create(on:base:)`);
    /// the vgic then holds it (`withITS`).
    public mutating func addITS(base: UInt64) throws(VGICError) {
        its = try ITS.create(on: vm, base: base)
    }
}
