import GICVocabulary

/// Why KVM's ITS did not carry out a command: the architecture's command error codes as
/// `include/linux/irqchip/arm-gic-v3.h` numbers them (`E_ITS_*`), and the generic errors its
/// handlers return (GICModel.docc/ITSModel.md).
///
/// None of them is visible to a guest or to userspace: `vgic_its_process_commands` ignores the
/// handler's result, advances GITS_CREADR past the command either way, raises no SError and never
/// stalls. What a failed command leaves behind — nothing changed — is what can be observed.
public enum ITSCommandError: Hashable, Sendable, CustomStringConvertible {
    /// An architectural command error, by its `E_ITS_*` value.
    case architectural(Code)
    /// A generic error (`-EEXIST` from a MAPTI of an LPI another event maps on 7.x, `-EFAULT`
    /// from a guest-RAM access that failed).
    case kernel(KernelErrno)

    /// `E_ITS_*`.
    public enum Code: UInt32, Hashable, Sendable {
        case moviUnmappedInterrupt = 0x010107
        case moviUnmappedCollection = 0x010109
        case intUnmappedInterrupt = 0x010307
        case clearUnmappedInterrupt = 0x010507
        case mapdDeviceOutOfRange = 0x010801
        case mapdITTSizeOutOfRange = 0x010802
        case mapcProcessorOutOfRange = 0x010902
        case mapcCollectionOutOfRange = 0x010903
        case maptiUnmappedDevice = 0x010A04
        case maptiEventOutOfRange = 0x010A05
        case maptiPhysicalIDOutOfRange = 0x010A06
        case invUnmappedInterrupt = 0x010C07
        case invallUnmappedCollection = 0x010D09
        case movallProcessorOutOfRange = 0x010E01
        case discardUnmappedInterrupt = 0x010F07
    }

    public var description: String {
        switch self {
        case .architectural(let code): "E_ITS \(hex(code.rawValue))"
        case .kernel(let errno): "-\(errno)"
        }
    }
}
