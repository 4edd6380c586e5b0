/// Owns one file descriptor and closes it exactly once.
///
/// `~Copyable`, so an fd cannot be duplicated by assignment and closed twice, and the compiler
/// closes it when its owner goes away. Never built from a `KVM_CREATE_DEVICE_TEST` probe,
/// which returns no fd (rust-vmm wraps the untouched 0 and closes stdin on drop).
struct FileDescriptor: ~Copyable, Sendable {
    let raw: Int32
    let interface: KernelInterface

    init(raw: Int32, interface: KernelInterface) {
        self.raw = raw
        self.interface = interface
    }

    deinit {
        _ = interface.close(raw)
    }

    /// Issues an ioctl whose argument is a pointer; throws the kernel's errno with the attempt.

    func ioctl(_ attempt: Attempt, pointer: UnsafeMutableRawPointer?) throws(KVMError) -> Int {
        let result = interface.ioctl(raw, attempt, pointer: pointer)
        if result < 0 { throw KVMError.kernel(Errno(rawValue: Int32(truncatingIfNeeded: -result)), attempt) }
        return result
    }

    /// Issues an ioctl whose argument is a plain integer.

    func ioctl(_ attempt: Attempt, value: UInt) throws(KVMError) -> Int {
        let result = interface.ioctl(raw, attempt, value: value)
        if result < 0 { throw KVMError.kernel(Errno(rawValue: Int32(truncatingIfNeeded: -result)), attempt) }
        return result
    }

    /// Wraps a new fd returned by a creating ioctl, refusing values that cannot be fds.
    func adopt(_ result: Int, _ attempt: Attempt) throws(KVMError) -> FileDescriptor {
        guard result >= 0, result <= Int(Int32.max) else {
            throw KVMError.unexpectedAnswer(attempt, value: Int64(result))
        }
        return FileDescriptor(raw: Int32(result), interface: interface)
    }
}

/// Owns one memory mapping and unmaps it exactly once.
struct MappedRegion: ~Copyable {
    let base: UnsafeMutableRawPointer
    let length: Int
    let interface: KernelInterface

    deinit {
        interface.unmap(base, length: length)
    }
}
