import CKVM

/// A `KVM_DEV_ARM_VGIC_GRP_*` device-attribute group.
///
/// The group fixes the width of the value buffer (see `DeviceAttribute`): that is the rule
/// Cloud Hypervisor broke by passing a 4-byte buffer for 8-byte CPU_SYSREGS values.
public struct AttributeGroup: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let address = AttributeGroup(rawValue: CKVM_VGIC_GRP_ADDR)
    public static let distributorRegisters = AttributeGroup(rawValue: CKVM_VGIC_GRP_DIST_REGS)
    public static let cpuRegisters = AttributeGroup(rawValue: CKVM_VGIC_GRP_CPU_REGS)
    public static let nrIRQs = AttributeGroup(rawValue: CKVM_VGIC_GRP_NR_IRQS)
    public static let control = AttributeGroup(rawValue: CKVM_VGIC_GRP_CTRL)
    public static let redistributorRegisters = AttributeGroup(rawValue: CKVM_VGIC_GRP_REDIST_REGS)
    public static let cpuSysregs = AttributeGroup(rawValue: CKVM_VGIC_GRP_CPU_SYSREGS)
    public static let levelInfo = AttributeGroup(rawValue: CKVM_VGIC_GRP_LEVEL_INFO)
    public static let itsRegisters = AttributeGroup(rawValue: CKVM_VGIC_GRP_ITS_REGS)
    public static let maintenanceIRQ = AttributeGroup(rawValue: CKVM_VGIC_GRP_MAINT_IRQ)

    /// The uAPI names, as data.
    static let names: [(AttributeGroup, String)] = [
        (.address, "ADDR"), (.distributorRegisters, "DIST_REGS"), (.cpuRegisters, "CPU_REGS"),
        (.nrIRQs, "NR_IRQS"), (.control, "CTRL"), (.redistributorRegisters, "REDIST_REGS"),
        (.cpuSysregs, "CPU_SYSREGS"), (.levelInfo, "LEVEL_INFO"), (.itsRegisters, "ITS_REGS"),
        (.maintenanceIRQ, "MAINT_IRQ"),
    ]

    public var description: String {
        for (group, name) in AttributeGroup.names where group == self {
            return "\(name)(\(rawValue))"
        }
        return "group(\(rawValue))"
    }
}
