import CKVM

/// Why `KVM_RUN` returned, decoded from the shared `kvm_run` structure.
public enum VCPUExit: Equatable, Sendable {
    /// The guest accessed an address no memory slot backs.
    case mmio(MMIOAccess)
    /// A PSCI system event (SYSTEM_OFF = 1, SYSTEM_RESET = 2, ...).
    case systemEvent(type: UInt32)
    case shutdown
    /// Entry failed; the hardware reason.
    case failEntry(reason: UInt64)
    case internalError(suberror: UInt32)
    /// `KVM_RUN` was interrupted by a signal (the ioctl itself succeeded).
    case interrupted
    /// `KVM_EXIT_ARM_NISV`: a data abort without valid syndrome.
    case armDataAbortWithoutSyndrome
    /// Any other exit reason, by number.
    case other(reason: UInt32)

    /// One trapped MMIO access.
    public struct MMIOAccess: Equatable, Sendable {
        public var address: UInt64
        /// For writes, the bytes written (little-endian, `length` of them used).
        public var data: UInt64
        public var length: UInt32
        public var isWrite: Bool

        public init(address: UInt64, data: UInt64, length: UInt32, isWrite: Bool) {
            self.address = address
            self.data = data
            self.length = length
            self.isWrite = isWrite
        }
    }

    /// Decodes the exit from a `kvm_run` mapping.
    static func decode(_ run: UnsafeMutableRawPointer) -> VCPUExit {
        let reason = run.load(fromByteOffset: Int(CKVM_OFFSETOF_RUN_EXIT_REASON), as: UInt32.self)
        let body = run + Int(CKVM_OFFSETOF_RUN_MMIO)
        switch reason {
        case CKVM_EXIT_MMIO:
            // struct { __u64 phys_addr; __u8 data[8]; __u32 len; __u8 is_write; }
            return .mmio(MMIOAccess(
                address: body.loadUnaligned(as: UInt64.self),
                data: body.loadUnaligned(fromByteOffset: 8, as: UInt64.self),
                length: body.loadUnaligned(fromByteOffset: 16, as: UInt32.self),
                isWrite: body.load(fromByteOffset: 20, as: UInt8.self) != 0))
        case CKVM_EXIT_SYSTEM_EVENT:
            let event = run + Int(CKVM_OFFSETOF_RUN_SYSTEM_EVENT)
            return .systemEvent(type: event.loadUnaligned(as: UInt32.self))
        case CKVM_EXIT_SHUTDOWN:
            return .shutdown
        case CKVM_EXIT_FAIL_ENTRY:
            return .failEntry(reason: body.loadUnaligned(as: UInt64.self))
        case CKVM_EXIT_INTERNAL_ERROR:
            return .internalError(suberror: body.loadUnaligned(as: UInt32.self))
        case CKVM_EXIT_INTR:
            return .interrupted
        case CKVM_EXIT_ARM_NISV:
            return .armDataAbortWithoutSyndrome
        default:
            return .other(reason: reason)
        }
    }
}
