/// Borrowing the kernel file descriptor behind an owner, for C code that issues its own
/// ioctls on it (the lab's raw-C baseline loops that the Swift API's overhead is measured
/// against, or a VMM's existing C device model).
///
/// The descriptor is only lent: the owner still closes it exactly once, so `body` must not
/// close it, and must not keep it past its return.
extension VirtualMachine {
    public func withRawDescriptor<Result, Failure: Error>(
        _ body: (Int32) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try body(fd.raw)
    }
}

extension Device {
    public func withRawDescriptor<Result, Failure: Error>(
        _ body: (Int32) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try body(fd.raw)
    }
}

extension VCPU {
    public func withRawDescriptor<Result, Failure: Error>(
        _ body: (Int32) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try body(fd.raw)
    }
}
