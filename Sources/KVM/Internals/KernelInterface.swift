import CKVM

/// Where the KVM layer's system calls go: the running kernel, or a simulator that records them.
///
/// This is the package's one choke point for system calls (the swift-system pattern): every
/// `open`, `close`, `mmap` and `ioctl` of the KVM layer passes through the methods below and
/// nowhere else. Handles carry their interface and hand it to the handles they create, so a
/// whole VM (its vCPUs and devices) talks to one backend, and tests on x86 can assert the
/// exact ioctl/attr sequence an operation issues without a kernel and without global state.
public enum KernelInterface: Sendable {
    /// The running kernel.
    case live
    /// A simulator that records every call and answers it (tests, tooling).
    case simulated(SyscallSimulator)
}

extension Request {
    /// The request number, computed in C by the kernel header's own `_IO*` macros.

    var number: UInt {
        switch self {
        case .getAPIVersion: CKVM_GET_API_VERSION
        case .createVM: CKVM_CREATE_VM
        case .checkExtension: CKVM_CHECK_EXTENSION
        case .getVCPUMmapSize: CKVM_GET_VCPU_MMAP_SIZE
        case .createVCPU: CKVM_CREATE_VCPU
        case .setUserMemoryRegion: CKVM_SET_USER_MEMORY_REGION
        case .irqLine: CKVM_IRQ_LINE
        case .createDevice: CKVM_CREATE_DEVICE
        case .armPreferredTarget: CKVM_ARM_PREFERRED_TARGET
        case .signalMSI: CKVM_SIGNAL_MSI
        case .irqfd: CKVM_IRQFD
        case .setGSIRouting: CKVM_SET_GSI_ROUTING
        case .run: CKVM_RUN
        case .armVCPUInit: CKVM_ARM_VCPU_INIT
        case .getOneReg: CKVM_GET_ONE_REG
        case .setOneReg: CKVM_SET_ONE_REG
        case .getRegList: CKVM_GET_REG_LIST
        case .getMPState: CKVM_GET_MP_STATE
        case .setMPState: CKVM_SET_MP_STATE
        case .setDeviceAttr: CKVM_SET_DEVICE_ATTR
        case .getDeviceAttr: CKVM_GET_DEVICE_ATTR
        case .hasDeviceAttr: CKVM_HAS_DEVICE_ATTR
        case .open, .close, .duplicate, .mmap, .eventfd, .eventfdRead, .eventfdWrite: 0
        }
    }
}

extension KernelInterface {
    /// `ioctl(fd, request, pointer)`. Returns the result, or `-errno`.
    ///
    /// `argument` must point at mutable storage that outlives the call: the kernel may write
    /// through it (rust-vmm #273 and RUSTSEC's `create_device` advisory are what happens when
    /// it points at immutable or expired storage).

    func ioctl(_ fd: Int32, _ attempt: Attempt, pointer argument: UnsafeMutableRawPointer?) -> Int {
        switch self {
        case .live:
            return ckvm_ioctl_pointer(fd, attempt.request.number, argument)
        case .simulated(let simulator):
            return simulator.handleIoctl(fd: fd, attempt: attempt, argument: argument)
        }
    }

    /// `ioctl(fd, request, value)` for requests whose argument is a plain integer.

    func ioctl(_ fd: Int32, _ attempt: Attempt, value: UInt) -> Int {
        switch self {
        case .live:
            return ckvm_ioctl_value(fd, attempt.request.number, value)
        case .simulated(let simulator):
            return simulator.handleIoctl(fd: fd, attempt: attempt, value: value)
        }
    }

    /// `open(path, O_RDWR | O_CLOEXEC)`. Returns the fd, or `-errno`.
    func open(_ path: String) -> Int32 {
        switch self {
        case .live:
            return path.withCString { ckvm_open_read_write($0) }
        case .simulated(let simulator):
            return simulator.handleOpen(path: path)
        }
    }

