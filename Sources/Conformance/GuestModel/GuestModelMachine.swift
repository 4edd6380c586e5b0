import GICModel
import GICVocabulary
import GuestHarness

/// Runs a `GuestScenario` on the reference model instead of the kernel: the same programs, the
/// same host calls, the same schedule as `GuestMachine`, with each vCPU's steps executed on
/// `VGICDelivery` and the exits a real guest makes (its GIC MMIO, SGI writes, trapped DIRs,
/// maintenance interrupts, WFI, every call to the host) applied where the guest makes them. The
/// result is the `GuestOutcome` the kernel should produce: the lab compares the two, and
/// `swift test` checks it against each case's expectations.
struct GuestModelMachine {
    /// One level of the guest's program stack: the main program or a handler it took.
    struct Frame {
        var kind: GuestProgramKind
        var program: GuestProgram
        var next = 0
        var accumulator: UInt64 = 0
        /// The interrupt masks to restore on return (SPSR's I and F).
        var irqMaskedBefore = true
        var fiqMaskedBefore = true
    }

    /// One vCPU's guest state.
    struct CPU {
        var frames: [Frame]
        var irqMasked = true
        var fiqMasked = true
        var variables = [UInt64](repeating: 0, count: GuestContext.variableCount)
        var log: [GuestLogEntry] = []
        var dropped: UInt64 = 0
        var finished = false
    }

    /// How one vCPU's stretch of execution ended.
    enum Stop {
        /// Its main program ended.
        case finished
        /// It called the host, which switched to another vCPU.
        case switched(to: Int)
        /// The run ends (fault, hang, a broken step).
        case ended(GuestRunEnd)
    }

    var delivery: VGICDelivery
    /// Guest RAM as the ITS and the LPI tables reach it: what the guest stored in it (its
    /// tables and command queue; `GuestModelMachine+Memory.swift`).
    var memory = SparseGuestMemory(regions: [GuestLayout.ramBase..<(GuestLayout.ramBase + UInt64(GuestLayout.ramBytes))])
    let scenario: GuestScenario
    var cpus: [CPU]
    var trace = GuestTrace()
    /// Steps executed, against runaway programs.
    var steps = 0

    /// Guest steps one run may execute before the model calls the guest hung.
    static let stepLimit = 2_000_000
    /// Maintenance-interrupt exits in a row without guest progress that count as a storm.
    static let maintenanceStormLimit = 64
    /// The log's capacity, as the runtime's (`GuestLayout.logStride / 16`).
    static let logCapacity = GuestLayout.logStride / 16

    /// The model of `scenario` on kernel line `kernel`: vCPUs with KVM's reset affinities, the
    /// lab's layout, the host's CPU interface; then the scenario's setup actions.
    init(_ scenario: GuestScenario, kernel: KernelBehaviour, host: HostCPUInterface = .qemuMax,
         virtualInterface: VirtualInterface = .qemu7_2, mutations: DeliveryMutation = [],
         itsMutations: ITSMutation = []) throws(ScenarioFailure) {
        var configuration = GICv3ModelConfiguration.vcpus(
            UInt32(scenario.vcpuCount), interruptCount: scenario.interruptCount, kernel: kernel, host: host)
        configuration.hasITS = scenario.its
        delivery = VGICDelivery(
            gic: GICv3Model(configuration: configuration), virtualInterface: virtualInterface,
            its: scenario.its ? ITSModel(kernel: kernel, mutations: itsMutations) : nil, mutations: mutations)
        self.scenario = scenario
        cpus = scenario.programs.map { CPU(frames: [Frame(kind: .main, program: $0.main)]) }
        registerIRQFDs()
        for (index, action) in scenario.setup.enumerated() {
            let (result, _) = perform(action, caller: 0, operand: 0)
            if case .refused(let errno) = result { throw .fail("setup step \(index) (\(action)) refused by the model: \(errno)") }
        }
    }

    /// The affinities the model's vCPUs have.
    var affinities: [Affinity] { delivery.gic.redistributors.map { $0.affinity } }

    /// Runs every vCPU's programs to their end, as `GuestMachine.run` schedules them.
    mutating func run() -> GuestOutcome {
        var current = scenario.firstVCPU
        var end = GuestRunEnd.completed
        running: while true {
            switch runVCPU(current) {
            case .finished:
                cpus[current].finished = true
                guard let next = cpus.indices.first(where: { !cpus[$0].finished }) else { break running }
                current = next
            case .switched(let next):
                guard next < cpus.count, !cpus[next].finished else {
                    end = .broken(vcpu: current, "switch to vCPU \(next), which does not exist or has finished")
                    break running
                }
                current = next
            case .ended(let problem):
                end = problem
                break running
            }
        }
        var final: [HostResult] = []
        for observation in scenario.finalObservations {
            final.append(perform(.observe(observation), caller: 0, operand: 0).result)
        }
        return GuestOutcome(trace: trace, end: end, final: final)
    }

