import CKVM
import GICModel
import GICSnapshot
import GICVocabulary
import GuestHarness
import KVM
import VGIC

/// A VM that runs harness guests on the kernel: 2 MiB of RAM holding the runtime and every
/// vCPU's programs (`GuestLoad`), the vCPUs, and an initialised vgic-v3 in the lab's layout.
///
/// The host drives the vCPUs one at a time from one thread: it runs the current vCPU until an
/// exit, answers it (a host call, a log drain, the end of a program), and goes on with the same
/// vCPU unless the guest's call switched to another. So a multi-vCPU scenario has one order of
/// events, which the model executor reproduces. Every `KVM_RUN` is guarded by a watchdog: a
/// guest that does not exit within `watchdogMilliseconds` fails the scenario with its PC and
/// step, and the boot goes on.
struct GuestMachine: ~Copyable {
    deinit {}

    let vm: VirtualMachine
    let memory: GuestMemory
    var vcpus: VCPUSet
    let gic: VGIC
    let identities: [VCPUIdentity]
    let load: GuestLoad
    let runtime: GuestRuntime.Image
    /// The scenario's irqfd lines (`GuestMachine+IRQFD.swift`).
    let irqfdLines: GuestIRQFDLines
    /// The scenario's MSI routes (`GuestMachine+MSI.swift`).
    let msiLines: GuestMSILines

    /// At most this many exits per run (a guest that exits in a loop fails instead of running on).
    static let exitLimit = 200_000

    /// The redistributor RD_base of vCPU `index` in the lab's legacy layout (128 KiB each, by
    /// vCPU index, which is how KVM assigns a legacy region).
    static func redistributor(_ index: Int) -> UInt64 {
        LabLayout.redistributors + UInt64(index) * 0x2_0000
    }

    /// Creates the VM for `scenario` on `kvm`: RAM, vCPUs (PSCI 0.2, PC at the runtime's entry,
    /// X0 at their context), the vgic-v3 with NR_IRQS, then the scenario's setup actions.
    static func create(on kvm: borrowing KVM, for scenario: GuestScenario) throws(ScenarioFailure) -> GuestMachine {
        let runtime: GuestRuntime.Image
        do throws(A64AssemblyError) { runtime = try GuestRuntime.image() } catch { throw .fail("runtime: \(error)") }
        let load: GuestLoad
        do throws(GuestLoadError) {
            load = try GuestLoad(
                image: runtime, programs: scenario.programs,
                frames: .init(distributor: LabLayout.distributor, redistributors: (0..<scenario.vcpuCount).map { redistributor($0) }))
        } catch {
            throw .fail("loading the programs: \(error)")
        }
        let vm = try ScenarioFailure.step("KVM_CREATE_VM") { () throws(KVMError) in try kvm.createVM() }
        let memory = try ScenarioFailure.step("guest RAM") { () throws(KVMError) in
            let memory = try vm.allocateGuestMemory(bytes: GuestLayout.ramBytes)
            try vm.mapMemory(memory, slot: 0, guestAddress: GuestLayout.ramBase)
            return memory
        }
        for write in load.writes where !memory.write(write.bytes, at: write.offset) {
            throw .fail("loading \(write.bytes.count) bytes at RAM offset \(hex(write.offset)) failed")
        }
        var vcpus = VCPUSet()
        for index in 0..<scenario.vcpuCount {
            let vcpu = try ScenarioFailure.step("vCPU \(index)") { () throws(KVMError) in
                var target = try vm.preferredTarget()
                target.features.insert(.psci02)
                let vcpu = try vm.createVCPU(id: UInt32(index))
                try vcpu.initialize(target)
                try vcpu.set(.pc, to: load.entry)
                if let x0 = OneRegister.x(0) { try vcpu.set(x0, to: load.context(of: index)) }
                return vcpu
            }
            do throws(VCPUSetError) { try vcpus.insert(vcpu) } catch { throw .fail("vCPU \(index): \(error)") }
        }
        let identities = vcpus.identities
        var gic: VGIC
        do throws(VGICError) {
            gic = try VGIC.create(
                on: vm,
                configuration: LabLayout.v3(vcpuCount: scenario.vcpuCount, interruptCount: scenario.interruptCount, withITS: scenario.its),
                vcpus: identities)
        } catch {
            throw .fail("vgic-v3: \(error)")
        }
        let irqfdLines = try wireIRQFDs(&gic, scenario)
        let msiLines = try wireMSIRoutes(&gic, scenario)
        var machine = GuestMachine(
            vm: vm, memory: memory, vcpus: vcpus, gic: gic, identities: identities, load: load, runtime: runtime,
            irqfdLines: irqfdLines, msiLines: msiLines)
        for (index, action) in scenario.setup.enumerated() {
            let (result, _) = machine.perform(action, caller: 0, operand: 0)
            if case .refused(let errno) = result { throw .fail("setup step \(index) (\(action)) refused: \(errno)") }
        }
        return machine
    }

    /// The host's CPU-interface parameters as vCPU 0's ICC_CTLR_EL1 reports them (QEMU's in the
    /// lab), for the model; the QEMU values if the read fails.
    func hostCPUInterface() -> HostCPUInterface {
        guard let first = identities.first, let control = try? gic.systemRegister(.iccCTLR, of: first) else { return .qemuMax }
        var host = HostCPUInterface(iccCTLR: control)
        host.preemptionBits = host.priorityBits
        return host
    }

