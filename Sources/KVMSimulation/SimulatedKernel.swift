import CKVM
import GICModel
import GICv5Model
import GICVocabulary
import KVM

/// An arm64 KVM without a kernel: a `KernelInterface` backend whose vgic-v3 and vgic-v5 answer
/// every call as the reference models say the kernel does, errnos included.
///
/// Pass it where the KVM layer takes an interface, and a VMM's GIC setup, line injection and
/// snapshot/restore code runs unchanged on any machine (x86 CI included):
///
/// ```swift
/// let kernel = SimulatedKernel(host: .qemuMax, kernel: .debian6_12)
/// let kvm = try KVM.open(interface: .simulated(kernel))
/// ```
///
/// * **vgic-v3**: `GICv3Setup` answers NR_IRQS, the frame addresses and CTRL_INIT; from CTRL_INIT
///   on, a `GICv3Model` built from the VM's vCPUs (their ids and MPIDRs), NR_IRQS, the layout, the
///   ITS, the `kernel` line and the host's CPU interface answers DIST_REGS, REDIST_REGS,
///   CPU_SYSREGS, LEVEL_INFO and `KVM_IRQ_LINE`.
/// * **vgic-its**: its address, its registers by the `ITSRegister` table and its CTRL attributes
///   (`SimulatedITS`); no translation state.
/// * **device interrupts**: `KVM_IRQFD`, `KVM_SET_GSI_ROUTING` (the default table at CTRL_INIT),
///   eventfd writes injecting through the table, `KVM_SIGNAL_MSI` and `KVM_CAP_MSI_DEVID` per VM
///   (`SimulatedKernel+Interrupts.swift`).
/// * **vgic-v5**: CTRL_INIT builds a `GICv5VM`; `USERSPACE_PPIS`, `KVM_IRQ_LINE` of PPIs (into
///   the model) and SPIs follow Linux 7.1 (`SimulatedKernel+GICv5.swift`).
/// * **vCPUs**: `KVM_CREATE_VCPU` is EBUSY once a vgic is initialised and EEXIST for an id twice;
///   MPIDR_EL1 reads KVM's reset value (`mpidrForVCPU`) until `KVM_SET_ONE_REG` sets it.
/// * **faults**: `faults` make chosen calls fail with a chosen errno, for the paths no model
///   reaches (a vCPU in `KVM_RUN`, a kernel without an attribute, one refusal halfway through a
///   restore). `vcpuInKVMRun` stands for a vCPU thread inside `KVM_RUN`.
/// * **KVM_RUN**: returns at once, unless `idleRunMicroseconds` is set: then each run stands for a
///   guest waiting for an interrupt that a signal interrupts — it waits that long and fails with
///   EINTR — so a VMM's vCPU threads can be started, stopped and resumed on any machine.
///
/// Every call is recorded (`calls`), as by the plain `SyscallSimulator` it extends. Each VM keeps
/// its own state (`vms`), so one simulated kernel can hold the source and the target of a
/// migration. Calls from several threads are served one at a time, as by every recording
/// `SyscallSimulator`, so a VMM's threads can drive it as they would drive a real kernel.
public final class SimulatedKernel: SyscallSimulator, @unchecked Sendable {
    /// The machine: which vgic devices exist and what the host's GIC contributes.
    public let host: SimulatedHost
    /// The kernel line whose differences the models reproduce.
    public let kernel: KernelBehaviour
    /// `uname -r` of the kernel this one stands for: the line's version with a `-simulated`
    /// suffix, so code that tells kernel lines apart by release (`KernelBehaviour(release:)`,
    /// the conformance scenarios) picks the line simulated here.
    public var release: String {
        switch kernel {
        case .debian6_12: "6.12.0-simulated"
        case .linux7: "7.0.0-simulated"
        }
    }
    /// Failures to inject, checked before the call is answered; of those that fire, the first
    /// decides the errno. The plain simulator's `failures` rules still apply after these.
    public var faults: [KernelFault] = []
    /// A vCPU thread is inside `KVM_RUN`: every vgic register access is EBUSY, as when
    /// `lock_all_vcpus` fails (`vgic_v3_attr_regs_access`).
    public var vcpuInKVMRun = false
    /// When set, `KVM_RUN` waits this many microseconds and fails with EINTR, as the run of an
    /// idle guest interrupted by a signal does (the kvm_run exit reason is left alone). The wait
    /// holds the simulator's lock: keep it short.
    public var idleRunMicroseconds: Int64?
    /// Called on each vgic-v3's model right after CTRL_INIT builds it: a kernel whose state
    /// differs from what the model says (for tests of code that must notice).
    public var afterGICv3Initialisation: ((inout GICv3Model) -> Void)?
    /// `kvm->max_vcpus`: `KVM_CREATE_VCPU` of an id at or above it is EINVAL. 512 is
    /// `kvm_arm_default_max_vcpus` on a GICv3 or GICv5 host. Kept apart from the
    /// `KVM_CAP_MAX_VCPUS` answer in `capabilities`, so a test can make the capability lie.
    public var vcpuLimit = 512

