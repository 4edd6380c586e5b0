import CKVM
import GICVocabulary

/// A stand-in kernel for the KVM layer's system calls: it records every call and answers it.
///
/// Tests on machines without an arm64 KVM use it to assert the exact sequence of ioctls (and
/// device attributes, with the values written) that an operation issues. The default answers
/// are those of a minimal, well-behaved arm64 KVM: API version 12, new fds for created
/// objects, capabilities from `capabilities`, device attributes stored and read back, and
/// failures injected through `failures`. Subclass and override `answer(_:)` for anything else.
///
/// Calls from several threads are served one at a time: a VMM's device threads may raise lines
/// while another reads registers, as on a real kernel. The exception is a simulator that does
/// not record its ioctls (`recordsIoctls` false, the null kernel of the instruction-count
/// benchmark), whose ioctls go straight to `answer`. The inspection properties (`calls`,
/// `objects`, …) are for reading once the threads are done.
open class SyscallSimulator: @unchecked Sendable {
    /// One recorded system call.
    public struct Call: Hashable, Sendable, CustomStringConvertible {
        /// The fd the call was issued on (-1 for `open` and anonymous `mmap`).
        public var fd: Int32
        /// What was attempted (request, vCPU, attribute, argument).
        public var attempt: Attempt
        /// For `KVM_SET_DEVICE_ATTR`: the value written, zero-extended (first word only for
        /// two-word payloads). For `KVM_IRQ_LINE`: the level. For an eventfd write: the count.
        public var value: UInt64?
        /// The structure a device-interrupt ioctl carried, decoded: `KVM_IRQFD`,
        /// `KVM_SET_GSI_ROUTING`, `KVM_SIGNAL_MSI`.
        public var payload: Payload?

        public init(fd: Int32, attempt: Attempt, value: UInt64? = nil, payload: Payload? = nil) {
            self.fd = fd
            self.attempt = attempt
            self.value = value
            self.payload = payload
        }

        public var description: String {
            var text = "fd \(fd): \(attempt)"
            if let value { text += " = " + hex(value) }
            if let payload { text += " \(payload)" }
            return text
        }
    }

    /// What a device-interrupt ioctl sent, as the kernel would read it.
    public enum Payload: Hashable, Sendable, CustomStringConvertible {
        /// `struct kvm_irqfd`.
        case irqfd(IRQFDRequest)
        /// `struct kvm_irq_routing`: the entries and the header's flags.
        case routing(GSIRoutingTable, flags: UInt32)
        /// `struct kvm_msi`: the message and the flags beyond `KVM_MSI_VALID_DEVID`.
        case msi(MSIMessage, extraFlags: UInt32)

        public var description: String {
            switch self {
            case .irqfd(let request): request.description
            case .routing(let table, let flags):
                "\(table.routes.count) routes" + (flags == 0 ? "" : " flags \(flags)")
            case .msi(let message, let extra): message.description + (extra == 0 ? "" : " flags +\(extra)")
            }
        }
    }

