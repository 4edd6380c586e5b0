import CKVM
import GICVocabulary

/// A KVM virtual machine (the VM fd).
///
/// Line changes (`setIRQLine`) are safe from any thread: they are single ioctls on the VM fd,
/// which the kernel serialises.
public struct VirtualMachine: ~Copyable {
    /// Explicit so other modules (Embedded Swift builds them separately) can destroy this
    /// owner: the members' own deinits close the fd and unmap memory.
    deinit {}

    let fd: FileDescriptor
    /// The VM's IPA size in bits: every GIC address must lie below `1 << ipaBits`.
    public let ipaBits: Int
    let vcpuMmapSize: Int
    /// Whether `KVM_IRQ_LINE` accepts vCPU indexes above 255 (`KVM_CAP_ARM_IRQ_LINE_LAYOUT_2`).
    public let supportsIRQLineLayout2: Bool

    /// `KVM_CHECK_EXTENSION` on the VM fd: some answers are per VM (`KVM_CAP_MSI_DEVID` becomes
    /// true once an ITS exists; `KVM_CAP_MAX_VCPUS` shrinks to the GIC model's limit).
    public func checkExtension(_ capability: Capability) throws(KVMError) -> Int {
        try fd.ioctl(Attempt(.checkExtension, argument: UInt64(capability.rawValue)), value: UInt(capability.rawValue))
    }

    /// `KVM_ARM_PREFERRED_TARGET`: the target and feature set to initialise vCPUs with.
    public func preferredTarget() throws(KVMError) -> VCPUConfiguration {
        var raw = kvm_vcpu_init()
        _ = try fd.ioctl(Attempt(.armPreferredTarget), pointer: &raw)
        return VCPUConfiguration(target: raw.target)
    }

    /// `KVM_CREATE_VCPU` and the mapping of its `kvm_run`. The vCPU still needs `initialize`.
    public func createVCPU(id: UInt32) throws(KVMError) -> VCPU {
        let attempt = Attempt(.createVCPU, vcpu: id, argument: UInt64(id))
        let vcpu = try fd.adopt(try fd.ioctl(attempt, value: UInt(id)), attempt)
        let mapAttempt = Attempt(.mmap, vcpu: id, argument: UInt64(vcpuMmapSize))
        let required = Int(CKVM_OFFSETOF_RUN_MMIO) + 32
        guard vcpuMmapSize >= required else {
            throw KVMError.invalidArgument(mapAttempt, reason: .mappingTooSmall(length: vcpuMmapSize, required: required))
        }
        let (pointer, error) = fd.interface.mapShared(vcpu.raw, length: vcpuMmapSize)
        guard let pointer else { throw KVMError.kernel(error ?? .EINVAL, mapAttempt) }
        return VCPU(fd: vcpu, id: id, runRegion: MappedRegion(base: pointer, length: vcpuMmapSize, interface: fd.interface))
    }

    /// `KVM_SET_USER_MEMORY_REGION`: maps `memory` at `guestAddress` in slot `slot`.
    ///
    /// The memory must stay alive as long as the VM may touch it; the caller owns both.
    public func mapMemory(_ memory: borrowing GuestMemory, slot: UInt32, guestAddress: UInt64) throws(KVMError) {
        let attempt = Attempt(.setUserMemoryRegion, argument: guestAddress)
        guard guestAddress & 0xfff == 0 else {
            throw KVMError.invalidArgument(attempt, reason: .memoryRegion(slot: slot))
        }
        var region = kvm_userspace_memory_region()
        region.slot = slot
        region.flags = 0
        region.guest_phys_addr = guestAddress
        region.memory_size = UInt64(memory.region.length)
        region.userspace_addr = UInt64(UInt(bitPattern: memory.region.base))
        _ = try fd.ioctl(attempt, pointer: &region)
    }

