import CKVM
import GICModel
import GICVocabulary
import KVM

/// The vgic-v3 device and its lines, answered by `GICv3Setup` before CTRL_INIT and by the
/// `GICv3Model` it configures afterwards. The simulator only moves bytes between the user buffer
/// and the model; every rule and errno is the model's.
extension SimulatedKernel {
    /// `vgic_v3_set_attr` / `vgic_v3_get_attr` / `vgic_v3_has_attr`.
    func gicv3Attribute(
        vm key: Int32, _ request: Request, _ address: AttributeAddress, _ argument: UnsafeMutableRawPointer?
    ) -> Int {
        withVM(key) { vm in
            switch address.group {
            case .address, .nrIRQs, .control, .maintenanceIRQ:
                return gicv3Common(&vm, request, address, argument)
            case .distributorRegisters, .redistributorRegisters, .cpuSysregs, .levelInfo:
                return gicv3Registers(&vm, request, address, argument)
            default:
                return failure(.ENXIO)
            }
        }
    }

    /// ADDR, NR_IRQS, CTRL and MAINT_IRQ (`vgic_set_common_attr`, `vgic_get_common_attr`).
    private func gicv3Common(
        _ vm: inout SimulatedVM, _ request: Request, _ address: AttributeAddress, _ argument: UnsafeMutableRawPointer?
    ) -> Int {
        guard var setup = vm.gicv3Setup else { return failure(.ENXIO) }
        defer { vm.gicv3Setup = setup }
        switch (address.group, request) {
        case (.address, .hasDeviceAttr):
            return ioctlResult { () throws(ModelRefusal) in try setup.hasAddress(type: address.attr) }
        case (.address, _):
            guard let buffer = UserBuffer(attributeAt: argument) else { return failure(.EFAULT) }
            if request == .setDeviceAttr {
                let value = buffer.word64
                return ioctlResult { () throws(ModelRefusal) in
                    try setup.setAddress(type: address.attr, value)
                    // After CTRL_INIT a new redistributor frame places vCPUs too.
                    vm.gicv3?.placeRedistributors(setup.redistributorLayout)
                }
            }
            let preset = buffer.word64
            return ioctlResult { () throws(ModelRefusal) in
                buffer.word64 = try setup.address(type: address.attr, request: preset)
            }
        case (.nrIRQs, .hasDeviceAttr):
            return 0
        case (.nrIRQs, _):
            guard let buffer = UserBuffer(attributeAt: argument) else { return failure(.EFAULT) }
            if request == .getDeviceAttr {
                buffer.word32 = setup.reportedInterruptCount
                return 0
            }
            let count = buffer.word32
            return ioctlResult { () throws(ModelRefusal) in try setup.setInterruptCount(count) }
        case (.control, .hasDeviceAttr):
            return [CKVM_VGIC_CTRL_INIT, CKVM_VGIC_SAVE_PENDING_TABLES].contains(address.attr) ? 0 : failure(.ENXIO)
        case (.control, .setDeviceAttr):
            switch address.attr {
            case CKVM_VGIC_CTRL_INIT:
                initialiseGICv3(&vm, &setup)
                return 0
            case CKVM_VGIC_SAVE_PENDING_TABLES:
                // `vgic_v3_save_pending_tables`: each LPI's latch into its target's pending table in
                // guest RAM (EFAULT outside the memory slots).
                if vcpuInKVMRun { return failure(.EBUSY) }
                let errno = vm.withLPIs { gic, ram in gic.savePendingTables(into: &ram) }
                return errno.map { failure(Errno(rawValue: $0.rawValue)) } ?? 0
            default:
                return failure(.ENXIO)
            }
        case (.control, _):
            return failure(.ENXIO)
        case (_, .hasDeviceAttr):  // MAINT_IRQ
            return 0
        default:  // MAINT_IRQ: a `__u32` through addr; a PPI, before CTRL_INIT.
            guard let buffer = UserBuffer(attributeAt: argument) else { return failure(.EFAULT) }
            if request == .getDeviceAttr {
                buffer.word32 = vm.maintenanceINTID
                return 0
            }
            if setup.isInitialised { return failure(.EBUSY) }
            let intid = buffer.word32
            guard (GICv3Model.sgiCount..<GICv3Model.privateCount).contains(intid) else { return failure(.EINVAL) }
            vm.maintenanceINTID = intid
            return 0
        }
    }

    /// CTRL_INIT: the model is built from the vCPUs the VM has now, in creation order.
    private func initialiseGICv3(_ vm: inout SimulatedVM, _ setup: inout GICv3Setup) {
        guard case .gicv3(let cpuInterface) = host else { return }
        let configuration = setup.initialise(
            vcpuAffinities: vm.vcpus.map { Affinity(mpidr: $0.mpidr) }, hasITS: !vm.its.isEmpty, kernel: kernel,
            host: cpuInterface)
        guard var configuration else { return }
        configuration.vcpuIDs = vm.vcpus.map { $0.id }
        var model = GICv3Model(configuration: configuration)
        afterGICv3Initialisation?(&model)
        vm.gicv3 = model
        installDefaultRouting(&vm, interruptCount: configuration.interruptCount)
    }