    /// Everything issued so far, in order.
    public private(set) var calls: [Call] = []
    /// Whether ioctls are recorded in `calls` (the default). Off, an ioctl costs only its
    /// `answer`: what the instruction-count benchmark (Benchmarks/kvm-gic-bench) needs of a
    /// null kernel. `open`, `close`, `dup` and `mmap` are recorded either way. A constant, so
    /// reading it costs no exclusivity check.
    public let recordsIoctls: Bool
    /// The architecture the simulated kernel reports (`uname -m`).
    public var machine: String
    /// `KVM_CHECK_EXTENSION` answers; capabilities not listed answer 0.
    public var capabilities: [Capability: Int]
    /// Device types `KVM_CREATE_DEVICE` accepts; others fail with ENODEV.
    public var deviceTypes: Set<DeviceType>
    /// Injected failures: the first matching rule fails the call with its errno.
    public var failures: [(matches: Request, attribute: AttributeGroup?, errno: Errno)] = []
    /// Device attribute values, keyed by device fd and attribute, as the last SET left them.
    public private(set) var attributes: [Int32: [AttributeAddress: [UInt64]]] = [:]
    /// Objects created, by fd, so tests can tell a VM fd from a vCPU fd.
    public private(set) var objects: [Int32: Object] = [:]
    /// fds closed, in order.
    public private(set) var closed: [Int32] = []
    /// Each open eventfd's counter.
    public private(set) var eventFDCounters: [Int32: UInt64] = [:]
    private var semaphoreEventFDs: Set<Int32> = []
    /// The MPIDR a simulated vCPU reports: KVM's reset value for its id
    /// (`Affinity.kvmResetDefaultMPIDR`, stated once in GICVocabulary) unless set.
    public var mpidrForVCPU: (UInt32) -> UInt64 = { id in Affinity.kvmResetDefaultMPIDR(vcpuID: id) }
    /// What `KVM_GET_REG_LIST` lists for every vCPU (`SyscallSimulator.typicalRegisterList`
    /// unless set): ids whose `KVM_GET_ONE_REG` answers the value last set, or 0 (MPIDR_EL1:
    /// `mpidrForVCPU`), in the id's size.
    public var registerList: [UInt64] = SyscallSimulator.typicalRegisterList
    /// One-reg values set so far, by vCPU fd and register id.
    public private(set) var registerValues: [Int32: [UInt64: [UInt8]]] = [:]
    /// `KVM_GET_MP_STATE` answers by vCPU fd: what `KVM_SET_MP_STATE` set, or what
    /// `KVM_ARM_VCPU_INIT` left (stopped with `KVM_ARM_VCPU_POWER_OFF`, else runnable).
    public private(set) var mpStates: [Int32: UInt32] = [:]

    /// What a simulated fd refers to.
    public enum Object: Hashable, Sendable {
        case system
        case vm
        case vcpu(id: UInt32)
        case device(DeviceType)
        case eventfd
    }

    private var nextFD: Int32 = 100
    /// Held while a call is recorded and answered (every call but the ioctls of a simulator that
    /// does not record them), so several threads may drive one simulator.
    private let lock = HostMutex()
    private var duplicated: [Int32: Int32] = [:]
    private var mappings: [UnsafeMutableRawPointer: Int] = [:]

    public init(
        machine: String = "aarch64",
        capabilities: [Capability: Int] = [
            .armVMIPASize: 48, .maxVCPUs: 512, .nrVCPUs: 4, .armIRQLineLayout2: 1,
            .deviceControl: 1, .oneReg: 1, .irqchip: 1, .armPSCI02: 1,
        ],
        deviceTypes: Set<DeviceType> = [.vgicV3, .vgicITS],
        recordsIoctls: Bool = true
    ) {
        self.recordsIoctls = recordsIoctls
        self.machine = machine
        self.capabilities = capabilities
        self.deviceTypes = deviceTypes
    }

    /// The calls whose request is `request`, in order.
    public func calls(_ request: Request) -> [Call] {
        calls.filter { $0.attempt.request == request }
    }

    /// Forgets the recorded calls (not the simulated state).
    public func clearCalls() { calls.removeAll() }

    // MARK: - Answers (override points)