    /// Runs the scenario's programs to their ends (or a fault, a hang, an exit the harness does
    /// not expect) and reads the final observations.
    mutating func run(_ scenario: GuestScenario) -> GuestOutcome {
        var trace = GuestTrace()
        var decoders = [GuestExitDecoder](repeating: GuestExitDecoder(), count: scenario.vcpuCount)
        var finished = [Bool](repeating: false, count: scenario.vcpuCount)
        var current = scenario.firstVCPU
        var end = GuestRunEnd.completed
        var exits = 0

        running: while true {
            exits += 1
            if exits > Self.exitLimit {
                end = .broken(vcpu: current, "more than \(Self.exitLimit) exits")
                break
            }
            let exit: VCPUExit
            switch runOnce(current, watchdog: scenario.watchdogMilliseconds) {
            case .exit(let value): exit = value
            case .ended(let problem):
                end = problem
                break running
            }
            guard case .mmio(let access) = exit else {
                end = .broken(vcpu: current, "unexpected exit \(exit)")
                break
            }
            switch decoders[current].decode(address: access.address, data: access.data, isWrite: access.isWrite) {
            case .partial:
                continue
            case .call(let step, let operand):
                guard let (call, action) = hostCall(at: step, scenario) else {
                    end = .broken(vcpu: current, "host call from \(hex(step)), which is no host step")
                    break running
                }
                let (result, next) = perform(action, caller: current, operand: operand)
                trace.events.append(.called(vcpu: current, call: call, operand: operand, result))
                if let next {
                    guard next < scenario.vcpuCount, !finished[next] else {
                        end = .broken(vcpu: current, "switch to vCPU \(next), which does not exist or has finished")
                        break running
                    }
                    current = next
                }
            case .read(let step):
                end = .broken(vcpu: current, "host read from \(hex(step)): no scenario answers reads yet")
                break running
            case .drained(let entries, let dropped):
                for entry in entries { trace.events.append(.logged(vcpu: current, entry)) }
                if dropped > 0 { trace.events.append(.dropped(vcpu: current, count: dropped)) }
            case .done(let accumulator):
                trace.events.append(.finished(vcpu: current, accumulator: accumulator))
                finished[current] = true
                guard let next = (0..<scenario.vcpuCount).first(where: { !finished[$0] }) else { break running }
                current = next
            case .fault(let fault):
                end = .fault(vcpu: current, fault)
                break running
            case .malformed(let detail):
                end = .broken(vcpu: current, "malformed report: \(detail)")
                break running
            case .stray(let address, let isWrite):
                end = .broken(vcpu: current, "stray MMIO \(isWrite ? "write" : "read") at \(hex(address))")
                break running
            }
        }
        var final: [HostResult] = []
        for observation in scenario.finalObservations {
            final.append(perform(.observe(observation), caller: 0, operand: 0).result)
        }
        return GuestOutcome(trace: trace, end: end, final: final)
    }

    /// The host call at step address `step`: its number and the action it stands for.
    func hostCall(at step: UInt64, _ scenario: GuestScenario) -> (Int, HostAction)? {
        guard let location = load.locate(step: step),
            case .host(let call, _)? = load.op(vcpu: location.vcpu, kind: location.kind, index: location.index),
            Int(call) < scenario.calls.count
        else { return nil }
        return (Int(call), scenario.calls[Int(call)])
    }

    /// What one `KVM_RUN` came to: an exit to answer, or the end of the run.
    enum RunStep {
        case exit(VCPUExit)
        case ended(GuestRunEnd)
    }

    /// One `KVM_RUN` of vCPU `index` under the watchdog.
    mutating func runOnce(_ index: Int, watchdog milliseconds: Int64) -> RunStep {
        let load = self.load
        let runtime = self.runtime
        let outcome: RunStep? = vcpus.withVCPU(id: UInt32(index)) { vcpu -> RunStep in
            let armed = ckvm_watchdog_arm(milliseconds)
            let exit: VCPUExit
            do throws(KVMError) {
                exit = try vcpu.run()
            } catch {
                _ = ckvm_watchdog_disarm()
                return .ended(.broken(vcpu: index, "KVM_RUN: \(error)"))
            }
            _ = ckvm_watchdog_disarm()
            guard exit == .interrupted else { return .exit(exit) }
            if armed != 0 { return .ended(.broken(vcpu: index, "KVM_RUN interrupted, and the watchdog could not be armed (\(armed))")) }
            return .ended(.hung(vcpu: index, Self.hangDetail(vcpu, milliseconds: milliseconds, load: load, runtime: runtime)))
        }
        return outcome ?? .ended(.broken(vcpu: index, "no vCPU \(index)"))
    }

    /// Where a hung vCPU was: its PC as a runtime label, and its current step.
    static func hangDetail(_ vcpu: borrowing VCPU, milliseconds: Int64, load: GuestLoad, runtime: GuestRuntime.Image) -> String {
        let pc = try? vcpu.get(.pc)
        let next: UInt64? = OneRegister.x(20).flatMap { try? vcpu.get($0) }
        return GuestHang(milliseconds: milliseconds, pc: pc, nextStep: next).description(load: load, runtime: runtime)
    }
}
