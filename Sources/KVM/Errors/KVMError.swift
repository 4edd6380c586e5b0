import GICVocabulary

/// Every way a KVM-layer operation can fail.
///
/// Thrown with typed throws so callers switch over exactly these cases. A kernel refusal keeps
/// the errno and the full `Attempt` (request, device group/attr/offset, vCPU), because an
/// errno alone (what rust-vmm and most VMMs report) does not say which of hundreds of register
/// accesses failed.
public enum KVMError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The kernel returned an error for this attempt.
    case kernel(Errno, Attempt)
    /// Refused before any arm64 ioctl was sent: the KVM on this machine belongs to another
    /// architecture (for example an x86 development machine's `/dev/kvm`).
    case notArm64(machine: String, refused: Attempt)
    /// A caller-supplied value was rejected before any ioctl was sent.
    case invalidArgument(Attempt, reason: InvalidArgument)
    /// The kernel answered with a value the uAPI does not allow.
    case unexpectedAnswer(Attempt, value: Int64)

    /// The errno, when the kernel refused.
    public var errno: Errno? {
        if case .kernel(let errno, _) = self { return errno }
        return nil
    }

    /// What was being attempted.
    public var attempt: Attempt {
        switch self {
        case .kernel(_, let attempt), .notArm64(_, let attempt),
            .invalidArgument(let attempt, _), .unexpectedAnswer(let attempt, _):
            attempt
        }
    }

    public var description: String {
        switch self {
        case .kernel(let errno, let attempt):
            "\(attempt) failed: \(errno)"
        case .notArm64(let machine, let attempt):
            "refused \(attempt): this machine's KVM is \(machine), not arm64 (aarch64); "
                + "arm64 ioctls are never sent to another architecture's KVM"
        case .invalidArgument(let attempt, let reason):
            "refused \(attempt) before calling the kernel: \(reason)"
        case .unexpectedAnswer(let attempt, let value):
            "\(attempt) returned \(value), which the KVM uAPI does not allow"
        }
    }
}

/// Why a caller's value was rejected before reaching the kernel.
public enum InvalidArgument: Equatable, Sendable, CustomStringConvertible {
    /// The IPA size must be 0 (default, 40 bits) or in 32 ... the host's limit.
    case ipaSize(requested: Int, hostLimit: Int)
    /// A `KVM_IRQ_LINE` word targets a vCPU index above 255, which needs
    /// `KVM_CAP_ARM_IRQ_LINE_LAYOUT_2`, and this kernel does not offer it.
    case irqLineNeedsLayout2(vcpuIndex: Int)
    /// A memory region's size or addresses are not page-aligned, or it is empty.
    case memoryRegion(slot: UInt32)
    /// A vCPU feature bit outside `features[0]`'s defined bits.
    case vcpuFeature(bit: UInt32)
    /// A buffer the kernel reported does not fit what the uAPI promises (for example a
    /// `kvm_run` mapping smaller than the structure).
    case mappingTooSmall(length: Int, required: Int)
    /// A one-reg value whose size is not the register's (`KVM_REG_SIZE_*` in the id), or a
    /// register wider than the 8 bytes a `UInt64` accessor can hold.
    case registerSize(register: UInt64, registerBytes: Int, valueBytes: Int)
    /// `KVM_GET_REG_LIST` kept growing between the call that sized the list and the one that
    /// filled it.
    case registerListChanged(sized: Int, needed: Int)
    /// A routing table breaks one of the kernel's rules for `KVM_SET_GSI_ROUTING`.
    case routing(RoutingProblem)

    public var description: String {
        switch self {
        case .ipaSize(let requested, let limit):
            "IPA size \(requested) bits is outside 32...\(limit) (0 selects the 40-bit default)"
        case .irqLineNeedsLayout2(let index):
            "vCPU index \(index) needs KVM_CAP_ARM_IRQ_LINE_LAYOUT_2, which this kernel lacks"
        case .memoryRegion(let slot):
            "memory region for slot \(slot) must be non-empty and page-aligned"
        case .vcpuFeature(let bit):
            "vCPU feature bit \(bit) is not defined by the uAPI (features[0] bits 0...31)"
        case .mappingTooSmall(let length, let required):
            "kvm_run mapping of \(length) bytes is smaller than the \(required) bytes required"
        case .registerSize(let register, let registerBytes, let valueBytes):
            "register \(hex(register)) holds \(registerBytes) bytes, the value \(valueBytes)"
        case .registerListChanged(let sized, let needed):
            "the register list grew from \(sized) to \(needed) entries between two KVM_GET_REG_LIST calls"
        case .routing(let problem):
            "routing table refused: \(problem)"
        }
    }
}
