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
                return itsControl(&its, address.attr, memory: vm.memory, kernel: kernel, running: running)
            case .itsRegisters:
                return itsRegister(&its, request, offset: address.attr, argument, running: running)
            default:
                return failure(.ENXIO)
            }
        }
    }

    /// `vgic_its_ctrl`: INIT does nothing; the others lock every vCPU (EBUSY).
    private func itsControl(
        _ its: inout SimulatedITS, _ attr: UInt64, memory: [GuestMemorySlot], kernel: KernelBehaviour, running: Bool
    ) -> Int {
        if attr == CKVM_VGIC_CTRL_INIT {
            its.isInitialised = true
            return 0
        }
        if running { return failure(.EBUSY) }
        switch attr {
        case CKVM_ITS_CTRL_RESET:
            its.reset()
            return 0
        case CKVM_ITS_SAVE_TABLES, CKVM_ITS_RESTORE_TABLES:
            // A Valid table is written (a save's terminating entry) or read (a restore's first
            // entry) at its address; outside every memory slot that is EFAULT.
            for address in its.validTableAddresses where !memory.contains(where: { $0.holds(address) }) {
                return failure(.EFAULT)
            }
            return 0
        default:
            return kernel.itsRefusesUnknownControl ? failure(.ENXIO) : 0
        }
    }

    /// `vgic_its_attr_regs_access` (GET, SET) and `vgic_its_has_attr_regs` (HAS): alignment
    /// (EINVAL), then the vCPUs (EBUSY), then the frame (ENXIO while unset), then the region (ENXIO).
    private func itsRegister(
        _ its: inout SimulatedITS, _ request: Request, offset: UInt64, _ argument: UnsafeMutableRawPointer?, running: Bool
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
        if let errno = its.write(register, index: index, value) { return failure(errno) }
        return 0
    }
}

/// A guest memory slot (`KVM_SET_USER_MEMORY_REGION`): where guest RAM is, for the table
/// operations that read or write it.
public struct GuestMemorySlot: Hashable, Sendable {
    public let slot: UInt32
    public let guestAddress: UInt64
    public let size: UInt64

    /// Whether the 8-byte entry at `address` lies in the slot.
    func holds(_ address: UInt64) -> Bool {
        address >= guestAddress && address - guestAddress + 8 <= size
    }
}