    /// The VMs, keyed by the fd `KVM_CREATE_VM` returned (duplicates of it reach the same VM).
    public private(set) var vms: [Int32: SimulatedVM] = [:]
    /// The device fds and the VMs they belong to.
    public private(set) var devices: [Int32: SimulatedDevice] = [:]
    private var vcpuVMs: [Int32: Int32] = [:]
    private var vmOrder: [Int32] = []

    /// A kernel on `host`, of kernel line `kernel`.
    ///
    /// - Parameter ipaBits: what `KVM_CAP_ARM_VM_IPA_SIZE` reports: the largest IPA a VM can ask for.
    public init(host: SimulatedHost = .qemuMax, kernel: KernelBehaviour = .linux7, ipaBits: Int = 48) {
        self.host = host
        self.kernel = kernel
        super.init(deviceTypes: Set(host.deviceTypes.map { $0.deviceType }))
        capabilities[.armVMIPASize] = ipaBits
        // `kvm_vm_ioctl_check_extension_generic` and arm64's: irqfds, resampling, MSIs, and
        // KVM_MAX_IRQ_ROUTES routes (KVM.docc/InterruptRouting.md).
        capabilities[.irqfd] = 1
        capabilities[.irqfdResample] = 1
        capabilities[.signalMSI] = 1
        capabilities[.irqRouting] = Int(GSI.limit)
    }

    // MARK: Inspection

    /// The VMs in creation order.
    public var vmsInOrder: [SimulatedVM] { vmOrder.compactMap { vms[$0] } }
    /// The vgic-v3 model of the most recently created VM that has an initialised one.
    public var gicv3: GICv3Model? { vmsInOrder.last { $0.gicv3 != nil }?.gicv3 }
    /// The VMs' keys in creation order.
    var vmOrderedKeys: [Int32] { vmOrder }
    /// The vgic-v5 model of the most recently created VM that has an initialised one.
    public var gicv5: GICv5VM? { vmsInOrder.last { $0.gicv5 != nil }?.gicv5 }

    // MARK: Answers

    public override func answer(fd: Int32, attempt: Attempt, argument: UnsafeMutableRawPointer?, value: UInt) -> Int {
        var injected: Errno?
        for index in faults.indices {
            // Every matching fault counts the call, so `.nth` counts are independent of each other.
            if let errno = faults[index].fire(on: attempt), injected == nil { injected = errno }
        }
        if let injected { return failure(injected) }
        for rule in failures where rule.matches == attempt.request {
            if let group = rule.attribute, attempt.attribute?.group != group { continue }
            return failure(rule.errno)
        }
        switch attempt.request {
        case .createVM:
            return createVM(value: value)
        case .createVCPU:
            return createVCPU(vmFD: fd, id: UInt32(truncatingIfNeeded: value))
        case .getOneReg, .setOneReg:
            return oneRegister(fd: fd, attempt: attempt, argument)
        case .createDevice:
            return createDevice(vmFD: fd, argument)
        case .run:
            guard let idle = idleRunMicroseconds else { break }
            ckvm_sleep_us(idle)
            return failure(.EINTR)
        case .checkExtension:
            if let answer = checkMSIDeviceID(fd: fd, capability: Int(value)) { return answer }
        case .setUserMemoryRegion:
            guard let key = vmKey(fd) else { break }
            return setMemoryRegion(vm: key, argument)
        case .irqfd:
            guard let key = vmKey(fd) else { break }
            return irqfd(vm: key, argument)
        case .setGSIRouting:
            guard let key = vmKey(fd) else { break }
            return setGSIRouting(vm: key, argument)
        case .signalMSI:
            guard let key = vmKey(fd) else { break }
            return signalMSI(vm: key, argument)
        case .irqLine:
            guard let key = vmKey(fd), let argument else { break }
            return irqLine(vm: key, word: IRQLineWord(rawValue: UInt32(truncatingIfNeeded: attempt.argument ?? 0)),
                level: argument.irqLevel)
        case .setDeviceAttr, .getDeviceAttr, .hasDeviceAttr:
            guard let device = devices[original(of: fd)], let address = attempt.attribute else { break }
            return deviceAttribute(device, fd: original(of: fd), attempt.request, address, argument)
        default:
            break
        }
        return super.answer(fd: fd, attempt: attempt, argument: argument, value: value)
    }

