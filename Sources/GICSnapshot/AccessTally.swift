/// The kernel accesses capture or restore issued: one `KVM_GET_DEVICE_ATTR` or
/// `KVM_SET_DEVICE_ATTR` each (a 64-bit register through `REDIST_REGS` counts two).
///
/// Counted in this layer, beside each call, because the KVM layer keeps no counter; the x86
/// tests check it against the syscall simulator's record.
public struct AccessTally: Hashable, Sendable {
    /// `KVM_GET_DEVICE_ATTR` calls.
    public var reads: Int
    /// `KVM_SET_DEVICE_ATTR` calls.
    public var writes: Int

    public init(reads: Int = 0, writes: Int = 0) {
        self.reads = reads
        self.writes = writes
    }

    public var total: Int { reads + writes }
}
