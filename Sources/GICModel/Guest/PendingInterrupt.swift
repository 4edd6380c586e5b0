/// The highest-priority pending interrupt of a vCPU: what ICC_HPPIR*_EL1 and ICC_IAR*_EL1 look at.
public struct PendingInterrupt: Hashable, Sendable {
    public var intid: UInt32
    /// The stored priority (a multiple of 8 under KVM).
    public var priority: UInt8
    /// Group 1 (true) or Group 0.
    public var group1: Bool

    public init(intid: UInt32, priority: UInt8, group1: Bool) {
        self.intid = intid
        self.priority = priority
        self.group1 = group1
    }
}
