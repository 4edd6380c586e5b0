/// The EL1 virtual timer and its PPI 27, which KVM maps to the physical timer interrupt: the
/// list register carries HW = 1, the guest's deactivation deactivates the physical interrupt,
/// and the host forwards the next firing only then (`arch_timer.c`: `kvm_timer_update_irq`,
/// `kvm_timer_vcpu_load_gic`, `kvm_arch_timer_handler`).
extension VGICDelivery {
    /// `kvm_timer_update_irq` with the timer's output: `KVM_IRQ_LINE`-like injection of PPI 27's
    /// level (queued when the level changes).
    mutating func updateTimerLine(_ vcpu: Int) {
        let level = timers[vcpu].firing
        guard gic.interrupt(Self.virtualTimerPPI, vcpu: vcpu).line != level else { return }
        gic.update(Self.virtualTimerPPI, vcpu: vcpu) { $0.line = level }
        queue(Self.virtualTimerPPI, owner: vcpu)
    }

    /// `kvm_timer_vcpu_load_gic`, at each `KVM_RUN`: the line follows the output, and the
    /// physical interrupt is active if the virtual one is active or the line is high.
    mutating func loadTimer(_ vcpu: Int) {
        updateTimerLine(vcpu)
        timers[vcpu].physicalActive = gic.interrupt(Self.virtualTimerPPI, vcpu: vcpu).active || timers[vcpu].firing
        clampBinaryPoints(vcpu)
    }

    /// QEMU's `ich_vmcr_write`, when KVM loads the VMCR: binary points below the minimum are
    /// raised to it (and saved back so on exit).
    mutating func clampBinaryPoints(_ vcpu: Int) {
        let minimum = gic.minimumBinaryPoint0
        gic.redistributors[vcpu].cpuInterface.bpr0 = Swift.max(gic.redistributors[vcpu].cpuInterface.bpr0, minimum)
        gic.redistributors[vcpu].cpuInterface.bpr1 = Swift.max(gic.redistributors[vcpu].cpuInterface.bpr1, minimum + 1)
    }

    /// Whether the physical timer interrupt is asserted and not active: the host would take it
    /// now (an exit) and forward it.
    public func timerInterruptWaiting(_ vcpu: Int) -> Bool {
        timers[vcpu].firing && !timers[vcpu].physicalActive
    }

    /// `kvm_arch_timer_handler`: the host takes the physical interrupt (leaving it active) and
    /// injects the line. Call between `exit` and `enter`.
    public mutating func takeTimerInterrupt(_ vcpu: Int) {
        timers[vcpu].physicalActive = true
        updateTimerLine(vcpu)
    }

    /// The guest's deactivation of the hardware-mapped entry reached the physical interrupt.
    mutating func deactivatePhysical(_ vcpu: Int) {
        timers[vcpu].physicalActive = false
    }

    /// Time passes while the vCPU waits: an enabled timer reaches its deadline.
    public mutating func timerDeadlinePasses(_ vcpu: Int) {
        if timers[vcpu].enabled { timers[vcpu].expired = true }
    }

    /// CNTV_CTL_EL0 write: ENABLE and IMASK (ISTATUS is read-only).
    public mutating func guestSetTimerControl(_ value: UInt64, vcpu: Int) {
        timers[vcpu].enabled = value & 1 != 0
        timers[vcpu].masked = value & 2 != 0
    }

    /// CNTV_TVAL_EL0 or CNTV_CVAL_EL0 write: a new deadline, already passed only for a
    /// non-positive timer value (or a compare value of 0).
    public mutating func guestSetTimerDeadline(_ value: UInt64, isTimerValue: Bool, vcpu: Int) {
        timers[vcpu].expired = isTimerValue ? Int32(truncatingIfNeeded: value) <= 0 : value == 0
    }
}
