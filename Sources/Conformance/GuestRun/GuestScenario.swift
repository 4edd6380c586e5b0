import GICVocabulary
import GuestHarness

/// A guest-side scenario as data: the VM's shape, what the host sets up before the first run,
/// each vCPU's programs, and the actions the programs' host calls stand for. The lab runs it on
/// the kernel (`GuestMachine`), the model executor on the reference model; both give a
/// `GuestTrace`.
struct GuestScenario: Sendable {
    /// vCPUs, 1...`GuestLayout.maximumVCPUs`.
    var vcpuCount: Int
    /// NR_IRQS (SPIs are 32..<interruptCount).
    var interruptCount: UInt32 = 128
    /// Performed in order after CTRL_INIT, before any vCPU runs (group, priority, routing,
    /// enables, PMR, …).
    var setup: [HostAction] = []
    /// Device lines the VMM wires through irqfds after CTRL_INIT, before `setup`:
    /// `HostAction.signalIRQFD(n)` raises `irqfds[n]`.
    var irqfds: [GuestIRQFD] = []
    /// An ITS at `LabLayout.its` (the guest brings it up itself: `LPIDriver`).
    var its = false
    /// MSI routes the VMM wires through irqfds after CTRL_INIT (`VGIC.connectMSI`; needs `its`):
    /// `HostAction.signalMSIRoute(n)` signals `msiRoutes[n]`.
    var msiRoutes: [GuestMSIRoute] = []
    /// Each vCPU's programs, by index.
    var programs: [GuestPrograms]
    /// What each host call stands for: `GuestOp.host(call: n, …)` performs `calls[n]`.
    var calls: [HostAction] = []
    /// Read through the attribute interface after the run, into `GuestOutcome.final`.
    var finalObservations: [HostObservation] = []
    /// The vCPU that runs first.
    var firstVCPU = 0
    /// How long one `KVM_RUN` may go without an exit before the guest counts as hung.
    var watchdogMilliseconds: Int64 = 10_000

    init(vcpuCount: Int, interruptCount: UInt32 = 128, programs: [GuestPrograms]) {
        self.vcpuCount = vcpuCount
        self.interruptCount = interruptCount
        self.programs = programs
    }
}

extension GuestScenario {
    /// The common shape: one vCPU running `main`, with `handler` for its IRQs (the
    /// acknowledge-log-EOI default otherwise), the usual setup (`GuestSetup.standard`) followed by
    /// `setup`, the host calls the programs were written against, and the active state and
    /// pending latch of each of `observing` read back at the end.
    static func oneVCPU(
        main: GuestScript, handler: GuestScript? = nil, calls: HostCalls = HostCalls(), setup: [HostAction] = [],
        observing intids: [UInt32] = []
    ) throws(GuestProgramError) -> GuestScenario {
        var programs = GuestPrograms(main: try main.program())
        if let handler { programs.irq = try handler.program() }
        var scenario = GuestScenario(vcpuCount: 1, programs: [programs])
        scenario.setup = GuestSetup.standard(vcpus: 1) + setup
        scenario.calls = calls.actions
        for intid in intids { scenario.finalObservations += [.active(intid, vcpu: 0), .latch(intid, vcpu: 0)] }
        return scenario
    }
}

/// What a guest scenario showed: the trace, how the run ended, and the final observations.
struct GuestOutcome: Hashable, Sendable {
    var trace: GuestTrace
    var end: GuestRunEnd
    /// `finalObservations`, in order, or the errno that refused one.
    var final: [HostResult]
}
