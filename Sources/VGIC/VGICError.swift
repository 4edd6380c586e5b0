import GICVocabulary
import KVM

/// Every way a vgic operation can fail, typed by what the caller can do about it.
///
/// Refusals that come from the kernel keep the full `KVMError` (errno, request, group, attr),
/// so the semantic case never hides which ioctl failed. The errno → case mapping follows the
/// kernel's documented meaning for the operation (VGIC.docc/DeviceLifecycle.md); an errno with no documented
/// meaning there stays `.kernel`.
public enum VGICError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Caller input was refused before any ioctl was sent.
    case configuration(VGICProblem)
    /// The host cannot emulate this model: `KVM_CREATE_DEVICE` said ENODEV (the error is
    /// kept), or a side-effect-free probe said no (nil).
    case unsupportedByHost(GICVersion, KVMError?)
    /// The host offers no ITS device (ENODEV on creating it).
    case itsUnsupportedByHost(KVMError)
    /// The VM already has a vgic of this kind (EEXIST on create).
    case alreadyExists(KVMError)
    /// More vCPUs exist than the model serves (E2BIG on create).
    case tooManyVCPUs(KVMError)
    /// The kernel refused a frame address; `refusal` is what its errno means for GRP_ADDR.
    case address(AddressType, AddressRefusal, KVMError)
    /// NR_IRQS out of range or not a multiple of 32 (EINVAL).
    case interruptCountRejected(KVMError)
    /// NR_IRQS was already set, or the vgic is initialised (EBUSY).
    case interruptCountFixed(KVMError)
    /// The vgic has not been initialised (EBUSY from a register access or `KVM_IRQ_LINE` on a
    /// GICv3/v5 before CTRL_INIT).
    case notInitialised(KVMError)
    /// A vCPU is running or being created, so the kernel could not lock them all (EBUSY).
    case vcpusRunning(KVMError)
    /// A register that userspace may only change before CTRL_INIT (GICD_TYPER2's nASSGIcap
    /// on kernels that let it be chosen) was written with a different value after it (EBUSY).
    /// The kernel's EBUSY cannot tell this from `.vcpusRunning`; the register written can.
    case frozenAfterInit(GICv3Register, KVMError)
    /// An ITS register write the kernel refused as a value (EINVAL): GITS_IIDR with a revision it
    /// does not implement, GITS_CREADR at or beyond the command queue.
    case itsValueRejected(ITSRegister, KVMError)
    /// GITS_CREADR written while the ITS is enabled (EBUSY).
    case itsEnabled(KVMError)
    /// A table save or restore found its table outside guest RAM (EFAULT): the ITS tables and
    /// LPI pending tables live in guest memory, which must exist (and travel with a snapshot).
    case guestMemory(KVMError)
    /// `KVM_SIGNAL_MSI` found the ITS disabled (GITS_CTLR.Enabled 0) or the target
    /// redistributor's LPIs disabled (GICR_CTLR.EnableLPIs 0): EBUSY.
    case lpisDisabled(KVMError)
    /// Any other kernel refusal.
    case kernel(KVMError)

    /// What an errno from `KVM_DEV_ARM_VGIC_GRP_ADDR` means (VGIC.docc/DeviceLifecycle.md).
    public enum AddressRefusal: Hashable, Sendable, CustomStringConvertible {
        /// E2BIG: base, or base + size, beyond the VM's IPA space.
        case beyondIPA
        /// EEXIST: this address was already set.
        case alreadySet
        /// EINVAL: misaligned, overlapping another region, a bad region word, or mixing
        /// legacy redistributors with regions.
        case rejected
        /// ENXIO: this address type does not belong to the device's model.
        case wrongModel
        /// ENOENT: reading a redistributor region that does not exist.
        case noSuchRegion

        public var description: String {
            switch self {
            case .beyondIPA: "beyond the IPA space"
            case .alreadySet: "already set"
            case .rejected: "rejected (misaligned, overlapping or malformed)"
            case .wrongModel: "not an address of this GIC model"
            case .noSuchRegion: "no such redistributor region"
            }
        }
    }

    /// The kernel's error, when the kernel was asked.
    public var kvmError: KVMError? {
        switch self {
        case .configuration: nil
        case .unsupportedByHost(_, let error): error
        case .itsUnsupportedByHost(let error), .alreadyExists(let error), .tooManyVCPUs(let error),
            .address(_, _, let error), .interruptCountRejected(let error), .interruptCountFixed(let error),
            .notInitialised(let error), .vcpusRunning(let error), .frozenAfterInit(_, let error),
            .itsValueRejected(_, let error), .itsEnabled(let error), .guestMemory(let error), .lpisDisabled(let error),
            .kernel(let error):
            error
        }
    }

    /// The kernel's errno, when it refused.
    public var errno: Errno? { kvmError?.errno }

    public var description: String {
        switch self {
        case .configuration(let problem): "vgic configuration refused before any ioctl: \(problem)"
        case .unsupportedByHost(let version, let error):
            "\(version) is not supported by this host" + (error.map { ": \($0)" } ?? "")
        case .itsUnsupportedByHost(let error): "this host offers no ITS: \(error)"
        case .alreadyExists(let error): "the VM already has a vgic: \(error)"
        case .tooManyVCPUs(let error): "more vCPUs than the GIC model serves: \(error)"
        case .address(_, let refusal, let error): "address \(refusal): \(error)"
        case .interruptCountRejected(let error): "interrupt count rejected: \(error)"
        case .interruptCountFixed(let error): "interrupt count already fixed: \(error)"
        case .notInitialised(let error): "vgic not initialised: \(error)"
        case .vcpusRunning(let error): "vCPUs running or being created: \(error)"
        case .frozenAfterInit(let register, let error): "\(register.name) is fixed once the vgic is initialised: \(error)"
        case .itsValueRejected(let register, let error): "\(register.name) refused the value: \(error)"
        case .itsEnabled(let error): "the ITS is enabled (GITS_CTLR.Enabled): \(error)"
        case .guestMemory(let error): "a table lies outside guest RAM: \(error)"
        case .lpisDisabled(let error): "the ITS or the target's LPIs are disabled: \(error)"
        case .kernel(let error): error.description
        }
    }
}