    /// DIST_REGS, REDIST_REGS, CPU_SYSREGS and LEVEL_INFO (`vgic_v3_attr_regs_access`): the
    /// selector is resolved first (EINVAL for no vCPU; DIST_REGS acts as the first vCPU, so it
    /// needs one), then every vCPU must be stopped (EBUSY) and the vgic initialised (EBUSY, but
    /// for the identification registers the kernel line lets through: `GICv3Setup`), then the
    /// model answers.
    private func gicv3Registers(
        _ vm: inout SimulatedVM, _ request: Request, _ address: AttributeAddress, _ argument: UnsafeMutableRawPointer?
    ) -> Int {
        let selector = Affinity(attr: address.attr)
        if request == .hasDeviceAttr {
            let model = vm.gicv3 ?? provisionalModel(vm)
            return ioctlResult { () throws(ModelRefusal) in try model.has(address, selector: selector) }
        }
        guard let buffer = UserBuffer(attributeAt: argument) else { return failure(.EFAULT) }
        let selects = address.group == .distributorRegisters
            ? !vm.vcpus.isEmpty : vm.vcpus.contains { Affinity(mpidr: $0.mpidr) == selector }
        if !selects { return failure(.EINVAL) }
        if vcpuInKVMRun { return failure(.EBUSY) }
        guard var model = vm.gicv3 else {
            guard address.group == .distributorRegisters, var setup = vm.gicv3Setup else { return failure(.EBUSY) }
            defer { vm.gicv3Setup = setup }
            let offset = UInt32(truncatingIfNeeded: address.attr)
            let kernel = kernel
            if request == .setDeviceAttr {
                let value = buffer.word32
                return ioctlResult { () throws(ModelRefusal) in try setup.writeDistributor(offset: offset, value, kernel: kernel) }
            }
            return ioctlResult { () throws(ModelRefusal) in buffer.word32 = try setup.readDistributor(offset: offset, kernel: kernel) }
        }
        let write = request == .setDeviceAttr
        // GICR_CTLR, GICR_INVLPIR and GICR_INVALLR act on the LPIs and guest RAM.
        if write, address.group == .redistributorRegisters, let vcpu = model.vcpuIndex(of: selector),
            let effect = model.writeLPIRegister(
                vcpu: vcpu, offset: UInt32(truncatingIfNeeded: address.attr), buffer.word32, memory: SimulatedGuestRAM(slots: vm.memory))
        {
            vm.gicv3 = model
            if effect.invalidatesCaches { vm.invalidateITSCaches() }
            return 0
        }
        defer { vm.gicv3 = model }
        return ioctlResult { () throws(ModelRefusal) in
            try model.access(address, selector: selector, write: write, buffer)
        }
    }

    /// The model HAS_DEVICE_ATTR consults before CTRL_INIT: the vCPUs so far, NR_IRQS as set
    /// (HAS needs no initialised vgic; the answers depend on the layout only).
    private func provisionalModel(_ vm: SimulatedVM) -> GICv3Model {
        var configuration = GICv3ModelConfiguration(
            interruptCount: vm.gicv3Setup?.interruptCount ?? GICv3Setup.defaultInterruptCount,
            vcpuAffinities: vm.vcpus.map { Affinity(mpidr: $0.mpidr) }, hasITS: !vm.its.isEmpty, kernel: kernel)
        configuration.vcpuIDs = vm.vcpus.map { $0.id }
        return GICv3Model(configuration: configuration)
    }

    /// `KVM_IRQ_LINE` with a vgic-v3 (`kvm_vm_ioctl_irq_line`, `kvm_vgic_inject_irq`): EBUSY
    /// before CTRL_INIT (`vgic_lazy_init`), then the model's `setLine`.
    func gicv3Line(vm key: Int32, word: IRQLineWord, level: Bool) -> Int {
        withVM(key) { vm in
            guard var model = vm.gicv3 else {
                // A CPU line is refused before the vgic is even looked at.
                if word.typeField == IRQLineWord.LineType.cpu.rawValue { return failure(.ENXIO) }
                return failure(.EBUSY)
            }
            defer { vm.gicv3 = model }
            return ioctlResult { () throws(ModelRefusal) in try model.setLine(word, level: level) }
        }
    }
}

extension GICv3Model {
    /// One register-group access, moving the value between the user buffer and the model: 32
    /// bits for DIST_REGS, REDIST_REGS and LEVEL_INFO, 64 for CPU_SYSREGS.
    mutating func access(_ address: AttributeAddress, selector: Affinity, write: Bool, _ buffer: UserBuffer) throws(ModelRefusal) {
        let offset = UInt32(truncatingIfNeeded: address.attr)
        switch address.group {
        case .distributorRegisters:
            if write { try writeDistributor(offset: offset, buffer.word32) } else { buffer.word32 = readDistributor(offset: offset) }
        case .redistributorRegisters:
            if write {
                try writeRedistributor(selector, offset: offset, buffer.word32)
            } else {
                buffer.word32 = try readRedistributor(selector, offset: offset)
            }
        case .levelInfo:
            if write { try writeLineLevels(attr: address.attr, buffer.word32) } else { buffer.word32 = try readLineLevels(attr: address.attr) }
        default:
            let encoding = SysRegEncoding(instr: UInt16(truncatingIfNeeded: address.attr))
            if write {
                try writeSystemRegister(selector, encoding, buffer.word64)
            } else {
                buffer.word64 = try readSystemRegister(selector, encoding)
            }
        }
    }

    /// HAS_DEVICE_ATTR of a register group.
    func has(_ address: AttributeAddress, selector: Affinity) throws(ModelRefusal) {
        let offset = UInt32(truncatingIfNeeded: address.attr)
        switch address.group {
        case .distributorRegisters: try hasDistributorRegister(offset: offset)
        case .redistributorRegisters: try hasRedistributorRegister(selector, offset: offset)
        case .levelInfo: try hasLineLevels(attr: address.attr)
        default: try hasSystemRegister(selector, SysRegEncoding(instr: UInt16(truncatingIfNeeded: address.attr)))
        }
    }
}
