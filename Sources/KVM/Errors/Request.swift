/// Every system call the KVM layer can issue, by name.
///
/// Used both as the record of what was attempted (in errors and in the syscall trace) and as
/// the key for the request number, so the two can never disagree.
public enum Request: Hashable, Sendable, CustomStringConvertible {
    case open
    case close
    case duplicate
    case mmap
    /// `eventfd(2)`.
    case eventfd
    /// `read(2)` of an eventfd's counter.
    case eventfdRead
    /// `write(2)` to an eventfd's counter.
    case eventfdWrite
    case getAPIVersion
    case createVM
    case checkExtension
    case getVCPUMmapSize
    case createVCPU
    case setUserMemoryRegion
    case irqLine
    case createDevice
    case armPreferredTarget
    case signalMSI
    case irqfd
    case setGSIRouting
    case run
    case armVCPUInit
    case getOneReg
    case setOneReg
    case getRegList
    case getMPState
    case setMPState
    case setDeviceAttr
    case getDeviceAttr
    case hasDeviceAttr

    public var description: String {
        switch self {
        case .open: "open"
        case .close: "close"
        case .duplicate: "dup"
        case .mmap: "mmap"
        case .eventfd: "eventfd"
        case .eventfdRead: "eventfd read"
        case .eventfdWrite: "eventfd write"
        case .getAPIVersion: "KVM_GET_API_VERSION"
        case .createVM: "KVM_CREATE_VM"
        case .checkExtension: "KVM_CHECK_EXTENSION"
        case .getVCPUMmapSize: "KVM_GET_VCPU_MMAP_SIZE"
        case .createVCPU: "KVM_CREATE_VCPU"
        case .setUserMemoryRegion: "KVM_SET_USER_MEMORY_REGION"
        case .irqLine: "KVM_IRQ_LINE"
        case .createDevice: "KVM_CREATE_DEVICE"
        case .armPreferredTarget: "KVM_ARM_PREFERRED_TARGET"
        case .signalMSI: "KVM_SIGNAL_MSI"
        case .irqfd: "KVM_IRQFD"
        case .setGSIRouting: "KVM_SET_GSI_ROUTING"
        case .run: "KVM_RUN"
        case .armVCPUInit: "KVM_ARM_VCPU_INIT"
        case .getOneReg: "KVM_GET_ONE_REG"
        case .setOneReg: "KVM_SET_ONE_REG"
        case .getRegList: "KVM_GET_REG_LIST"
        case .getMPState: "KVM_GET_MP_STATE"
        case .setMPState: "KVM_SET_MP_STATE"
        case .setDeviceAttr: "KVM_SET_DEVICE_ATTR"
        case .getDeviceAttr: "KVM_GET_DEVICE_ATTR"
        case .hasDeviceAttr: "KVM_HAS_DEVICE_ATTR"
        }
    }

    /// True for requests whose meaning is arm64-specific: they must never reach a KVM of
    /// another architecture (x86 development machines have a `/dev/kvm` too).
    public var isArm64Only: Bool {
        switch self {
        case .open, .close, .duplicate, .mmap, .eventfd, .eventfdRead, .eventfdWrite, .getAPIVersion, .checkExtension,
            .getVCPUMmapSize:
            false
        default: true
        }
    }
}