    /// Allocates page-aligned anonymous memory for guest RAM through the same interface.
    public func allocateGuestMemory(bytes: Int) throws(KVMError) -> GuestMemory {
        let attempt = Attempt(.mmap, argument: UInt64(bytes))
        guard bytes > 0, bytes & 0xfff == 0 else {
            throw KVMError.invalidArgument(attempt, reason: .memoryRegion(slot: 0))
        }
        let (pointer, error) = fd.interface.mapAnonymous(length: bytes)
        guard let pointer else { throw KVMError.kernel(error ?? .ENOMEM, attempt) }
        return GuestMemory(region: MappedRegion(base: pointer, length: bytes, interface: fd.interface))
    }

    /// `KVM_IRQ_LINE`: drives the line `word` names to `level`.
    ///
    /// A word that needs the layout-2 vCPU field on a kernel without it is refused before the
    /// ioctl. Level semantics are the GIC's: for an edge interrupt, level 1 is an edge and 0 is
    /// ignored; for a level interrupt, an unchanged level is ignored.

    public func setIRQLine(_ word: IRQLineWord, level: Bool) throws(KVMError) {
        let attempt = Attempt(.irqLine, argument: UInt64(word.rawValue))
        if word.needsLayout2 && !supportsIRQLineLayout2 {
            throw KVMError.invalidArgument(attempt, reason: .irqLineNeedsLayout2(vcpuIndex: Int(word.vcpuIndex.value)))
        }
        var raw = kvm_irq_level()
        raw.irq = word.rawValue
        raw.level = level ? 1 : 0
        _ = try fd.ioctl(attempt, pointer: &raw)
    }

    /// `KVM_CREATE_DEVICE`: creates a device and owns its fd.
    public func createDevice(_ type: DeviceType) throws(KVMError) -> Device {
        let attempt = Attempt(.createDevice, argument: UInt64(type.rawValue))
        var raw = kvm_create_device()
        raw.type = type.rawValue
        raw.flags = 0
        _ = try fd.ioctl(attempt, pointer: &raw)
        // Read the fd back from the mutable struct the kernel wrote (RUSTSEC: a compiler may
        // assume an immutable argument unchanged and read 0).
        let device = try fd.adopt(Int(raw.fd), attempt)
        return Device(fd: device, type: type)
    }

    /// Whether this VM could create `type`, asked with `KVM_CREATE_DEVICE_TEST`: no device and
    /// no fd are created.
    ///
    /// - Returns: false when the kernel answers ENODEV (unknown type, or a model the host
    ///   cannot emulate, e.g. GICv2 on a GICv3-only host or GICv5 on a non-GICv5 host).
    /// - Throws: any other refusal, which is not an answer about support (EBUSY: a vCPU has
    ///   run or is being created).
    public func canCreate(_ type: DeviceType) throws(KVMError) -> Bool {
        let attempt = Attempt(.createDevice, argument: UInt64(type.rawValue))
        var raw = kvm_create_device()
        raw.type = type.rawValue
        raw.flags = CKVM_CREATE_DEVICE_TEST
        do throws(KVMError) {
            _ = try fd.ioctl(attempt, pointer: &raw)
            return true
        } catch {
            if error.errno == .ENODEV { return false }
            throw error
        }
    }

    /// Another owner of the same VM (a `dup` of the fd), for objects such as a vgic device
    /// that must inject lines long after the code that created them returned.
    public func duplicate() throws(KVMError) -> VirtualMachine {
        let attempt = Attempt(.duplicate, argument: UInt64(fd.raw))
        let result = fd.interface.duplicate(fd.raw)
        if result < 0 { throw KVMError.kernel(Errno(rawValue: -result), attempt) }
        let copy = FileDescriptor(raw: result, interface: fd.interface)
        return VirtualMachine(
            fd: copy, ipaBits: ipaBits, vcpuMmapSize: vcpuMmapSize, supportsIRQLineLayout2: supportsIRQLineLayout2)
    }
}
