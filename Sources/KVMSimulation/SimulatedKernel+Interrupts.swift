import CKVM
import GICModel
import GICVocabulary
import KVM

/// Device interrupts on the simulated kernel (KVM.docc/InterruptRouting.md): `KVM_IRQFD` with
/// `kvm_irqfd_assign`/`kvm_irqfd_deassign`'s errnos, `KVM_SET_GSI_ROUTING` with
/// `kvm_set_irq_routing`'s, eventfd writes injecting through the routing table the way
/// `irqfd_wakeup` does (the SPI's line raised in the model, the eventfd's count taken),
/// `KVM_SIGNAL_MSI` with `kvm_send_userspace_msi` and `vgic_its_inject_msi`'s answers, and
/// `KVM_CAP_MSI_DEVID` per VM.
extension SimulatedKernel {
    // MARK: Memory

    /// `KVM_SET_USER_MEMORY_REGION`: the slot is remembered (a size of 0 deletes it).
    func setMemoryRegion(vm key: Int32, _ argument: UnsafeMutableRawPointer?) -> Int {
        guard let argument else { return failure(.EFAULT) }
        let region = argument.load(as: kvm_userspace_memory_region.self)
        return withVM(key) { vm in
            vm.memory.removeAll { $0.slot == region.slot }
            if region.memory_size > 0 {
                vm.memory.append(GuestMemorySlot(
                    slot: region.slot, guestAddress: region.guest_phys_addr, size: region.memory_size,
                    hostAddress: region.userspace_addr))
            }
            return 0
        }
    }

    // MARK: KVM_CHECK_EXTENSION

    /// `KVM_CAP_MSI_DEVID`: EINVAL on /dev/kvm, and on a VM whether it has an ITS
    /// (`msis_require_devid`); nil for every other capability.
    func checkMSIDeviceID(fd: Int32, capability: Int) -> Int? {
        guard capability == Capability.msiDeviceID.rawValue else { return nil }
        guard objects[original(of: fd)] == .vm, let vm = vms[original(of: fd)] else { return failure(.EINVAL) }
        return vm.its.isEmpty ? 0 : 1
    }

    // MARK: KVM_IRQFD

    /// `kvm_irqfd`: unknown flags EINVAL; deassign or assign.
    func irqfd(vm key: Int32, _ argument: UnsafeMutableRawPointer?) -> Int {
        guard case .irqfd(let request)? = SyscallSimulator.payload(.irqfd, argument) else { return failure(.EFAULT) }
        if request.flags & ~(IRQFDRequest.deassign | IRQFDRequest.resample) != 0 { return failure(.EINVAL) }
        if request.flags & IRQFDRequest.deassign != 0 {
            if let errno = eventFDRefusal(request.fd) { return failure(errno) }
            return withVM(key) { vm in
                vm.irqfds.removeAll { $0.eventfd == request.fd && $0.gsi == request.gsi }
                return 0
            }
        }
        guard let vm = vms[key] else { return failure(.EINVAL) }
        // `kvm_arch_intc_initialized`: the vgic's CTRL_INIT.
        if vm.gicv3 == nil && vm.gicv5 == nil { return failure(.EAGAIN) }
        if let errno = eventFDRefusal(request.fd) { return failure(errno) }
        let resample = request.flags & IRQFDRequest.resample != 0
        if resample, let errno = eventFDRefusal(request.resampleFD) { return failure(errno) }
        // 6.12 refuses an eventfd this VM already binds; 7.x one bound anywhere.
        let places = kernel.irqfdEventFDExclusiveAcrossVMs ? Array(vms.values) : [vm]
        if places.contains(where: { $0.irqfds.contains { $0.eventfd == request.fd } }) { return failure(.EBUSY) }
        let irqfd = SimulatedIRQFD(eventfd: request.fd, gsi: request.gsi, resampleFD: resample ? request.resampleFD : nil)
        _ = withVM(key) { vm in
            vm.irqfds.append(irqfd)
            return 0
        }
        // An event already counted is injected when the irqfd is bound (`vfs_poll` finds
        // EPOLLIN); the count stays until the next write wakes the irqfd.
        if (eventFDCounters[request.fd] ?? 0) > 0 { inject(vm: key, gsi: request.gsi) }
        return 0
    }

    /// Why `fd` cannot be an eventfd for the kernel: EBADF when not open, EINVAL when it is
    /// another kind of file; nil for an eventfd.
    private func eventFDRefusal(_ fd: Int32) -> Errno? {
        if eventFDCounters[fd] != nil { return nil }
        return objects[fd] == nil ? .EBADF : .EINVAL
    }