    /// Answers one ioctl. `argument` points at the structure the kernel would read or write.
    /// Returns the ioctl's result or `-errno`. Called after the call has been recorded.
    open func answer(fd: Int32, attempt: Attempt, argument: UnsafeMutableRawPointer?, value: UInt) -> Int {
        for rule in failures where rule.matches == attempt.request {
            if let group = rule.attribute, attempt.attribute?.group != group { continue }
            return -Int(rule.errno.rawValue)
        }
        switch attempt.request {
        case .getAPIVersion:
            return Int(CKVM_API_VERSION)
        case .checkExtension:
            return capabilities[Capability(rawValue: Int(value))] ?? 0
        case .getVCPUMmapSize:
            return 3 * 4096
        case .createVM:
            return newObject(.vm)
        case .createVCPU:
            return newObject(.vcpu(id: UInt32(truncatingIfNeeded: value)))
        case .armPreferredTarget:
            argument?.assumingMemoryBound(to: kvm_vcpu_init.self).pointee.target = CKVM_ARM_TARGET_GENERIC_V8
            return 0
        case .createDevice:
            return answerCreateDevice(argument)
        case .getOneReg:
            return answerGetOneReg(fd: fd, argument)
        case .setOneReg:
            return answerSetOneReg(fd: fd, argument)
        case .getRegList:
            return answerRegisterList(argument)
        case .getMPState:
            argument?.assumingMemoryBound(to: kvm_mp_state.self).pointee.mp_state = mpStates[fd] ?? CKVM_MP_STATE_RUNNABLE
            return 0
        case .setMPState:
            guard let state = argument?.assumingMemoryBound(to: kvm_mp_state.self).pointee.mp_state else {
                return -Int(Errno.EFAULT.rawValue)
            }
            mpStates[fd] = state
            return 0
        case .armVCPUInit:
            if let features = argument?.assumingMemoryBound(to: kvm_vcpu_init.self).pointee.features.0 {
                mpStates[fd] = features & (1 << CKVM_ARM_VCPU_POWER_OFF) != 0 ? CKVM_MP_STATE_STOPPED : CKVM_MP_STATE_RUNNABLE
            }
            return 0
        case .setDeviceAttr, .getDeviceAttr, .hasDeviceAttr:
            return answerDeviceAttribute(fd: fd, attempt: attempt, argument)
        case .signalMSI:
            return 1  // delivered
        default:
            return 0
        }
    }

    /// Called after a write added to eventfd `fd`'s counter, while the call is being served: a
    /// kernel model binds irqfds here (the kernel injects from the write's wake-up and takes the
    /// counter). Does nothing by default.
    open func eventFDSignalled(fd: Int32) {}

    /// Called when `fd` is closed, before it is forgotten (an irqfd's eventfd closing detaches it).
    open func closing(fd: Int32) {}

    /// Sets eventfd `fd`'s counter; for subclasses, from within a call they are answering (an
    /// irqfd taking its eventfd's count, a resampler signalling its eventfd).
    public final func setEventFDCounter(_ fd: Int32, _ value: UInt64) {
        if eventFDCounters[fd] != nil { eventFDCounters[fd] = value }
    }

    private func newObject(_ object: Object) -> Int {
        nextFD += 1
        objects[nextFD] = object
        return Int(nextFD)
    }

    private func answerCreateDevice(_ argument: UnsafeMutableRawPointer?) -> Int {
        guard let create = argument?.assumingMemoryBound(to: kvm_create_device.self) else {
            return -Int(Errno.EFAULT.rawValue)
        }
        let type = DeviceType(rawValue: create.pointee.type)
        guard deviceTypes.contains(type) else { return -Int(Errno.ENODEV.rawValue) }
        if create.pointee.flags & CKVM_CREATE_DEVICE_TEST != 0 { return 0 }
        create.pointee.fd = UInt32(newObject(.device(type)))
        return 0
    }

    private func answerGetOneReg(fd: Int32, _ argument: UnsafeMutableRawPointer?) -> Int {
        guard let reg = argument?.assumingMemoryBound(to: kvm_one_reg.self),
            case .vcpu(let id)? = objects[fd],
            let address = UnsafeMutableRawPointer(bitPattern: UInt(reg.pointee.addr))
        else { return -Int(Errno.EINVAL.rawValue) }
        let register = OneRegister(id: reg.pointee.id)
        let bytes = registerValues[fd]?[register.id]
            ?? RegisterValue(register.id == OneRegister.mpidr.id ? mpidrForVCPU(id) : 0, byteCount: register.byteCount).bytes
        for (index, byte) in bytes.enumerated() { address.storeBytes(of: byte, toByteOffset: index, as: UInt8.self) }
        return 0
    }

