import CKVM

/// The fields of a `struct kvm_irqfd` as they are sent: the eventfd, the GSI it raises, the flags
/// and the resample eventfd.
///
/// The typed calls (`VirtualMachine.assignIRQFD`, `deassignIRQFD`) build these from owned
/// `EventFD`s; `VirtualMachine.irqfd(unchecked:)` sends any of them, for the conformance checks of
/// what the kernel refuses (a closed fd, an fd that is no eventfd, unknown flags).
public struct IRQFDRequest: Hashable, Sendable, CustomStringConvertible {
    /// The eventfd whose writes raise the GSI.
    public var fd: Int32
    public var gsi: UInt32
    public var flags: UInt32
    /// With `resample`: the eventfd the kernel signals when the guest acknowledges the level
    /// interrupt (its EOI).
    public var resampleFD: Int32

    /// `KVM_IRQFD_FLAG_DEASSIGN`: detach `fd` from `gsi`.
    public static let deassign = CKVM_IRQFD_FLAG_DEASSIGN
    /// `KVM_IRQFD_FLAG_RESAMPLE`: a level-triggered line, lowered and `resampleFD` signalled on
    /// the guest's EOI.
    public static let resample = CKVM_IRQFD_FLAG_RESAMPLE

    public init(fd: Int32, gsi: UInt32, flags: UInt32 = 0, resampleFD: Int32 = 0) {
        self.fd = fd
        self.gsi = gsi
        self.flags = flags
        self.resampleFD = resampleFD
    }

    public var description: String {
        var text = "irqfd fd \(fd) GSI \(gsi)"
        if flags & Self.deassign != 0 { text += " deassign" }
        if flags & Self.resample != 0 { text += " resample fd \(resampleFD)" }
        let unknown = flags & ~(Self.deassign | Self.resample)
        if unknown != 0 { text += " flags +\(unknown)" }
        return text
    }
}