    /// A write to an eventfd: every irqfd bound to it takes the count and raises its GSI
    /// (`irqfd_wakeup`: `eventfd_ctx_do_read`, then `kvm_arch_set_irq_inatomic`).
    func irqfdsSignalled(fd: Int32) {
        var bound: [(Int32, UInt32)] = []
        for key in vmOrderedKeys {
            for irqfd in vms[key]?.irqfds ?? [] where irqfd.eventfd == fd { bound.append((key, irqfd.gsi)) }
        }
        guard !bound.isEmpty else { return }
        setEventFDCounter(fd, 0)
        for (key, gsi) in bound { inject(vm: key, gsi: gsi) }
    }

    /// Closing an eventfd detaches the irqfds bound to it (`irqfd_wakeup` on EPOLLHUP).
    func detachIRQFDs(closing fd: Int32) {
        guard eventFDCounters[fd] != nil else { return }
        for key in vmOrderedKeys where vms[key]?.irqfds.contains(where: { $0.eventfd == fd }) == true {
            _ = withVM(key) { vm in
                vm.irqfds.removeAll { $0.eventfd == fd }
                return 0
            }
        }
    }

    /// Raises GSI `gsi` of VM `key` once: with exactly one route for it (`irqfd_update`), an
    /// irqchip route raises its SPI's line (level 1; for an edge SPI that is an edge) when the SPI
    /// exists (`vgic_valid_spi`); an MSI route sends its message, as `KVM_SIGNAL_MSI` would, with
    /// the answer dropped (the irqfd's injection has nobody to tell).
    func inject(vm key: Int32, gsi: UInt32) {
        guard let vm = vms[key], vm.gicv3 != nil else { return }
        let routes = vm.routing.routes.filter { $0.gsi == gsi }
        guard routes.count == 1 else { return }
        if case .msi(let message) = routes[0].kind {
            _ = withVM(key) { vm in Self.deliver(message, &vm) }
            return
        }
        guard let pin = routes[0].pin, let spi = try? SPI(index: pin) else { return }
        _ = gicv3Line(vm: key, word: IRQLineWord.spi(spi), level: true)
    }

    // MARK: KVM_SET_GSI_ROUTING

    /// `kvm_set_irq_routing`: the table replaces the VM's when every rule holds, EINVAL otherwise.
    func setGSIRouting(vm key: Int32, _ argument: UnsafeMutableRawPointer?) -> Int {
        guard let argument, case .routing(let table, let flags)? = SyscallSimulator.payload(.setGSIRouting, argument) else {
            return failure(.EFAULT)
        }
        // `kvm_vm_ioctl` refuses more than KVM_MAX_IRQ_ROUTES before it copies the entries.
        if argument.load(as: UInt32.self) > GSI.limit { return failure(.EINVAL) }
        if table.firstProblem(tableFlags: flags) != nil { return failure(.EINVAL) }
        return withVM(key) { vm in
            vm.routing = table
            return 0
        }
    }

    /// CTRL_INIT's `kvm_vgic_setup_default_irq_routing`: GSI n → pin n for every SPI.
    func installDefaultRouting(_ vm: inout SimulatedVM, interruptCount: UInt32) {
        vm.routing = GSIRoutingTable.kernelDefault(spiCount: interruptCount - 32)
    }

    // MARK: KVM_SIGNAL_MSI

    /// `kvm_send_userspace_msi`: EINVAL without a vgic or with flags beyond VALID_DEVID; ENODEV
    /// without an ITS; with one, EINVAL without a device id or a doorbell of no ITS frame, EBUSY
    /// while that ITS is disabled, and otherwise 0: no translation exists here.
    func signalMSI(vm key: Int32, _ argument: UnsafeMutableRawPointer?) -> Int {
        guard case .msi(let message, let extra)? = SyscallSimulator.payload(.signalMSI, argument) else { return failure(.EFAULT) }
        guard let vm = vms[key] else { return failure(.EINVAL) }
        if !vm.hasGIC || extra != 0 { return failure(.EINVAL) }
        if vm.its.isEmpty { return failure(.ENODEV) }
        if message.deviceID == nil { return failure(.EINVAL) }
        guard vm.its.values.contains(where: { $0.owns(message.address) }) else { return failure(.EINVAL) }
        return withVM(key) { vm in Self.deliver(message, &vm) }
    }

    /// `vgic_its_inject_msi` of `message` to the ITS whose frame holds its doorbell: the ITS
    /// model's translation (the cache, then the tables' view), 1 delivered, 0 blocked, or the
    /// negated errno.
    static func deliver(_ message: MSIMessage, _ vm: inout SimulatedVM) -> Int {
        guard let fd = vm.its.keys.first(where: { vm.its[$0]?.owns(message.address) == true }), var its = vm.its[fd] else {
            return failure(.EINVAL)
        }
        vm.its[fd] = nil
        let delivery = vm.withLPIs { gic, _ in its.model.signal(device: message.deviceID ?? 0, event: message.data, gic: &gic).delivery }
        vm.its[fd] = its
        switch delivery {
        case .delivered: return 1
        case .blocked: return 0
        case .refused(let errno): return failure(Errno(rawValue: errno.rawValue))
        }
    }
}
