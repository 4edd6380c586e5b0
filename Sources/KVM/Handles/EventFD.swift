import CKVM

/// An eventfd (`eventfd(2)`): a 64-bit counter in the kernel that writes add to and a read takes.
///
/// What `KVM_IRQFD` binds to a GSI: a device model raises its interrupt by `signal()`ling the
/// trigger eventfd, and with a resample eventfd learns from it when the guest has acknowledged a
/// level interrupt. `~Copyable` because it owns the fd: closing it (the owner going away) makes
/// the kernel detach any irqfd bound to it (`irqfd_wakeup` on EPOLLHUP), so keep the owner alive
/// as long as the wiring. Always non-blocking and close-on-exec: `consume()` answers 0 rather than
/// block; a VMM that waits for a resample polls the descriptor (`withRawDescriptor`).
public struct EventFD: ~Copyable, Sendable {
    /// Explicit so other modules (Embedded Swift builds them separately) can destroy this owner.
    deinit {}

    let fd: FileDescriptor

    init(fd: consuming FileDescriptor) {
        self.fd = fd
    }

    /// A new eventfd with counter 0, through `interface`.
    ///
    /// - Parameter semaphore: `EFD_SEMAPHORE`: each read takes 1 instead of the whole count.
    public static func create(interface: KernelInterface = .live, semaphore: Bool = false) throws(KVMError) -> EventFD {
        let flags = CKVM_EFD_CLOEXEC | CKVM_EFD_NONBLOCK | (semaphore ? CKVM_EFD_SEMAPHORE : 0)
        let result = interface.eventfd(flags: flags)
        if result < 0 { throw KVMError.kernel(Errno(rawValue: -result), Attempt(.eventfd)) }
        return EventFD(fd: FileDescriptor(raw: result, interface: interface))
    }

    /// Adds `count` to the counter (`write(2)`): for an eventfd bound by `KVM_IRQFD`, raises its
    /// GSI, synchronously, before this returns (the kernel injects from the write's wake-up).
    public func signal(_ count: UInt64 = 1) throws(KVMError) {
        let result = fd.interface.writeEventFD(fd.raw, count)
        if result < 0 {
            throw KVMError.kernel(Errno(rawValue: -result), Attempt(.eventfdWrite, argument: count))
        }
    }

    /// Takes the counter (`read(2)`): how many signals arrived since the last take, 0 if none.
    public func consume() throws(KVMError) -> UInt64 {
        let (value, error) = fd.interface.readEventFD(fd.raw)
        if let error {
            if error == .EAGAIN { return 0 }
            throw KVMError.kernel(error, Attempt(.eventfdRead))
        }
        return value
    }

    /// Lends the descriptor (to poll it, or to hand it to C code); the owner still closes it.
    public func withRawDescriptor<Result, Failure: Error>(
        _ body: (Int32) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try body(fd.raw)
    }
}