    private func answerSetOneReg(fd: Int32, _ argument: UnsafeMutableRawPointer?) -> Int {
        guard let reg = argument?.assumingMemoryBound(to: kvm_one_reg.self),
            case .vcpu? = objects[fd],
            let address = UnsafeMutableRawPointer(bitPattern: UInt(reg.pointee.addr))
        else { return -Int(Errno.EINVAL.rawValue) }
        let register = OneRegister(id: reg.pointee.id)
        var bytes: [UInt8] = []
        for index in 0..<register.byteCount { bytes.append(address.load(fromByteOffset: index, as: UInt8.self)) }
        registerValues[fd, default: [:]][register.id] = bytes
        return 0
    }

    /// `KVM_GET_REG_LIST` as `kvm_arch_vcpu_ioctl` answers it: the count is written back
    /// always, the ids only when `n` leaves room for them, E2BIG otherwise.
    private func answerRegisterList(_ argument: UnsafeMutableRawPointer?) -> Int {
        guard let argument else { return -Int(Errno.EFAULT.rawValue) }
        let room = argument.load(as: UInt64.self)
        argument.storeBytes(of: UInt64(registerList.count), as: UInt64.self)
        guard room >= UInt64(registerList.count) else { return -Int(Errno.E2BIG.rawValue) }
        for (index, id) in registerList.enumerated() {
            argument.storeBytes(of: id, toByteOffset: 8 * (index + 1), as: UInt64.self)
        }
        return 0
    }

    private func answerDeviceAttribute(fd: Int32, attempt: Attempt, _ argument: UnsafeMutableRawPointer?) -> Int {
        guard let key = attempt.attribute,
            let raw = argument?.assumingMemoryBound(to: kvm_device_attr.self)
        else { return -Int(Errno.EFAULT.rawValue) }
        let words = SyscallSimulator.payloadWords(for: key.group)
        switch attempt.request {
        case .hasDeviceAttr:
            return 0
        case .setDeviceAttr:
            if words == 0 { return 0 }
            guard let address = UnsafeMutableRawPointer(bitPattern: UInt(raw.pointee.addr)) else {
                return -Int(Errno.EFAULT.rawValue)
            }
            attributes[fd, default: [:]][key] = SyscallSimulator.readPayload(address, group: key.group)
            return 0
        default:
            guard let address = UnsafeMutableRawPointer(bitPattern: UInt(raw.pointee.addr)) else {
                return -Int(Errno.EFAULT.rawValue)
            }
            let stored = attributes[fd]?[key] ?? []
            SyscallSimulator.writePayload(address, group: key.group, words: stored)
            return 0
        }
    }

    // MARK: - Payload widths (the uAPI rule, mirrored for recording)

    /// How many 64-bit words of payload a group's `addr` points at (0 for CTRL's INIT-like
    /// attributes, which carry none), and whether each is 32 or 64 bits wide.
    static func payloadWords(for group: AttributeGroup) -> Int {
        switch group {
        case .control: 0
        default: 1
        }
    }

    static func is32Bit(_ group: AttributeGroup) -> Bool {
        switch group {
        case .distributorRegisters, .redistributorRegisters, .cpuRegisters, .levelInfo, .nrIRQs,
            .maintenanceIRQ:
            true
        default:
            false
        }
    }

    static func readPayload(_ address: UnsafeMutableRawPointer, group: AttributeGroup) -> [UInt64] {
        if is32Bit(group) { return [UInt64(address.load(as: UInt32.self))] }
        return [address.load(as: UInt64.self)]
    }

    static func writePayload(_ address: UnsafeMutableRawPointer, group: AttributeGroup, words: [UInt64]) {
        let first = words.first ?? 0
        if is32Bit(group) {
            address.storeBytes(of: UInt32(truncatingIfNeeded: first), as: UInt32.self)
        } else {
            address.storeBytes(of: first, as: UInt64.self)
        }
    }

    // MARK: - Entry points from the choke point

