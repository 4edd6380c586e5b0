import GICVocabulary

/// What the library was trying to do when a system call failed, or what a trace recorded.
///
/// Kept small and allocation-free (no strings) because one is built for every ioctl, on the
/// same path as `KVM_IRQ_LINE` whose overhead the lab measures.
public struct Attempt: Hashable, Sendable, CustomStringConvertible {
    /// The system call.
    public var request: Request
    /// The vCPU id the call addressed, when it addressed one.
    public var vcpu: UInt32?
    /// The device attribute (group and attr word), for the *_DEVICE_ATTR requests.
    public var attribute: AttributeAddress?
    /// The call's scalar argument when it has one: capability number, VM type, vCPU id,
    /// device type, one-reg id, the `KVM_IRQ_LINE` word, or the mmap length.
    public var argument: UInt64?

    public init(
        _ request: Request, vcpu: UInt32? = nil, attribute: AttributeAddress? = nil,
        argument: UInt64? = nil
    ) {
        self.request = request
        self.vcpu = vcpu
        self.attribute = attribute
        self.argument = argument
    }

    public var description: String {
        var text = request.description
        if let attribute { text += " " + attribute.description }
        if let argument { text += " arg " + hex(argument) }
        if let vcpu { text += " on vCPU \(vcpu)" }
        return text
    }
}

/// The `group` and `attr` words of a `struct kvm_device_attr`.
public struct AttributeAddress: Hashable, Sendable, CustomStringConvertible {
    public var group: AttributeGroup
    public var attr: UInt64

    public init(group: AttributeGroup, attr: UInt64) {
        self.group = group
        self.attr = attr
    }

    /// The register offset, for groups whose attr carries one in bits 31:0
    /// (DIST_REGS, REDIST_REGS, CPU_REGS); the sysreg encoding in bits 15:0 for CPU_SYSREGS.
    public var offset: UInt32? {
        switch group {
        case .distributorRegisters, .redistributorRegisters, .cpuRegisters:
            UInt32(truncatingIfNeeded: attr)
        case .cpuSysregs:
            UInt32(truncatingIfNeeded: attr & 0xffff)
        default:
            nil
        }
    }

    /// The per-vCPU selector in bits 63:32 (packed affinity for GICv3, vCPU index for GICv2).
    public var selector: UInt32 { UInt32(truncatingIfNeeded: attr >> 32) }

    public var description: String {
        var text = "group \(group) attr " + hex(attr)
        if let offset {
            text += " (selector " + hex(selector) + ", offset " + hex(offset) + ")"
        }
        return text
    }
}
