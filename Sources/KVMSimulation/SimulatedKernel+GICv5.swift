import CKVM
import GICv5Model
import GICVocabulary
import KVM

/// The vgic-v5 device and its lines as Linux 7.1 answers them (`vgic-kvm-device.c`, `arm.c`,
/// `vgic-v5.c`): the device layer around `GICv5VM`, which starts where CTRL_INIT leaves the VM.
///
/// * GRP_CTRL only: SET `CTRL_INIT` builds the model from the VM's vCPUs; GET `USERSPACE_PPIS`
///   (two `__u64`) is empty before it and `GICv5VM.userspacePPIs` after; SET of it is ENXIO;
///   HAS of both is 0. Every other group is ENXIO, except that a host whose IRS takes SPIs
///   answers HAS(NR_IRQS) with 0 and GET with the SPI count, as a kernel with GICv5 SPIs is
///   assumed to (`VGIC.learnGICv5Limits` relies on the same link).
/// * `KVM_IRQ_LINE` of a PPI: EINVAL for a number of 64 or more, one outside the current mask
///   (so EINVAL, not EBUSY, before CTRL_INIT) or a vCPU id the VM lacks; else into the model.
///   Of an SPI: EBUSY before CTRL_INIT (`vgic_lazy_init`), then EINVAL unless the IRS has it.
///   A CPU line is ENXIO.
extension SimulatedKernel {
    func gicv5Attribute(
        vm key: Int32, _ request: Request, _ address: AttributeAddress, _ argument: UnsafeMutableRawPointer?
    ) -> Int {
        withVM(key) { vm in
            let initialise = AttributeAddress(group: .control, attr: CKVM_VGIC_CTRL_INIT)
            let ppis = AttributeAddress(group: .control, attr: CKVM_VGIC_USERSPACE_PPIS)
            let spis = spiCount
            switch request {
            case .hasDeviceAttr:
                if address == ppis || address == initialise { return 0 }
                return address.group == .nrIRQs && spis > 0 ? 0 : failure(.ENXIO)
            case .setDeviceAttr:
                guard address == initialise else { return failure(.ENXIO) }
                initialiseGICv5(&vm)
                return 0
            default:
                guard address == ppis || (address.group == .nrIRQs && spis > 0) else { return failure(.ENXIO) }
                guard let buffer = UserBuffer(attributeAt: argument) else { return failure(.EFAULT) }
                if address.group == .nrIRQs {
                    buffer.word32 = UInt32(spis)
                    return 0
                }
                let mask = vm.gicv5?.userspacePPIs ?? .empty
                buffer.word64 = mask.low
                buffer.secondWord64 = mask.high
                return 0
            }
        }
    }

    /// The IRS's SPIs on this host (0 on Linux 7.1).
    private var spiCount: Int {
        guard case .gicv5(let configuration, _) = host else { return 0 }
        return configuration.spiCount
    }

    /// CTRL_INIT (`vgic_v5_init`): the model over the vCPUs the VM has (at least one: the
    /// model needs a vCPU, and the mask it yields does not depend on how many). A second
    /// CTRL_INIT changes nothing.
    private func initialiseGICv5(_ vm: inout SimulatedVM) {
        guard vm.gicv5 == nil, case .gicv5(var configuration, let userspacePPIs) = host else { return }
        configuration.vcpuCount = Swift.max(vm.vcpus.count, 1)
        guard var model = try? GICv5VM(configuration) else { return }
        if let userspacePPIs { model.setUserspacePPIs(userspacePPIs) }
        vm.gicv5 = model
    }

    func gicv5Line(vm key: Int32, word: IRQLineWord, level: Bool) -> Int {
        withVM(key) { vm in
            switch IRQLineWord.LineType(rawValue: word.typeField) {
            case .ppi?:
                let mask = vm.gicv5?.userspacePPIs ?? .empty
                guard word.number < 64, let ppi = try? GICv5PPI(id: word.number), mask.contains(ppi),
                    let index = vm.vcpuIndex(id: word.vcpuIndex.value), var model = vm.gicv5
                else { return failure(.EINVAL) }
                defer { vm.gicv5 = model }
                do throws(GICv5ModelError) {
                    try model.inject(ppi, vcpu: index, level: level)
                    return 0
                } catch {
                    return failure(.EINVAL)
                }
            case .spi?:
                guard var model = vm.gicv5 else { return failure(.EBUSY) }
                defer { vm.gicv5 = model }
                do throws(GICv5ModelError) {
                    try model.irs.setLine(spi: word.number, level: level)
                    return 0
                } catch {
                    return failure(.EINVAL)
                }
            case .cpu?:
                return failure(.ENXIO)
            default:
                return failure(.EINVAL)
            }
        }
    }
}