    final func handleIoctl(fd: Int32, attempt: Attempt, argument: UnsafeMutableRawPointer?) -> Int {
        guard recordsIoctls else { return answer(fd: fd, attempt: attempt, argument: argument, value: 0) }
        return lock.withLock { recordAndAnswer(fd: fd, attempt: attempt, argument: argument) }
    }

    private func recordAndAnswer(fd: Int32, attempt: Attempt, argument: UnsafeMutableRawPointer?) -> Int {
        var call = Call(fd: fd, attempt: attempt)
        if attempt.request == .setDeviceAttr, let attribute = attempt.attribute,
            SyscallSimulator.payloadWords(for: attribute.group) > 0,
            let raw = argument?.assumingMemoryBound(to: kvm_device_attr.self),
            let address = UnsafeMutableRawPointer(bitPattern: UInt(raw.pointee.addr))
        {
            call.value = SyscallSimulator.readPayload(address, group: attribute.group).first
        }
        if attempt.request == .irqLine, let level = argument?.assumingMemoryBound(to: kvm_irq_level.self) {
            call.value = UInt64(level.pointee.level)
        }
        call.payload = SyscallSimulator.payload(attempt.request, argument)
        calls.append(call)
        return answer(fd: fd, attempt: attempt, argument: argument, value: 0)
    }

    /// The decoded structure of a device-interrupt ioctl's `argument`, as the kernel reads it;
    /// nil for other requests. For subclasses that answer these ioctls.
    public static func payload(_ request: Request, _ argument: UnsafeMutableRawPointer?) -> Payload? {
        guard let argument else { return nil }
        switch request {
        case .irqfd:
            let raw = argument.load(as: kvm_irqfd.self)
            return .irqfd(IRQFDRequest(
                fd: Int32(bitPattern: raw.fd), gsi: raw.gsi, flags: raw.flags, resampleFD: Int32(bitPattern: raw.resamplefd)))
        case .setGSIRouting:
            guard let (routes, flags) = RoutingEncoding.decode(UnsafeRawPointer(argument)) else { return nil }
            return .routing(GSIRoutingTable(routes), flags: flags)
        case .signalMSI:
            let raw = argument.load(as: kvm_msi.self)
            let hasDevice = raw.flags & CKVM_MSI_VALID_DEVID != 0
            let message = MSIMessage(
                address: UInt64(raw.address_hi) << 32 | UInt64(raw.address_lo), data: raw.data,
                deviceID: hasDevice ? raw.devid : nil)
            return .msi(message, extraFlags: raw.flags & ~CKVM_MSI_VALID_DEVID)
        default:
            return nil
        }
    }

    final func handleIoctl(fd: Int32, attempt: Attempt, value: UInt) -> Int {
        guard recordsIoctls else { return answer(fd: fd, attempt: attempt, argument: nil, value: value) }
        return lock.withLock {
            calls.append(Call(fd: fd, attempt: attempt))
            return answer(fd: fd, attempt: attempt, argument: nil, value: value)
        }
    }

    final func handleOpen(path: String) -> Int32 {
        lock.withLock {
            calls.append(Call(fd: -1, attempt: Attempt(.open)))
            if path != "/dev/kvm" { return -Errno.ENOENT.rawValue }
            return Int32(newObject(.system))
        }
    }

    final func handleClose(fd: Int32) -> Int32 {
        lock.withLock {
            calls.append(Call(fd: fd, attempt: Attempt(.close)))
            closing(fd: fd)
            closed.append(fd)
            objects[fd] = nil
            eventFDCounters[fd] = nil
            semaphoreEventFDs.remove(fd)
            return 0
        }
    }

    /// `eventfd(2)`: a new fd whose counter starts at 0.
    final func handleEventFD(flags: Int32) -> Int32 {
        lock.withLock {
            calls.append(Call(fd: -1, attempt: Attempt(.eventfd, argument: UInt64(UInt32(bitPattern: flags)))))
            let fd = Int32(newObject(.eventfd))
            eventFDCounters[fd] = 0
            if flags & CKVM_EFD_SEMAPHORE != 0 { semaphoreEventFDs.insert(fd) }
            return fd
        }
    }