    /// A write to an eventfd reaches the irqfds bound to it (`SimulatedKernel+Interrupts.swift`).
    public override func eventFDSignalled(fd: Int32) {
        irqfdsSignalled(fd: fd)
    }

    /// An eventfd closing detaches its irqfds.
    public override func closing(fd: Int32) {
        detachIRQFDs(closing: fd)
    }

    /// The VM an fd (VM, vCPU or device) belongs to.
    func vmKey(_ fd: Int32) -> Int32? {
        let fd = original(of: fd)
        if vms[fd] != nil { return fd }
        return vcpuVMs[fd] ?? devices[fd]?.vm
    }

    private func createVM(value: UInt) -> Int {
        // KVM_VM_TYPE_ARM_IPA_SIZE(n) in the type's low byte; 0 is the 40-bit default.
        let requested = Int(value & 0xFF)
        let limit = capabilities[.armVMIPASize] ?? 40
        if requested != 0 && (requested < 32 || requested > limit) { return failure(.EINVAL) }
        let fd = super.answer(fd: -1, attempt: Attempt(.createVM), argument: nil, value: value)
        guard fd >= 0 else { return fd }
        vms[Int32(fd)] = SimulatedVM(ipaBits: requested == 0 ? 40 : requested)
        vmOrder.append(Int32(fd))
        return fd
    }

    /// `kvm_vm_ioctl_create_vcpu`: EINVAL at or above `vcpuLimit`, EBUSY once a vgic is
    /// initialised (`kvm_arch_vcpu_precreate`), EEXIST for an id the VM has.
    private func createVCPU(vmFD: Int32, id: UInt32) -> Int {
        guard let key = vmKey(vmFD), var vm = vms[key] else { return failure(.EINVAL) }
        if Int(id) >= vcpuLimit { return failure(.EINVAL) }
        if vm.isGICInitialised { return failure(.EBUSY) }
        if vm.vcpuIndex(id: id) != nil { return failure(.EEXIST) }
        let fd = super.answer(fd: vmFD, attempt: Attempt(.createVCPU, vcpu: id, argument: UInt64(id)), argument: nil,
            value: UInt(id))
        guard fd >= 0 else { return fd }
        vm.vcpus.append(SimulatedVCPU(id: id, mpidr: mpidrForVCPU(id)))
        vms[key] = vm
        vcpuVMs[Int32(fd)] = key
        return fd
    }

    /// MPIDR_EL1 through `KVM_GET_ONE_REG` / `KVM_SET_ONE_REG`, and ID_AA64PFR2_EL1 read as the
    /// host says (`SimulatedHost.idAA64PFR2`); other registers are the plain simulator's (they
    /// read what was last set, or 0, in their size). A VMM that numbers its CPUs itself sets
    /// MPIDR before the vgic initialises, and the vgic then selects that vCPU by the new affinity.
    private func oneRegister(fd: Int32, attempt: Attempt, _ argument: UnsafeMutableRawPointer?) -> Int {
        guard let key = vmKey(fd), case .vcpu(let id)? = objects[fd], var vm = vms[key],
            let index = vm.vcpuIndex(id: id),
            let reg = argument?.assumingMemoryBound(to: kvm_one_reg.self),
            let address = UnsafeMutableRawPointer(bitPattern: UInt(reg.pointee.addr))
        else { return failure(.EINVAL) }
        switch (reg.pointee.id, attempt.request) {
        case (OneRegister.mpidr.id, .getOneReg):
            address.storeBytes(of: vm.vcpus[index].mpidr, as: UInt64.self)
        case (OneRegister.mpidr.id, _):
            vm.vcpus[index].mpidr = address.load(as: UInt64.self)
            vms[key] = vm
        case (Self.idAA64PFR2.id, .getOneReg):
            address.storeBytes(of: host.idAA64PFR2, as: UInt64.self)
        default:
            return super.answer(fd: fd, attempt: attempt, argument: argument, value: 0)
        }
        return 0
    }

