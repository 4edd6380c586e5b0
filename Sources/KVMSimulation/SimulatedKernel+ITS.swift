import CKVM
import GICModel
import GICVocabulary
import KVM

/// The vgic-its device (`vgic_its_set_attr`, `vgic_its_get_attr`, `vgic_its_has_attr`): its frame
/// address, its registers (`SimulatedITS`, by the `ITSRegister` table) and its CTRL attributes.
extension SimulatedKernel {
    func itsAttribute(
        vm key: Int32, fd: Int32, _ request: Request, _ address: AttributeAddress, _ argument: UnsafeMutableRawPointer?
    ) -> Int {
        let kernel = kernel
        let running = vcpuInKVMRun
        return withVM(key) { vm in
            guard var its = vm.its[fd] else { return failure(.ENXIO) }
            defer { vm.its[fd] = its }
            switch address.group {
            case .address:
                // HAS: ENXIO for another type; SET and GET: ENODEV (`vgic_its_set_attr` returns it as is).
                guard address.attr == SimulatedITS.addressType else {
                    return request == .hasDeviceAttr ? failure(.ENXIO) : failure(.ENODEV)
                }
                if request == .hasDeviceAttr { return 0 }
                guard let buffer = UserBuffer(attributeAt: argument) else { return failure(.EFAULT) }
                if request == .getDeviceAttr {
                    buffer.word64 = its.base ?? GICv3Setup.undefinedAddress
                    return 0
                }
                let base = buffer.word64
                return ioctlResult { () throws(ModelRefusal) in
                    // `vgic_check_iorange`, the rule every vgic frame address follows.
                    let setup = GICv3Setup(ipaBits: vm.ipaBits)
                    try setup.setITSAddress(base, alreadySet: its.base != nil, size: SimulatedITS.size)
                    its.base = base
                }
            case .control:
                if request == .hasDeviceAttr {
                    return SimulatedITS.controlAttributes.contains(address.attr) ? 0 : failure(.ENXIO)
                }
                guard request == .setDeviceAttr else { return failure(.ENXIO) }
                return itsControl(&its, &vm, address.attr, kernel: kernel, running: running)
            case .itsRegisters:
                return itsRegister(&its, &vm, request, offset: address.attr, argument, running: running)
            default:
                return failure(.ENXIO)
            }
        }
    }

    /// `vgic_its_ctrl`: INIT does nothing; the others lock every vCPU (EBUSY), then reset the ITS
    /// or save or restore its tables in guest RAM through the model (EFAULT outside the slots,
    /// EINVAL or EEXIST for a table the restore refuses).
    private func itsControl(_ its: inout SimulatedITS, _ vm: inout SimulatedVM, _ attr: UInt64, kernel: KernelBehaviour, running: Bool) -> Int {
        if attr == CKVM_VGIC_CTRL_INIT {
            its.isInitialised = true
            return 0
        }
        if running { return failure(.EBUSY) }
        var errno: KernelErrno? = nil
        switch attr {
        case CKVM_ITS_CTRL_RESET:
            vm.withLPIs { gic, _ in its.model.reset(gic: &gic) }
        case CKVM_ITS_SAVE_TABLES:
            errno = vm.withLPIs { _, ram in its.model.saveTables(into: &ram) }
        case CKVM_ITS_RESTORE_TABLES:
            errno = vm.withLPIs { gic, ram in its.model.restoreTables(gic: &gic, memory: &ram).errno }
        default:
            return kernel.itsRefusesUnknownControl ? failure(.ENXIO) : 0
        }
        return errno.map { failure(Errno(rawValue: $0.rawValue)) } ?? 0
    }