    /// `close(fd)`. Errors are reported but there is nothing a caller could do about them:
    /// the fd is gone either way (close(2) never leaves it open on Linux).
    func close(_ fd: Int32) -> Int32 {
        switch self {
        case .live:
            return ckvm_close(fd)
        case .simulated(let simulator):
            return simulator.handleClose(fd: fd)
        }
    }

    /// `fcntl(fd, F_DUPFD_CLOEXEC)`: a second fd for the same kernel object.
    func duplicate(_ fd: Int32) -> Int32 {
        switch self {
        case .live:
            return ckvm_dup(fd)
        case .simulated(let simulator):
            return simulator.handleDuplicate(fd: fd)
        }
    }

    /// `eventfd(0, flags)`. Returns the fd, or `-errno`.
    func eventfd(flags: Int32) -> Int32 {
        switch self {
        case .live:
            return ckvm_eventfd(0, flags)
        case .simulated(let simulator):
            return simulator.handleEventFD(flags: flags)
        }
    }

    /// `read(fd, &counter, 8)` of an eventfd: the counter (which the read resets), or `-errno`
    /// (EAGAIN when a non-blocking eventfd's counter is 0).
    func readEventFD(_ fd: Int32) -> (UInt64, Errno?) {
        switch self {
        case .live:
            var value: UInt64 = 0
            let result = ckvm_eventfd_read(fd, &value)
            return result < 0 ? (0, Errno(rawValue: -result)) : (value, nil)
        case .simulated(let simulator):
            return simulator.handleEventFDRead(fd: fd)
        }
    }

    /// `write(fd, &value, 8)` to an eventfd: adds `value` to its counter. Returns 0 or `-errno`.
    func writeEventFD(_ fd: Int32, _ value: UInt64) -> Int32 {
        switch self {
        case .live:
            return ckvm_eventfd_write(fd, value)
        case .simulated(let simulator):
            return simulator.handleEventFDWrite(fd: fd, value: value)
        }
    }

    /// `mmap(NULL, length, RW, MAP_SHARED, fd, 0)`, for the vCPU's `kvm_run`.
    func mapShared(_ fd: Int32, length: Int) -> (UnsafeMutableRawPointer?, Errno?) {
        switch self {
        case .live:
            var error: Int32 = 0
            let pointer = ckvm_mmap_shared(fd, length, &error)
            return (pointer, pointer == nil ? Errno(rawValue: error) : nil)
        case .simulated(let simulator):
            return simulator.handleMapShared(fd: fd, length: length)
        }
    }

    /// Anonymous private memory, for guest RAM.
    func mapAnonymous(length: Int) -> (UnsafeMutableRawPointer?, Errno?) {
        switch self {
        case .live:
            var error: Int32 = 0
            let pointer = ckvm_mmap_anonymous(length, &error)
            return (pointer, pointer == nil ? Errno(rawValue: error) : nil)
        case .simulated(let simulator):
            return simulator.handleMapAnonymous(length: length)
        }
    }

    func unmap(_ pointer: UnsafeMutableRawPointer, length: Int) {
        switch self {
        case .live:
            _ = ckvm_munmap(pointer, length)
        case .simulated(let simulator):
            simulator.handleUnmap(pointer, length: length)
        }
    }

    /// `uname().machine`: the architecture of the kernel whose `/dev/kvm` this is.
    func machine() -> String {
        switch self {
        case .live:
            var buffer = [CChar](repeating: 0, count: 65)
            let result = buffer.withUnsafeMutableBufferPointer { ckvm_machine($0.baseAddress, $0.count) }
            if result != 0 { return "unknown" }
            var bytes: [UInt8] = []
            for char in buffer {
                if char == 0 { break }
                bytes.append(UInt8(bitPattern: char))
            }
            return String(decoding: bytes, as: UTF8.self)
        case .simulated(let simulator):
            return simulator.machine
        }
    }
}