    /// `read(2)` of an eventfd: the counter, reset (or 1, decremented, in semaphore mode); EAGAIN
    /// at 0 (a simulator cannot block, so a blocking eventfd answers the same); EBADF for an fd
    /// that is not open, EINVAL for one that is no eventfd.
    final func handleEventFDRead(fd: Int32) -> (UInt64, Errno?) {
        lock.withLock {
            calls.append(Call(fd: fd, attempt: Attempt(.eventfdRead)))
            guard let counter = eventFDCounters[fd] else { return (0, objects[fd] == nil ? .EBADF : .EINVAL) }
            guard counter > 0 else { return (0, .EAGAIN) }
            let taken: UInt64 = semaphoreEventFDs.contains(fd) ? 1 : counter
            eventFDCounters[fd] = counter - taken
            return (taken, nil)
        }
    }

    /// `write(2)` to an eventfd: adds to the counter (EINVAL for UINT64_MAX, EAGAIN when the sum
    /// would pass 0xffff_ffff_ffff_fffe, as `eventfd_write` says), then `eventFDSignalled`.
    final func handleEventFDWrite(fd: Int32, value: UInt64) -> Int32 {
        lock.withLock {
            calls.append(Call(fd: fd, attempt: Attempt(.eventfdWrite, argument: value), value: value))
            guard let counter = eventFDCounters[fd] else { return -(objects[fd] == nil ? Errno.EBADF : Errno.EINVAL).rawValue }
            if value == UInt64.max { return -Errno.EINVAL.rawValue }
            if value > UInt64.max - 1 - counter { return -Errno.EAGAIN.rawValue }
            eventFDCounters[fd] = counter + value
            eventFDSignalled(fd: fd)
            return 0
        }
    }

    final func handleDuplicate(fd: Int32) -> Int32 {
        lock.withLock {
            calls.append(Call(fd: fd, attempt: Attempt(.duplicate, argument: UInt64(fd))))
            guard let object = objects[fd] else { return -Errno.EBADF.rawValue }
            let copy = Int32(newObject(object))
            duplicated[copy] = original(of: fd)
            return copy
        }
    }

    /// The fd that first named the kernel object `fd` refers to: `fd` itself unless it came from
    /// `duplicate`. A subclass that keeps per-object state (a VM's vgic) keys it by this, so a
    /// duplicated VM fd reaches the same VM.
    public final func original(of fd: Int32) -> Int32 {
        duplicated[fd] ?? fd
    }

    final func handleMapShared(fd: Int32, length: Int) -> (UnsafeMutableRawPointer?, Errno?) {
        lock.withLock {
            calls.append(Call(fd: fd, attempt: Attempt(.mmap, argument: UInt64(length))))
            return allocate(length)
        }
    }

    final func handleMapAnonymous(length: Int) -> (UnsafeMutableRawPointer?, Errno?) {
        lock.withLock {
            calls.append(Call(fd: -1, attempt: Attempt(.mmap, argument: UInt64(length))))
            return allocate(length)
        }
    }

    private func allocate(_ length: Int) -> (UnsafeMutableRawPointer?, Errno?) {
        guard length > 0 else { return (nil, .EINVAL) }
        let pointer = UnsafeMutableRawPointer.allocate(byteCount: length, alignment: 4096)
        pointer.initializeMemory(as: UInt8.self, repeating: 0, count: length)
        mappings[pointer] = length
        return (pointer, nil)
    }

    final func handleUnmap(_ pointer: UnsafeMutableRawPointer, length: Int) {
        lock.withLock {
            if mappings.removeValue(forKey: pointer) != nil { pointer.deallocate() }
        }
    }

    /// Mappings still live: a test asserts this is zero after every handle is gone.
    public var liveMappings: Int { mappings.count }
}