    /// Runs vCPU `vcpu` from a `KVM_RUN` until it stops for the scheduler.
    mutating func runVCPU(_ vcpu: Int) -> Stop {
        delivery.enter(vcpu, loading: true)
        if let stop = settle(vcpu) { return stop }
        while true {
            steps += 1
            if steps > Self.stepLimit { return .ended(.hung(vcpu: vcpu, "more than \(Self.stepLimit) guest steps")) }
            takeInterruptIfSignalled(vcpu)
            guard let op = fetch(vcpu) else { return .ended(.broken(vcpu: vcpu, "ran past the end of a program")) }
            if let stop = execute(op, vcpu: vcpu) { return stop }
            if let stop = settle(vcpu) { return stop }
        }
    }

    /// The exits nobody asked for: a maintenance interrupt, or the physical timer interrupt
    /// the host takes and forwards. Each is an exit and an entry without userspace.
    mutating func settle(_ vcpu: Int) -> Stop? {
        var exits = 0
        while delivery.maintenanceInterrupt(vcpu) || delivery.timerInterruptWaiting(vcpu) {
            exits += 1
            if exits > Self.maintenanceStormLimit {
                return .ended(.hung(vcpu: vcpu, "maintenance interrupts without end (the guest makes no progress)"))
            }
            delivery.exit(vcpu)
            if delivery.timerInterruptWaiting(vcpu) { delivery.takeTimerInterrupt(vcpu) }
            delivery.enter(vcpu, loading: false)
        }
        return nil
    }

    /// An interrupt exception, if the vCPU's interface signals one its masks let through: FIQ
    /// before IRQ. Entry masks both; the handler's `end` restores them.
    mutating func takeInterruptIfSignalled(_ vcpu: Int) {
        let signalled = delivery.signalledException(vcpu)
        let kind: GuestProgramKind
        if signalled.fiq && !cpus[vcpu].fiqMasked {
            kind = .fiq
        } else if signalled.irq && !cpus[vcpu].irqMasked {
            kind = .irq
        } else {
            return
        }
        let programs = scenario.programs[vcpu]
        let frame = Frame(
            kind: kind, program: kind == .irq ? programs.irq : programs.fiq,
            irqMaskedBefore: cpus[vcpu].irqMasked, fiqMaskedBefore: cpus[vcpu].fiqMasked)
        cpus[vcpu].frames.append(frame)
        cpus[vcpu].irqMasked = true
        cpus[vcpu].fiqMasked = true
    }

    /// The next step of the innermost frame.
    mutating func fetch(_ vcpu: Int) -> GuestOp? {
        guard let top = cpus[vcpu].frames.indices.last else { return nil }
        let frame = cpus[vcpu].frames[top]
        guard frame.next < frame.program.ops.count else { return nil }
        cpus[vcpu].frames[top].next += 1
        return frame.program.ops[frame.next]
    }

    /// The innermost frame's accumulator.
    var accumulatorIndex: Int { 0 }

    mutating func accumulator(_ vcpu: Int) -> UInt64 { cpus[vcpu].frames[cpus[vcpu].frames.count - 1].accumulator }

    mutating func setAccumulator(_ vcpu: Int, _ value: UInt64) {
        cpus[vcpu].frames[cpus[vcpu].frames.count - 1].accumulator = value
    }

    /// An operand's value.
    mutating func value(of operand: GuestOperand, _ vcpu: Int) -> UInt64 {
        switch operand {
        case .immediate(let value): value
        case .accumulator: accumulator(vcpu)
        case .variable(let number): cpus[vcpu].variables[Int(number & 0xF)]
        }
    }

    /// A userspace exit and re-entry (an MMIO access the host answers): KVM folds and flushes,
    /// and the next `KVM_RUN` reloads the timer.
    mutating func userspaceExit(_ vcpu: Int) {
        delivery.exit(vcpu)
        delivery.enter(vcpu, loading: true)
    }

    /// An exit KVM handles itself (a trapped GIC access or system register).
    mutating func kernelExit(_ vcpu: Int, _ handle: (inout VGICDelivery) -> Void) {
        delivery.exit(vcpu)
        handle(&delivery)
        delivery.enter(vcpu, loading: false)
    }
}
