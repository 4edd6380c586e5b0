import CKVM
import GICModel
import KVM

/// The vgic-its device (`vgic_its_set_attr`, `vgic_its_get_attr`, `vgic_its_has_attr`): its
/// frame address and CTRL; its registers are stored and read back (no ITS model yet).
extension SimulatedKernel {
    func itsAttribute(
        vm key: Int32, fd: Int32, _ request: Request, _ address: AttributeAddress, _ argument: UnsafeMutableRawPointer?
    ) -> Int {
        withVM(key) { vm in
            guard var its = vm.its[fd] else { return failure(.ENXIO) }
            defer { vm.its[fd] = its }
            switch address.group {
            case .address:
                guard address.attr == SimulatedITS.addressType else { return failure(.ENXIO) }
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
                guard SimulatedITS.controlAttributes.contains(address.attr) else { return failure(.ENXIO) }
                if request == .hasDeviceAttr { return 0 }
                guard request == .setDeviceAttr else { return failure(.ENXIO) }
                if address.attr == CKVM_VGIC_CTRL_INIT { its.isInitialised = true }
                return 0
            case .itsRegisters:
                return storedAnswer(fd: fd, request, address, argument)
            default:
                return failure(.ENXIO)
            }
        }
    }
}
