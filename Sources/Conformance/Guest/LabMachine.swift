import GICVocabulary
import KVM
import VGIC

/// A VM with guest RAM holding a `StraightLineGuest`, for scenarios that call `KVM_RUN`.
///
/// `~Copyable` because it owns the VM and the RAM behind it; the RAM must outlive every run,
/// which owning both in one value guarantees. vCPUs made with `runnableVCPU` start at the
/// program with PSCI 0.2 enabled, so the program's SYSTEM_OFF ends the run.
struct LabMachine: ~Copyable {
    deinit {}

    let vm: VirtualMachine
    let memory: GuestMemory

    /// Opens the context's kernel (`LabKernel`), creates a VM, maps the RAM and loads `program`.
    /// A host without arm64 KVM is `.skip`; anything else that fails is `.fail`.
    static func with(
        _ context: ScenarioContext, program: StraightLineGuest = .reporting([]),
        _ body: (borrowing LabMachine) throws(VGICError) -> Outcome
    ) -> Outcome {
        let kvm: KVM
        do throws(ScenarioFailure) { kvm = try LabKernel.open(context) } catch { return error.outcome() }
        let machine: LabMachine
        do throws(KVMError) {
            let vm = try kvm.createVM()
            let memory = try vm.allocateGuestMemory(bytes: StraightLineGuest.ramBytes)
            try vm.mapMemory(memory, slot: 0, guestAddress: StraightLineGuest.ramBase)
            if let problem = program.problem { return .fail("setup: the guest program does not assemble: \(problem)") }
            guard memory.write(words: program.words, at: 0) else {
                return .fail("setup: guest program of \(program.words.count) words does not fit the RAM")
            }
            machine = LabMachine(vm: vm, memory: memory)
        } catch {
            if case .notArm64 = error { return .skip(error.description) }
            return .fail("setup: \(error)")
        }
        do throws(VGICError) {
            return try body(machine)
        } catch {
            return .fail("setup or unexpected refusal: \(error)")
        }
    }

    /// Creates vCPU `id`, initialises it (preferred target + PSCI 0.2) and points its PC at the
    /// program. The caller keeps the owner to run it.
    func runnableVCPU(id: UInt32) throws(VGICError) -> VCPU {
        do throws(KVMError) {
            var target = try vm.preferredTarget()
            target.features.insert(.psci02)
            let vcpu = try vm.createVCPU(id: id)
            try vcpu.initialize(target)
            try vcpu.set(.pc, to: StraightLineGuest.ramBase)
            return vcpu
        } catch {
            throw .kernel(error)
        }
    }

    /// `runnableVCPU` and its identity read back from the kernel; the fd is closed (the vCPU
    /// lives as long as the VM) for vCPUs that only need to exist.
    func addVCPU(id: UInt32) throws(VGICError) -> VCPUIdentity {
        let vcpu = try runnableVCPU(id: id)
        return try VCPUIdentity(reading: vcpu)
    }
}

/// What a run ended with, as the scenarios compare it.
enum RunResult: Equatable, CustomStringConvertible {
    /// `KVM_RUN` returned an exit.
    case exited(VCPUExit)
    /// `KVM_RUN` itself failed with this errno.
    case refused(Errno)

    /// Runs `vcpu` once.
    static func of(_ vcpu: borrowing VCPU) -> RunResult {
        do throws(KVMError) {
            return .exited(try vcpu.run())
        } catch {
            return .refused(error.errno ?? Errno(rawValue: 0))
        }
    }

    var description: String {
        switch self {
        case .exited(let exit): "exit \(exit)"
        case .refused(let errno): "KVM_RUN refused: \(errno)"
        }
    }
}

extension LabMachine {
    /// A machine with `vcpuCount` vCPUs and an initialised vgic-v3 in the `LabLayout`, then
    /// `body`. `mpidr`, when given, is written to each vCPU's MPIDR_EL1 (by id) before the
    /// identities are read back, so selectors by affinity and targets by id differ.
    static func withVGIC(
        _ context: ScenarioContext, vcpus vcpuCount: UInt32, interruptCount: UInt32? = nil, mpidr: ((UInt32) -> UInt64)? = nil,
        program: StraightLineGuest = .reporting([]),
        _ body: (borrowing LabMachine, borrowing VGIC, [VCPUIdentity]) throws(VGICError) -> Outcome
    ) -> Outcome {
        with(context, program: program) { machine throws(VGICError) in
            var identities: [VCPUIdentity] = []
            for id in 0..<vcpuCount {
                let vcpu = try machine.runnableVCPU(id: id)
                if let mpidr {
                    do throws(KVMError) { try vcpu.set(.mpidr, to: mpidr(id)) } catch { throw .kernel(error) }
                }
                identities.append(try VCPUIdentity(reading: vcpu))
            }
            let vgic = try VGIC.create(
                on: machine.vm, configuration: LabLayout.v3(vcpuCount: Int(vcpuCount), interruptCount: interruptCount),
                vcpus: identities)
            return try body(machine, vgic, identities)
        }
    }
}
