import CKVM

/// A virtual CPU (the vCPU fd and its `kvm_run` mapping).
///
/// `KVM_RUN` blocks the calling thread until the guest exits; a vCPU is driven by one thread.
public struct VCPU: ~Copyable {
    /// Explicit so other modules (Embedded Swift builds them separately) can destroy this
    /// owner: the members' own deinits close the fd and unmap memory.
    deinit {}

    let fd: FileDescriptor
    /// The id given to `KVM_CREATE_VCPU` (also the index `KVM_IRQ_LINE` uses for PPIs).
    public let id: UInt32
    let runRegion: MappedRegion

    /// `KVM_ARM_VCPU_INIT`. Use `VirtualMachine.preferredTarget()` for the target.
    public func initialize(_ configuration: VCPUConfiguration) throws(KVMError) {
        var raw = kvm_vcpu_init()
        raw.target = configuration.target
        raw.features.0 = try configuration.featureWord()
        _ = try fd.ioctl(Attempt(.armVCPUInit, vcpu: id, argument: UInt64(raw.features.0)), pointer: &raw)
    }

    /// `KVM_GET_ONE_REG` of a register of at most 8 bytes (zero-extended).
    ///
    /// - Throws: `.invalidArgument(.registerSize)` for a wider register, before the ioctl (the
    ///   kernel writes as many bytes as the id says); the kernel's refusal otherwise.
    public func get(_ register: OneRegister) throws(KVMError) -> UInt64 {
        let attempt = Attempt(.getOneReg, vcpu: id, argument: register.id)
        guard register.byteCount <= 8 else {
            throw .invalidArgument(attempt, reason: .registerSize(register: register.id, registerBytes: register.byteCount, valueBytes: 8))
        }
        var value: UInt64 = 0
        return try withUnsafeMutablePointer(to: &value) { (pointer) throws(KVMError) -> UInt64 in
            var raw = kvm_one_reg()
            raw.id = register.id
            raw.addr = UInt64(UInt(bitPattern: pointer))
            _ = try fd.ioctl(attempt, pointer: &raw)
            return pointer.pointee
        }
    }

    /// `KVM_SET_ONE_REG` of a register of at most 8 bytes (its low `byteCount` bytes of `newValue`).
    ///
    /// - Throws: `.invalidArgument(.registerSize)` for a wider register, before the ioctl; the
    ///   kernel's refusal otherwise.
    public func set(_ register: OneRegister, to newValue: UInt64) throws(KVMError) {
        let attempt = Attempt(.setOneReg, vcpu: id, argument: register.id)
        guard register.byteCount <= 8 else {
            throw .invalidArgument(attempt, reason: .registerSize(register: register.id, registerBytes: register.byteCount, valueBytes: 8))
        }
        var value = newValue
        try withUnsafeMutablePointer(to: &value) { (pointer) throws(KVMError) in
            var raw = kvm_one_reg()
            raw.id = register.id
            raw.addr = UInt64(UInt(bitPattern: pointer))
            _ = try fd.ioctl(attempt, pointer: &raw)
        }
    }

    /// `KVM_GET_ONE_REG` of a register of any size: its `byteCount` bytes.
    public func value(of register: OneRegister) throws(KVMError) -> RegisterValue {
        var bytes = [UInt8](repeating: 0, count: register.byteCount)
        try oneRegisterCall(Attempt(.getOneReg, vcpu: id, argument: register.id), register, &bytes)
        return RegisterValue(bytes: bytes)
    }

    /// `KVM_SET_ONE_REG` of a register of any size.
    ///
    /// - Throws: `.invalidArgument(.registerSize)` when `value` is not exactly the register's
    ///   size, before the ioctl (the kernel would read `byteCount` bytes whatever the buffer);
    ///   the kernel's refusal otherwise.
    public func set(_ register: OneRegister, to value: RegisterValue) throws(KVMError) {
        let attempt = Attempt(.setOneReg, vcpu: id, argument: register.id)
        guard value.bytes.count == register.byteCount else {
            throw .invalidArgument(
                attempt, reason: .registerSize(register: register.id, registerBytes: register.byteCount, valueBytes: value.bytes.count))
        }
        var bytes = value.bytes
        try oneRegisterCall(attempt, register, &bytes)
    }

