import CKVM

/// A `KVM_CREATE_DEVICE` device type (`enum kvm_device_type`).
///
/// `vgicV5`'s value comes from the installed `<linux/kvm.h>` when it has one (7.1+), else from
/// the shim's fallback (16, the merged 7.1 value; the patch series used 15).
public struct DeviceType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let vgicV2 = DeviceType(rawValue: CKVM_DEV_TYPE_ARM_VGIC_V2)
    public static let vgicV3 = DeviceType(rawValue: CKVM_DEV_TYPE_ARM_VGIC_V3)
    public static let vgicITS = DeviceType(rawValue: CKVM_DEV_TYPE_ARM_VGIC_ITS)
    public static let vgicV5 = DeviceType(rawValue: CKVM_DEV_TYPE_ARM_VGIC_V5)

    static let names: [(DeviceType, String)] = [
        (.vgicV2, "ARM_VGIC_V2"), (.vgicV3, "ARM_VGIC_V3"), (.vgicITS, "ARM_VGIC_ITS"),
        (.vgicV5, "ARM_VGIC_V5"),
    ]

    public var description: String {
        for (type, name) in DeviceType.names where type == self { return "\(name)(\(rawValue))" }
        return "device type \(rawValue)"
    }
}
