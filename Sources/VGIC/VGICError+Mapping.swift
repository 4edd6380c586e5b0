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
}
