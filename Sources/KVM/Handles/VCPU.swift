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

    /// `KVM_GET_ONE_REG` of a 64-bit register.
    public func get(_ register: OneRegister) throws(KVMError) -> UInt64 {
        var value: UInt64 = 0
        return try withUnsafeMutablePointer(to: &value) { (pointer) throws(KVMError) -> UInt64 in
            var raw = kvm_one_reg()
            raw.id = register.id
            raw.addr = UInt64(UInt(bitPattern: pointer))
            _ = try fd.ioctl(Attempt(.getOneReg, vcpu: id, argument: register.id), pointer: &raw)
            return pointer.pointee
        }
    }

    /// `KVM_SET_ONE_REG` of a 64-bit register.
    public func set(_ register: OneRegister, to newValue: UInt64) throws(KVMError) {
        var value = newValue
        try withUnsafeMutablePointer(to: &value) { (pointer) throws(KVMError) in
            var raw = kvm_one_reg()
            raw.id = register.id
            raw.addr = UInt64(UInt(bitPattern: pointer))
            _ = try fd.ioctl(Attempt(.setOneReg, vcpu: id, argument: register.id), pointer: &raw)
        }
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
}