    /// `KVM_GET_ONE_REG` or `KVM_SET_ONE_REG` (`attempt`) of `register` with `bytes` as the
    /// value's buffer (`kvm_one_reg.addr`), sized by the caller to the register.
    private func oneRegisterCall(_ attempt: Attempt, _ register: OneRegister, _ bytes: inout [UInt8]) throws(KVMError) {
        var failure: KVMError?
        bytes.withUnsafeMutableBytes { buffer in
            do throws(KVMError) {
                var raw = kvm_one_reg()
                raw.id = register.id
                raw.addr = UInt64(UInt(bitPattern: buffer.baseAddress))
                _ = try fd.ioctl(attempt, pointer: &raw)
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
    }

    /// `KVM_GET_REG_LIST`: every register this vCPU has, in the kernel's order (core registers,
    /// SVE, firmware, then the system registers; KVM.docc/VCPURegisters.md).
    ///
    /// Two calls: the first with room for none, which the kernel refuses with E2BIG after
    /// writing the count, the second with room for that count.
    public func registerList() throws(KVMError) -> [OneRegister] {
        let attempt = Attempt(.getRegList, vcpu: id)
        var header: [UInt64] = [0]
        do throws(KVMError) {
            var failure: KVMError?
            header.withUnsafeMutableBytes { buffer in
                do throws(KVMError) {
                    _ = try fd.ioctl(attempt, pointer: buffer.baseAddress)
                } catch {
                    failure = error
                }
            }
            if let failure { throw failure }
            if header[0] == 0 { return [] }
            throw KVMError.unexpectedAnswer(attempt, value: Int64(truncatingIfNeeded: header[0]))
        } catch {
            guard error.errno == .E2BIG else { throw error }
        }
        let count = Int(truncatingIfNeeded: header[0])
        guard count >= 0, count <= 1 << 20 else { throw .unexpectedAnswer(attempt, value: Int64(truncatingIfNeeded: header[0])) }
        var list = [UInt64](repeating: 0, count: count + 1)
        list[0] = UInt64(count)
        do throws(KVMError) {
            var failure: KVMError?
            list.withUnsafeMutableBytes { buffer in
                do throws(KVMError) {
                    _ = try fd.ioctl(attempt, pointer: buffer.baseAddress)
                } catch {
                    failure = error
                }
            }
            if let failure { throw failure }
        } catch {
            if error.errno == .E2BIG {
                throw .invalidArgument(attempt, reason: .registerListChanged(sized: count, needed: Int(truncatingIfNeeded: list[0])))
            }
            throw error
        }
        let filled = min(Int(truncatingIfNeeded: list[0]), count)
        return list[1...filled].map { OneRegister(id: $0) }
    }

    /// `KVM_GET_MP_STATE`: whether the vCPU runs, is powered off or suspended.
    public func mpState() throws(KVMError) -> MPState {
        var raw = kvm_mp_state()
        _ = try fd.ioctl(Attempt(.getMPState, vcpu: id), pointer: &raw)
        return MPState(rawValue: raw.mp_state)
    }

    /// `KVM_SET_MP_STATE`: powers the vCPU on or off (a migration target's secondaries take the
    /// source's state; `KVM_ARM_VCPU_POWER_OFF` only applies at `KVM_ARM_VCPU_INIT`).
    public func setMPState(_ state: MPState) throws(KVMError) {
        var raw = kvm_mp_state()
        raw.mp_state = state.rawValue
        _ = try fd.ioctl(Attempt(.setMPState, vcpu: id, argument: UInt64(state.rawValue)), pointer: &raw)
    }

    /// MPIDR_EL1 as the kernel holds it: the source of every vgic per-vCPU selector.
    public func mpidr() throws(KVMError) -> UInt64 {
        try get(.mpidr)
    }

    /// `KVM_RUN` until the next exit. A signal interrupting the run is reported as
    /// `.interrupted`, not as an error.
    public func run() throws(KVMError) -> VCPUExit {
        do throws(KVMError) {
            _ = try fd.ioctl(Attempt(.run, vcpu: id), value: 0)
        } catch {
            if error.errno == .EINTR { return .interrupted }
            throw error
        }
        return VCPUExit.decode(runRegion.base)
    }

    /// Supplies the data for an MMIO *read* the guest is waiting on (before the next `run`).
    public func completeMMIORead(_ value: UInt64) {
        (runRegion.base + Int(CKVM_OFFSETOF_RUN_MMIO)).storeBytes(of: value, toByteOffset: 8, as: UInt64.self)
    }

    /// `kvm_run.immediate_exit`: while set, `KVM_RUN` finishes what the last exit left pending
    /// (the register write of an MMIO read, the PC step past the access) and returns
    /// `.interrupted` without entering the guest (KVM.docc/VCPURegisters.md, "Stopping a vCPU").
    public var immediateExit: Bool {
        get { immediateExitFlag.pointee != 0 }
        nonmutating set { immediateExitFlag.pointee = newValue ? 1 : 0 }
    }

    /// The address of `kvm_run.immediate_exit`, valid as long as this vCPU: what a signal
    /// handler that kicks the vCPU out of `KVM_RUN` stores 1 to (a plain byte store is
    /// async-signal-safe; taking a lock or calling into Swift is not).
    public var immediateExitFlag: UnsafeMutablePointer<UInt8> {
        (runRegion.base + Int(CKVM_OFFSETOF_RUN_IMMEDIATE_EXIT)).assumingMemoryBound(to: UInt8.self)
    }
}
