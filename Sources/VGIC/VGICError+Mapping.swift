import GICVocabulary
import KVM

/// The errno → `VGICError` mapping, one function per kind of operation, because the same errno
/// means different things to different ioctls (EBUSY on create: a vCPU ran; on NR_IRQS: already
/// fixed; on a register: not initialised or vCPUs running). Source: VGIC.docc/DeviceLifecycle.md.
extension VGICError {
    /// `KVM_CREATE_DEVICE` of a GIC model.
    static func creating(_ version: GICVersion, _ error: KVMError) -> VGICError {
        switch error.errno {
        case .ENODEV?: .unsupportedByHost(version, error)
        case .EEXIST?: .alreadyExists(error)
        case .E2BIG?: .tooManyVCPUs(error)
        case .EBUSY?: .vcpusRunning(error)
        default: .kernel(error)
        }
    }

    /// `KVM_CREATE_DEVICE` of the ITS.
    static func creatingITS(_ error: KVMError) -> VGICError {
        switch error.errno {
        case .ENODEV?: .itsUnsupportedByHost(error)
        case .EEXIST?: .alreadyExists(error)
        default: .kernel(error)
        }
    }

    /// GET/SET/HAS of a `KVM_DEV_ARM_VGIC_GRP_ADDR` attribute.
    static func addressing(_ type: AddressType, _ error: KVMError) -> VGICError {
        switch error.errno {
        case .E2BIG?: .address(type, .beyondIPA, error)
        case .EEXIST?: .address(type, .alreadySet, error)
        case .EINVAL?: .address(type, .rejected, error)
        case .ENXIO?: .address(type, .wrongModel, error)
        case .ENOENT?: .address(type, .noSuchRegion, error)
        default: .kernel(error)
        }
    }

    /// GET/SET of `KVM_DEV_ARM_VGIC_GRP_NR_IRQS`.
    static func countingInterrupts(_ error: KVMError) -> VGICError {
        switch error.errno {
        case .EINVAL?: .interruptCountRejected(error)
        case .EBUSY?: .interruptCountFixed(error)
        default: .kernel(error)
        }
    }

    /// Register, sysreg and level-info accesses, and `KVM_IRQ_LINE`: EBUSY means "not
    /// initialised" before CTRL_INIT and "a vCPU is running" after, which only the caller's
    /// own record of having initialised can tell apart.
    static func accessing(_ error: KVMError, initialised: Bool) -> VGICError {
        if error.errno == .EBUSY { return initialised ? .vcpusRunning(error) : .notInitialised(error) }
        return .kernel(error)
    }

    /// GET/SET of a `KVM_DEV_ARM_VGIC_GRP_ITS_REGS` attribute (`vgic_its_attr_regs_access`; VGIC.docc/ITS.md).
    static func accessingITS(_ register: ITSRegister, _ error: KVMError, write: Bool = false) -> VGICError {
        switch error.errno {
        case .EBUSY? where write && register == .gitsCREADR: .itsEnabled(error)
        case .EBUSY?: .vcpusRunning(error)
        case .EINVAL? where write && (register == .gitsIIDR || register == .gitsCREADR): .itsValueRejected(register, error)
        default: .kernel(error)
        }
    }

    /// An ITS `GRP_CTRL` operation (`vgic_its_ctrl`): EBUSY a vCPU runs, EFAULT a table outside RAM.
    static func controllingITS(_ error: KVMError) -> VGICError {
        switch error.errno {
        case .EBUSY?: .vcpusRunning(error)
        case .EFAULT?: .guestMemory(error)
        default: .kernel(error)
        }
    }

    /// `KVM_IRQFD` and `KVM_SET_GSI_ROUTING` through the VGIC: EAGAIN is "not initialised"
    /// (`kvm_arch_intc_initialized`).
    static func wiring(_ error: KVMError) -> VGICError {
        switch error {
        case .invalidArgument(_, .routing(let problem)): .configuration(.routing(problem))
        default: error.errno == .EAGAIN ? .notInitialised(error) : .kernel(error)
        }
    }

    /// `KVM_SIGNAL_MSI` (`vgic_its_inject_msi`): EBUSY is a disabled ITS or disabled LPIs.
    static func signalling(_ error: KVMError) -> VGICError {
        error.errno == .EBUSY ? .lpisDisabled(error) : .kernel(error)
    }
}
