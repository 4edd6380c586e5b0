import CKVM

/// A `KVM_CAP_*` number for `KVM_CHECK_EXTENSION`.
public struct Capability: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    public static let irqchip = Capability(rawValue: CKVM_CAP_IRQCHIP)
    public static let nrVCPUs = Capability(rawValue: CKVM_CAP_NR_VCPUS)
    public static let maxVCPUs = Capability(rawValue: CKVM_CAP_MAX_VCPUS)
    public static let maxVCPUID = Capability(rawValue: CKVM_CAP_MAX_VCPU_ID)
    public static let oneReg = Capability(rawValue: CKVM_CAP_ONE_REG)
    public static let deviceControl = Capability(rawValue: CKVM_CAP_DEVICE_CTRL)
    public static let irqfd = Capability(rawValue: CKVM_CAP_IRQFD)
    public static let irqfdResample = Capability(rawValue: CKVM_CAP_IRQFD_RESAMPLE)
    public static let irqRouting = Capability(rawValue: CKVM_CAP_IRQ_ROUTING)
    public static let signalMSI = Capability(rawValue: CKVM_CAP_SIGNAL_MSI)
    public static let msiDeviceID = Capability(rawValue: CKVM_CAP_MSI_DEVID)
    public static let armPSCI02 = Capability(rawValue: CKVM_CAP_ARM_PSCI_0_2)
    public static let armVMIPASize = Capability(rawValue: CKVM_CAP_ARM_VM_IPA_SIZE)
    public static let armIRQLineLayout2 = Capability(rawValue: CKVM_CAP_ARM_IRQ_LINE_LAYOUT_2)
    public static let armEL2 = Capability(rawValue: CKVM_CAP_ARM_EL2)

    static let names: [(Capability, String)] = [
        (.irqchip, "IRQCHIP"), (.nrVCPUs, "NR_VCPUS"), (.maxVCPUs, "MAX_VCPUS"),
        (.maxVCPUID, "MAX_VCPU_ID"), (.oneReg, "ONE_REG"), (.deviceControl, "DEVICE_CTRL"),
        (.irqfd, "IRQFD"), (.irqfdResample, "IRQFD_RESAMPLE"), (.irqRouting, "IRQ_ROUTING"), (.signalMSI, "SIGNAL_MSI"), (.msiDeviceID, "MSI_DEVID"),
        (.armPSCI02, "ARM_PSCI_0_2"), (.armVMIPASize, "ARM_VM_IPA_SIZE"),
        (.armIRQLineLayout2, "ARM_IRQ_LINE_LAYOUT_2"), (.armEL2, "ARM_EL2"),
    ]

    public var description: String {
        for (cap, name) in Capability.names where cap == self { return "KVM_CAP_\(name)(\(rawValue))" }
        return "KVM_CAP(\(rawValue))"
    }
}