    /// `vgic_its_attr_regs_access` (GET, SET) and `vgic_its_has_attr_regs` (HAS): alignment
    /// (EINVAL), then the vCPUs (EBUSY), then the frame (ENXIO while unset), then the region (ENXIO).
    private func itsRegister(
        _ its: inout SimulatedITS, _ vm: inout SimulatedVM, _ request: Request, offset: UInt64, _ argument: UnsafeMutableRawPointer?,
        running: Bool
    ) -> Int {
        guard SimulatedITS.isAligned(offset) else { return failure(.EINVAL) }
        if request == .hasDeviceAttr { return SimulatedITS.check(offset: offset) == nil ? failure(.ENXIO) : 0 }
        guard let buffer = UserBuffer(attributeAt: argument) else { return failure(.EFAULT) }
        if running { return failure(.EBUSY) }
        guard its.base != nil, let (register, index) = SimulatedITS.check(offset: offset) else { return failure(.ENXIO) }
        if request == .getDeviceAttr {
            buffer.word64 = its.read(register, index: index)
            return 0
        }
        let value = register.width == .bits32 ? buffer.word64 & 0xFFFF_FFFF : buffer.word64
        let errno = vm.withLPIs { gic, ram in its.model.userspaceWrite(register, index: index, value, gic: &gic, memory: &ram).errno }
        return errno.map { failure(Errno(rawValue: $0.rawValue)) } ?? 0
    }
}

extension SimulatedVM {
    /// `body` on the VM's vgic model (its LPIs) and guest RAM; before CTRL_INIT on a throwaway vgic
    /// without vCPUs, whose LPIs go nowhere.
    mutating func withLPIs<Result>(_ body: (inout GICv3Model, inout SimulatedGuestRAM) -> Result) -> Result {
        var ram = SimulatedGuestRAM(slots: memory)
        guard var gic = gicv3 else {
            var throwaway = GICv3Model(configuration: GICv3ModelConfiguration(vcpuAffinities: [], hasITS: true))
            return body(&throwaway, &ram)
        }
        gicv3 = nil
        let result = body(&gic, &ram)
        gicv3 = gic
        return result
    }

    /// Every ITS empties its translation cache (`vgic_its_invalidate_all_caches`).
    mutating func invalidateITSCaches() {
        for fd in its.keys {
            guard var device = its[fd] else { continue }
            its[fd] = nil
            withLPIs { gic, _ in device.model.invalidateCache(gic: &gic) }
            its[fd] = device
        }
    }
}

/// A guest memory slot (`KVM_SET_USER_MEMORY_REGION`): where guest RAM is, and the process memory
/// behind it, which the ITS and LPI table operations read and write as the kernel does.
public struct GuestMemorySlot: Hashable, Sendable {
    public let slot: UInt32
    public let guestAddress: UInt64
    public let size: UInt64
    /// `userspace_addr`: the VMM's mapping.
    public let hostAddress: UInt64

    /// Whether the 8-byte entry at `address` lies in the slot.
    func holds(_ address: UInt64) -> Bool {
        address >= guestAddress && address - guestAddress + 8 <= size
    }
}

/// A simulated VM's guest RAM: its memory slots, reached through the VMM's own mappings
/// (`kvm_read_guest` and `kvm_write_guest` on the simulator's side). An access that leaves the
/// slots is refused, as the kernel refuses it with EFAULT.
struct SimulatedGuestRAM: GuestPhysicalMemory {
    let slots: [GuestMemorySlot]

    func place(_ address: UInt64, _ count: Int) -> UnsafeMutableRawPointer? {
        for slot in slots where address >= slot.guestAddress && count >= 0 && UInt64(count) <= slot.size
            && address - slot.guestAddress <= slot.size - UInt64(count)
        {
            guard let base = UnsafeMutableRawPointer(bitPattern: UInt(slot.hostAddress)) else { return nil }
            return base + Int(address - slot.guestAddress)
        }
        return nil
    }

    func bytes(at address: UInt64, count: Int) -> [UInt8]? {
        guard let pointer = place(address, count) else { return nil }
        return Array(UnsafeRawBufferPointer(start: pointer, count: count))
    }

    mutating func write(_ bytes: [UInt8], at address: UInt64) -> Bool {
        guard let pointer = place(address, bytes.count) else { return false }
        for (index, byte) in bytes.enumerated() { pointer.storeBytes(of: byte, toByteOffset: index, as: UInt8.self) }
        return true
    }
}