    /// ID_AA64PFR2_EL1 (op0 3, op1 0, CRn 0, CRm 4, op2 2).
    static let idAA64PFR2 = OneRegister.systemRegister(SysRegEncoding(instr: 3 << 14 | 0 << 11 | 0 << 7 | 4 << 3 | 2))

    /// `kvm_ioctl_create_device`: ENODEV for a type the host lacks; with `KVM_CREATE_DEVICE_TEST`
    /// nothing more is checked or created. A second vgic (of either version) is EEXIST
    /// (`kvm_vgic_create`: `irqchip_in_kernel`); ITSes may be many.
    private func createDevice(vmFD: Int32, _ argument: UnsafeMutableRawPointer?) -> Int {
        guard let key = vmKey(vmFD), var vm = vms[key] else { return failure(.EINVAL) }
        guard let argument else { return failure(.EFAULT) }
        let (type, test) = argument.createDeviceRequest
        guard let kind = SimulatedDevice.Kind(DeviceType(rawValue: type)), host.deviceTypes.contains(kind) else {
            return failure(.ENODEV)
        }
        if test { return 0 }
        switch kind {
        case .gicv3, .gicv5:
            if vm.hasGIC { return failure(.EEXIST) }
        case .its:
            break
        }
        let result = super.answer(fd: vmFD, attempt: Attempt(.createDevice, argument: UInt64(type)), argument: argument,
            value: 0)
        guard result == 0 else { return result }
        let fd = Int32(bitPattern: argument.assumingMemoryBound(to: kvm_create_device.self).pointee.fd)
        devices[fd] = SimulatedDevice(kind: kind, vm: key)
        switch kind {
        case .gicv3: vm.gicv3Setup = GICv3Setup(ipaBits: vm.ipaBits)
        case .gicv5: vm.hasGICv5 = true
        case .its: vm.its[fd] = SimulatedITS(kernel: kernel)
        }
        vms[key] = vm
        return 0
    }

    /// `KVM_IRQ_LINE` on a VM: to the vgic that exists; without one, PPIs and SPIs are ENXIO
    /// and CPU lines are the VMM's own (0).
    private func irqLine(vm key: Int32, word: IRQLineWord, level: Bool) -> Int {
        guard let vm = vms[key] else { return failure(.EINVAL) }
        if vm.gicv3Setup != nil { return gicv3Line(vm: key, word: word, level: level) }
        if vm.hasGICv5 { return gicv5Line(vm: key, word: word, level: level) }
        return word.typeField == IRQLineWord.LineType.cpu.rawValue ? 0 : failure(.ENXIO)
    }

    private func deviceAttribute(
        _ device: SimulatedDevice, fd: Int32, _ request: Request, _ address: AttributeAddress,
        _ argument: UnsafeMutableRawPointer?
    ) -> Int {
        switch device.kind {
        case .gicv3: gicv3Attribute(vm: device.vm, request, address, argument)
        case .its: itsAttribute(vm: device.vm, fd: fd, request, address, argument)
        case .gicv5: gicv5Attribute(vm: device.vm, request, address, argument)
        }
    }

    /// Runs `body` on VM `key`'s state and stores what it left.
    func withVM(_ key: Int32, _ body: (inout SimulatedVM) -> Int) -> Int {
        guard var vm = vms[key] else { return failure(.EINVAL) }
        let result = body(&vm)
        vms[key] = vm
        return result
    }

    /// The plain simulator's answer (store and read back), for what no model covers.
    func storedAnswer(fd: Int32, _ request: Request, _ address: AttributeAddress, _ argument: UnsafeMutableRawPointer?) -> Int {
        super.answer(fd: fd, attempt: Attempt(request, attribute: address), argument: argument, value: 0)
    }
}
