import CheckedVGIC
import GICModel
import GICVocabulary
import KVM
import VGIC

/// A stand-in kernel whose vgic is a `GICv3Model` of its own: it answers DIST_REGS, REDIST_REGS,
/// CPU_SYSREGS, LEVEL_INFO and `KVM_IRQ_LINE` from that model and everything else like the plain
/// `SyscallSimulator`. Tests make it deliberately different from the checked device's model
/// (another kernel line, a mutation, a tampered state) and assert what the cross-check reports.
///
/// It reads the `kvm_device_attr` and `kvm_irq_level` the KVM layer passes by their uAPI layout
/// (attr at byte 8, addr at 16; level at 4), since this target does not import the C shim.
final class ModelBackedKernel: SyscallSimulator, @unchecked Sendable {
    /// The kernel's vgic, built at CTRL_INIT.
    var vgic: GICv3Model?
    /// How that vgic is built.
    let kernel: KernelBehaviour
    let host: HostCPUInterface
    let mutations: ModelMutation
    /// Applied to the kernel's vgic right after CTRL_INIT: a deliberately different state.
    let tamper: (inout GICv3Model) -> Void

    init(
        kernel: KernelBehaviour = .linux7, host: HostCPUInterface = .qemuMax, mutations: ModelMutation = [],
        tamper: @escaping (inout GICv3Model) -> Void = { _ in }
    ) {
        self.kernel = kernel
        self.host = host
        self.mutations = mutations
        self.tamper = tamper
        super.init()
    }

    /// vCPU ids created, in order (their fds may close long before CTRL_INIT).
    var vcpuIDs: [UInt32] = []

    override func answer(fd: Int32, attempt: Attempt, argument: UnsafeMutableRawPointer?, value: UInt) -> Int {
        for rule in failures where rule.matches == attempt.request {
            if let group = rule.attribute, attempt.attribute?.group != group { continue }
            return -Int(rule.errno.rawValue)
        }
        switch attempt.request {
        case .createVCPU:
            vcpuIDs.append(UInt32(truncatingIfNeeded: attempt.argument ?? 0))
        case .irqLine:
            guard var model = vgic else { return -Int(Errno.EBUSY.rawValue) }
            let word = IRQLineWord(rawValue: UInt32(truncatingIfNeeded: attempt.argument ?? 0))
            let level = argument.map { $0.load(fromByteOffset: 4, as: UInt32.self) != 0 } ?? false
            defer { vgic = model }
            return result { () throws(ModelRefusal) in try model.setLine(word, level: level) }
        case .setDeviceAttr, .getDeviceAttr:
            guard let address = attempt.attribute, let argument,
                case .device(let type)? = objects[fd], type == .vgicV3
            else { break }
            if address.group == .control, address.attr == 0, attempt.request == .setDeviceAttr {
                initialise(fd: fd)
                break
            }
            guard isRegisterGroup(address.group) else { break }
            guard let buffer = UnsafeMutableRawPointer(bitPattern: UInt(argument.load(fromByteOffset: 16, as: UInt64.self))) else {
                return -Int(Errno.EFAULT.rawValue)
            }
            guard var model = vgic else { return -Int(Errno.EBUSY.rawValue) }
            defer { vgic = model }
            return access(&model, address, write: attempt.request == .setDeviceAttr, buffer)
        default:
            break
        }
        return super.answer(fd: fd, attempt: attempt, argument: argument, value: value)
    }

    func isRegisterGroup(_ group: AttributeGroup) -> Bool {
        group == .distributorRegisters || group == .redistributorRegisters || group == .cpuSysregs || group == .levelInfo
    }

    /// CTRL_INIT: the vCPUs created so far, NR_IRQS as set (256 by default), an ITS if one exists.
    func initialise(fd: Int32) {
        let ids = vcpuIDs.sorted()
        var hasITS = false
        for object in objects.values where object == .device(.vgicITS) { hasITS = true }
        let count = attributes[fd]?[AttributeAddress(group: .nrIRQs, attr: 0)]?.first.map { UInt32($0) } ?? 256
        var model = GICv3Model(configuration: GICv3ModelConfiguration(
            interruptCount: count, vcpuAffinities: ids.map { Affinity(mpidr: mpidrForVCPU($0)) }, hasITS: hasITS,
            kernel: kernel, host: host, mutations: mutations))
        tamper(&model)
        vgic = model
    }

