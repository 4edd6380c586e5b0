import CKVM
import GICVocabulary

/// A message-signalled interrupt as `KVM_SIGNAL_MSI` and an MSI routing entry carry it: the
/// doorbell address the device writes, the data it writes, and for an ITS the device id
/// (`KVM_MSI_VALID_DEVID`).
///
/// With an ITS the address is the frame's GITS_TRANSLATER (base + 0x10040), the data the EventID
/// and the device id the DeviceID; once a VM has an ITS the kernel requires the device id
/// (`KVM_CAP_MSI_DEVID` answers 1, `vgic_msi_to_its` refuses a message without it with EINVAL).
public struct MSIMessage: Hashable, Sendable, CustomStringConvertible {
    /// The doorbell's guest physical address.
    public var address: UInt64
    /// The payload (the EventID for an ITS).
    public var data: UInt32
    /// The DeviceID, sent with `KVM_MSI_VALID_DEVID`; nil sends none.
    public var deviceID: UInt32?

    public init(address: UInt64, data: UInt32, deviceID: UInt32? = nil) {
        self.address = address
        self.data = data
        self.deviceID = deviceID
    }

    /// `KVM_MSI_VALID_DEVID` when a device id is carried, else 0.
    public var flags: UInt32 { deviceID == nil ? 0 : CKVM_MSI_VALID_DEVID }

    public var description: String {
        var text = "MSI " + hex(address) + " data " + hex(data)
        if let deviceID { text += " device \(deviceID)" }
        return text
    }
}

/// What `KVM_SIGNAL_MSI` answered when it did not fail.
public enum MSIDelivery: Hashable, Sendable, CustomStringConvertible {
    /// A positive answer: delivered (the kernel's count; the vgic answers 1).
    case delivered(Int)
    /// 0: the guest blocked it (with an ITS: no translation for the device and event, or their
    /// collection is not mapped).
    case blocked

    public var description: String {
        switch self {
        case .delivered(let count): "delivered (\(count))"
        case .blocked: "blocked"
        }
    }
}
