import CKVM
import GICVocabulary
import KVM

/// A simulated GICv5 host running Linux 7.1, as far as the vgic-v5 device and `KVM_IRQ_LINE`
/// go (uapi doc §1.10, §1.12, §2.5; `vgic-kvm-device.c`, `arm.c`, `vgic-v5.c` at 7.1):
///
/// * `KVM_CREATE_DEVICE(V5)` works once per VM; a second one is EEXIST.
/// * The device answers only GRP_CTRL: SET `CTRL_INIT`; GET `USERSPACE_PPIS` (two `__u64`,
///   all zero until init, `mask` after it); SET `USERSPACE_PPIS` is ENXIO; HAS of both is 0.
///   Every other group is ENXIO, except that `takesSPIs` makes HAS(NR_IRQS) answer 0, as a
///   kernel with GICv5 SPIs is assumed to (see `VGIC.learnGICv5Limits`).
/// * `KVM_IRQ_LINE` of a PPI: EINVAL for a number of 64 or more or one outside the current
///   mask (so EINVAL, not EBUSY, before init); of an SPI: EBUSY before init, then EINVAL
///   unless `takesSPIs`.
///
/// Failure rules in `failures` still win, as in the base simulator.
final class GICv5KernelSimulator: SyscallSimulator, @unchecked Sendable {
    /// What `vgic_v5_init` computes: `{SW_PPI} ∩ implemented` on 7.1.
    var mask: GICv5PPISet
    /// Whether this kernel's GICv5 takes SPIs (no released kernel does).
    var takesSPIs: Bool
    private(set) var initialised = false
    private var created = false

    init(mask: GICv5PPISet = GICv5PPISet(low: 1 << 3, high: 0), takesSPIs: Bool = false) {
        self.mask = mask
        self.takesSPIs = takesSPIs
        super.init(deviceTypes: [.vgicV5])
    }

    /// The PPI mask the kernel holds right now.
    var currentMask: GICv5PPISet { initialised ? mask : GICv5PPISet() }

    override func answer(fd: Int32, attempt: Attempt, argument: UnsafeMutableRawPointer?, value: UInt) -> Int {
        for rule in failures where rule.matches == attempt.request {
            if let group = rule.attribute, attempt.attribute?.group != group { continue }
            return super.answer(fd: fd, attempt: attempt, argument: argument, value: value)
        }
        switch attempt.request {
        case .createDevice:
            return createDevice(fd: fd, attempt: attempt, argument: argument, value: value)
        case .irqLine:
            return irqLine(UInt32(truncatingIfNeeded: attempt.argument ?? 0))
        case .setDeviceAttr, .getDeviceAttr, .hasDeviceAttr:
            guard case .device(.vgicV5)? = objects[fd], let address = attempt.attribute else { break }
            return deviceAttribute(attempt.request, address, argument)
        default:
            break
        }
        return super.answer(fd: fd, attempt: attempt, argument: argument, value: value)
    }

    private func createDevice(fd: Int32, attempt: Attempt, argument: UnsafeMutableRawPointer?, value: UInt) -> Int {
        let isTest = argument.map { $0.assumingMemoryBound(to: kvm_create_device.self).pointee.flags & CKVM_CREATE_DEVICE_TEST != 0 } ?? false
        if !isTest && created { return -Int(Errno.EEXIST.rawValue) }
        let result = super.answer(fd: fd, attempt: attempt, argument: argument, value: value)
        if !isTest && result == 0 { created = true }
        return result
    }

    private func irqLine(_ raw: UInt32) -> Int {
        let word = IRQLineWord(rawValue: raw)
        switch word.typeField {
        case IRQLineWord.LineType.ppi.rawValue:
            let number = word.number
            guard number < 64, let ppi = try? GICv5PPI(id: UInt32(number)), currentMask.contains(ppi) else {
                return -Int(Errno.EINVAL.rawValue)
            }
            return 0
        case IRQLineWord.LineType.spi.rawValue:
            if !initialised { return -Int(Errno.EBUSY.rawValue) }
            return takesSPIs ? 0 : -Int(Errno.EINVAL.rawValue)
        case IRQLineWord.LineType.cpu.rawValue:
            return -Int(Errno.ENXIO.rawValue)
        default:
            return -Int(Errno.EINVAL.rawValue)
        }
    }

    private func deviceAttribute(_ request: Request, _ address: AttributeAddress, _ argument: UnsafeMutableRawPointer?) -> Int {
        let enxio = -Int(Errno.ENXIO.rawValue)
        let ppis = DeviceAttribute<GICv5PPISet>.userspacePPIs.address
        let initAttr = DeviceAttribute<NoPayload>.control(.initialize).address
        switch request {
        case .hasDeviceAttr:
            if address == ppis || address == initAttr { return 0 }
            if address.group == .nrIRQs && takesSPIs { return 0 }
            return enxio
        case .setDeviceAttr:
            guard address == initAttr else { return enxio }
            initialised = true
            return 0
        default:
            guard address == ppis else { return enxio }
            guard let raw = argument?.assumingMemoryBound(to: kvm_device_attr.self),
                let buffer = UnsafeMutableRawPointer(bitPattern: UInt(raw.pointee.addr))
            else { return -Int(Errno.EFAULT.rawValue) }
            buffer.storeBytes(of: currentMask.low, as: UInt64.self)
            buffer.storeBytes(of: currentMask.high, toByteOffset: 8, as: UInt64.self)
            return 0
        }
    }
}