    func access(_ model: inout GICv3Model, _ address: AttributeAddress, write: Bool, _ buffer: UnsafeMutableRawPointer) -> Int {
        let selector = Affinity(attr: address.attr)
        let offset = UInt32(truncatingIfNeeded: address.attr)
        switch address.group {
        case .distributorRegisters:
            if write {
                let value = buffer.load(as: UInt32.self)
                return result { () throws(ModelRefusal) in try model.writeDistributor(offset: offset, value) }
            }
            buffer.storeBytes(of: model.readDistributor(offset: offset), as: UInt32.self)
            return 0
        case .redistributorRegisters:
            if write {
                let value = buffer.load(as: UInt32.self)
                return result { () throws(ModelRefusal) in try model.writeRedistributor(selector, offset: offset, value) }
            }
            return result { () throws(ModelRefusal) in
                buffer.storeBytes(of: try model.readRedistributor(selector, offset: offset), as: UInt32.self)
            }
        case .levelInfo:
            if write {
                let value = buffer.load(as: UInt32.self)
                return result { () throws(ModelRefusal) in try model.writeLineLevels(attr: address.attr, value) }
            }
            return result { () throws(ModelRefusal) in
                buffer.storeBytes(of: try model.readLineLevels(attr: address.attr), as: UInt32.self)
            }
        default:
            let encoding = SysRegEncoding(instr: UInt16(truncatingIfNeeded: address.attr))
            if write {
                let value = buffer.load(as: UInt64.self)
                return result { () throws(ModelRefusal) in try model.writeSystemRegister(selector, encoding, value) }
            }
            return result { () throws(ModelRefusal) in
                buffer.storeBytes(of: try model.readSystemRegister(selector, encoding), as: UInt64.self)
            }
        }
    }

    /// 0, or −errno of the refusal.
    func result(_ body: () throws(ModelRefusal) -> Void) -> Int {
        do throws(ModelRefusal) {
            try body()
            return 0
        } catch {
            return -Int(error.errno.rawValue)
        }
    }
}

/// A VM with `count` vCPUs on `kernel`, a legacy-layout vgic-v3 with `interruptCount` IRQs, and a
/// checked device around it whose model reproduces `checkedAs`.
func makeChecked(
    on kernel: ModelBackedKernel, vcpus count: UInt32 = 4, interruptCount: UInt32? = nil,
    checkedAs behaviour: KernelBehaviour = .linux7, mutations: ModelMutation = []
) throws -> CheckedVGIC {
    let kvm = try KVM.open(interface: .simulated(kernel))
    let vm = try kvm.createVM()
    var vcpus: [VCPUIdentity] = []
    for id in 0..<count {
        let vcpu = try vm.createVCPU(id: id)
        vcpus.append(try VCPUIdentity(reading: vcpu))
    }
    let configuration = VGICConfiguration.v3(
        distributor: 0x800_0000, redistributors: .legacy(base: 0x80A_0000), interruptCount: interruptCount)
    return try CheckedVGIC.create(
        on: vm, configuration: configuration, vcpus: vcpus, kernel: behaviour, mutations: mutations)
}

/// A fuzzer factory over a new simulated kernel each time (a fresh VM per replay).
func factory(
    _ makeKernel: @escaping () -> ModelBackedKernel, checkedAs behaviour: KernelBehaviour = .linux7,
    mutations: ModelMutation = []
) -> DifferentialFuzzer.Factory {
    { () throws(VGICError) in
        do {
            return try makeChecked(on: makeKernel(), checkedAs: behaviour, mutations: mutations)
        } catch let error as VGICError {
            throw error
        } catch {
            throw .configuration(.noVCPUs)
        }
    }
}
