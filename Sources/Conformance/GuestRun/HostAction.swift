import GICVocabulary

/// What the host does when a guest program calls it (`GuestOp.host`), or before the first run:
/// data, so the lab performs it on the kernel and the model executor on the reference model.
///
/// Per-vCPU selectors name the vCPU by index in the scenario; the lab turns that into the
/// affinity the kernel reported, never into an index-derived selector.
enum HostAction: Hashable, Sendable {
    /// `KVM_IRQ_LINE` of SPI `intid` (for an edge SPI a `true` level is an edge).
    case spiLine(UInt32, level: Bool)
    /// `KVM_IRQ_LINE` of PPI `intid` on vCPU `vcpu`.
    case ppiLine(UInt32, vcpu: Int, level: Bool)
    /// `KVM_IRQ_LINE` of the INTID the guest passes as the call's operand: an SPI, or below 32
    /// a PPI of the calling vCPU (the handler asking the host to lower its line).
    case operandLine(level: Bool)
    /// `KVM_IRQ_LINE` with this raw word (out-of-range INTIDs): whether the kernel accepts it
    /// is part of the trace.
    case rawLine(word: UInt32, level: Bool)
    /// The pending latch through the attribute interface (a uaccess ISPENDR write of this one
    /// bit), of vCPU `vcpu`'s redistributor for INTIDs below 32.
    case setPending(UInt32, vcpu: Int)
    /// The line level through LEVEL_INFO: the bitmap word holding `intid` read, that bit
    /// changed, written back.
    case setLineLevel(UInt32, vcpu: Int, level: Bool)
    /// The active state through the attribute interface (a uaccess ISACTIVER write).
    case setActive(UInt32, vcpu: Int)
    /// An ICC register of vCPU `vcpu` through CPU_SYSREGS.
    case setSystemRegister(ICCRegister, vcpu: Int, UInt64)
    /// An ICC register of vCPU `vcpu` by read-modify-write through CPU_SYSREGS: the value read,
    /// with the bits of `set` set and those of `clear` cleared, written back. For registers whose
    /// read-only fields the kernel checks on write (ICC_CTLR_EL1: PRIbits, IDbits, SEIS, A3V),
    /// so a VMM changes EOImode without knowing the host's values.
    case modifySystemRegister(ICCRegister, vcpu: Int, set: UInt64, clear: UInt64)
    /// A distributor register through DIST_REGS (register, index of the instance).
    case setDistributor(GICv3Register, index: UInt32, UInt64)
    /// A redistributor register of vCPU `vcpu` through REDIST_REGS.
    case setRedistributor(GICv3Register, vcpu: Int, index: UInt32, UInt64)
    /// Interrupt `intid`'s priority byte (IPRIORITYR, read-modify-write of its word), of vCPU
    /// `vcpu`'s redistributor below 32.
    case setPriority(UInt32, vcpu: Int, UInt8)
    /// Enables `intid` (an ISENABLER write of its bit).
    case enable(UInt32, vcpu: Int)
    /// Puts `intid` in Group 1 (true) or Group 0 (IGROUPR, read-modify-write).
    case setGroup(UInt32, vcpu: Int, group1: Bool)
    /// Makes SPI `intid` edge- (true) or level-triggered (ICFGR, read-modify-write).
    case setTrigger(UInt32, edge: Bool)
    /// Routes SPI `intid` to vCPU `vcpu` (GICD_IROUTER with the affinity the kernel reported).
    case route(UInt32, toVCPU: Int)
    /// Signals the trigger eventfd of the scenario's irqfd `n` (`GuestScenario.irqfds`): the
    /// kernel raises its SPI from the write.
    case signalIRQFD(Int)
    /// Reads irqfd `n`'s resample eventfd into the trace: the guest's acknowledgements of its
    /// level SPI since the last read (0 for none).
    case takeResample(Int)
    /// `KVM_SIGNAL_MSI` of (`device`, `event`) to the VM's ITS doorbell (`VGIC.signalMSI`): the
    /// trace records 1 (delivered), 0 (blocked: no translation) or the errno.
    case signalMSI(device: UInt32, event: UInt32)
    /// `KVM_SIGNAL_MSI` of each event in order (as a device with many vectors does at once): the
    /// trace records how many the kernel delivered, or the first errno.
    case signalMSIs([GuestMSIEvent])
    /// Signals the trigger eventfd of the scenario's MSI route `n` (`GuestScenario.msiRoutes`,
    /// wired with `VGIC.connectMSI`): the kernel's irqfd sends the route's message to the ITS.
    case signalMSIRoute(Int)
    /// Continue with vCPU `vcpu` (the calling vCPU waits until the host switches back).
    case switchTo(Int)
    /// Reads state through the attribute interface into the trace.
    case observe(HostObservation)
    /// Several actions, in order.
    case all([HostAction])
}

/// State the host reads through the attribute interface while the guest is stopped.
enum HostObservation: Hashable, Sendable {
    /// ISACTIVER bit of `intid` (vCPU `vcpu`'s for private INTIDs).
    case active(UInt32, vcpu: Int)
    /// ISPENDR bit (the pending latch) of `intid`.
    case latch(UInt32, vcpu: Int)
    /// LEVEL_INFO bit of `intid`.
    case line(UInt32, vcpu: Int)
    /// An ICC register of vCPU `vcpu`.
    case systemRegister(ICCRegister, vcpu: Int)
}
