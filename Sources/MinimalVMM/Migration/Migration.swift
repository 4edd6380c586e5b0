import CKVM
import DeviceTree
import GICSnapshot
import GICVocabulary
import KVM
import VGIC

/// A machine's parts that live in one VM: what a migration builds on the target and hands to
/// the running machine (MinimalVMM.docc/Migration.md).
public struct MigrationTarget: ~Copyable {
    /// Explicit so Embedded Swift can destroy this value from other modules.
    deinit {}

    public var vm: VirtualMachine
    public var memory: GuestMemory
    public var gic: VGIC
    /// The target's vCPUs, restored, not yet running.
    public var vcpus: VCPUSet

    init(vm: consuming VirtualMachine, memory: consuming GuestMemory, gic: consuming VGIC, vcpus: consuming VCPUSet) {
        self.vm = vm
        self.memory = memory
        self.gic = gic
        self.vcpus = vcpus
    }
}

/// The two halves of a migration, on parts a VMM owns (MinimalVMM.docc/Migration.md): `capture`
/// reads a stopped machine, `restore` builds a fresh VM from what it read. Both count the
/// ioctls they issue into the report, phase by phase.
public enum Migration {
    /// Saves the GIC, every vCPU's listed registers and power state, and RAM. The vCPUs must be
    /// stopped, each with its last exit completed (`VCPUThreads.pause`).
    public static func capture(
        vcpus: inout VCPUSet, gic: borrowing VGIC, memory: borrowing GuestMemory, uart: PL011, uartLineLevel: Bool,
        report: inout MigrationReport
    ) throws(MachineError) -> MachineSnapshot {
        var start = ckvm_monotonic_ns()
        var files: [VCPURegisterFile] = []
        var ioctls = 0
        for identity in vcpus.identities {
            let file = try vcpus.withVCPU(id: identity.id) { (vcpu) throws(MachineError) -> VCPURegisterFile in
                do throws(KVMError) {
                    return try VCPURegisterFile.capture(vcpu, ioctls: &ioctls)
                } catch {
                    throw .kernel(step: "saving vCPU \(identity.id)", error)
                }
            }
            guard let file else { throw .other("vCPU \(identity.id) is not in the set") }
            files.append(file)
        }
        report.vcpuCapture = .init(nanoseconds: ckvm_monotonic_ns() - start, ioctls: ioctls)
        report.registersPerVCPU = files.first?.registers.count ?? 0

        start = ckvm_monotonic_ns()
        var tally = AccessTally()
        let gicSnapshot: GICSnapshot
        do throws(SnapshotError) {
            gicSnapshot = try vcpus.whileStopped { (stopped) throws(SnapshotError) in
                try gic.captureSnapshot(stopped, tally: &tally)
            }
        } catch {
            throw .snapshot(step: "capturing the GIC", error)
        }
        report.gicCapture = .init(nanoseconds: ckvm_monotonic_ns() - start, ioctls: tally.total)

        start = ckvm_monotonic_ns()
        let saved = SavedMemory(copying: memory)
        report.memoryCapture = .init(nanoseconds: ckvm_monotonic_ns() - start, ioctls: 0)
        report.memoryPages = saved.pages.count
        return MachineSnapshot(gic: gicSnapshot, vcpus: files, memory: saved, uart: uart, uartLineLevel: uartLineLevel)
    }

    /// Builds a fresh VM from `snapshot` in the order the kernel needs (MinimalVMM.docc/Migration.md,
    /// "Restore order"): VM and RAM, vCPUs initialised as the source's, their registers but the
    /// counters and their power states, the vgic in the same layout, the GIC state, the counters.
    public static func restore(
        _ snapshot: MachineSnapshot, configuration: LinuxMachineConfiguration, on kvm: borrowing KVM,
        report: inout MigrationReport
    ) throws(MachineError) -> MigrationTarget {
        var start = ckvm_monotonic_ns()
        var creationIoctls = 0
        let vm = try LinuxMachine.step("target KVM_CREATE_VM") { () throws(KVMError) in try kvm.createVM() }
        creationIoctls += 3  // KVM_GET_VCPU_MMAP_SIZE, KVM_CREATE_VM, KVM_CHECK_EXTENSION (layout 2)
        let memory = try LinuxMachine.step("target RAM") { () throws(KVMError) in
            let memory = try vm.allocateGuestMemory(bytes: Int(configuration.ram.size))
            try vm.mapMemory(memory, slot: 0, guestAddress: configuration.ram.address)
            return memory
        }
        creationIoctls += 1
        var vcpus = VCPUSet()
        for file in snapshot.vcpus {
            let vcpu = try LinuxMachine.step("target vCPU \(file.id)") { () throws(KVMError) in
                var target = try vm.preferredTarget()
                target.features.insert(.psci02)
                let vcpu = try vm.createVCPU(id: file.id)
                try vcpu.initialize(target)
                return vcpu
            }
            do throws(VCPUSetError) { try vcpus.insert(vcpu) } catch { throw .vcpuSet(error) }
            creationIoctls += 4  // KVM_ARM_PREFERRED_TARGET, KVM_CREATE_VCPU, KVM_ARM_VCPU_INIT, MPIDR_EL1
        }
        let creation = ckvm_monotonic_ns() - start

        start = ckvm_monotonic_ns()
        guard snapshot.memory.restore(into: memory) else { throw .other("the saved RAM is not the target's size") }
        report.memoryRestore = .init(nanoseconds: ckvm_monotonic_ns() - start, ioctls: 0)

        start = ckvm_monotonic_ns()
        var ioctls = 0
        for file in snapshot.vcpus {
            let refusals = vcpus.withVCPU(id: file.id) { vcpu in file.restore(.state, into: vcpu, ioctls: &ioctls) } ?? []
            report.refusals += refusals.map { $0.description }
        }
        report.vcpuRestore = .init(nanoseconds: ckvm_monotonic_ns() - start, ioctls: ioctls)

        // The vgic after every vCPU exists and has its MPIDR_EL1 back: GICSnapshot's identity and
        // every per-vCPU selector are affinities.
        start = ckvm_monotonic_ns()
        let gic = try createGIC(on: vm, configuration.gic, vcpus.identities, step: "target vgic-v3")
        creationIoctls += configuration.its ? 9 : 6
        report.targetCreation = .init(nanoseconds: creation + ckvm_monotonic_ns() - start, ioctls: creationIoctls)

        start = ckvm_monotonic_ns()
        var tally = AccessTally()
        do throws(SnapshotError) {
            try vcpus.whileStopped { (stopped) throws(SnapshotError) in
                try gic.restoreSnapshot(snapshot.gic, stopped, tally: &tally)
            }
        } catch {
            throw .snapshot(step: "restoring the GIC", error)
        }
        report.gicRestore = .init(nanoseconds: ckvm_monotonic_ns() - start, ioctls: tally.total)

        start = ckvm_monotonic_ns()
        ioctls = 0
        for file in snapshot.vcpus {
            let refusals = vcpus.withVCPU(id: file.id) { vcpu in file.restore(.counters, into: vcpu, ioctls: &ioctls) } ?? []
            report.refusals += refusals.map { $0.description }
        }
        report.counterRestore = .init(nanoseconds: ckvm_monotonic_ns() - start, ioctls: ioctls)
        return MigrationTarget(vm: vm, memory: memory, gic: gic, vcpus: vcpus)
    }

    /// `VGIC.create`, its refusal named by `step`.
    static func createGIC(
        on vm: borrowing VirtualMachine, _ configuration: VGICConfiguration, _ vcpus: [VCPUIdentity], step: String
    ) throws(MachineError) -> VGIC {
        do throws(VGICError) {
            return try VGIC.create(on: vm, configuration: configuration, vcpus: vcpus)
        } catch {
            throw .gic(step: step, error)
        }
    }

    /// Reads the target back (every register, the GIC) and records how it differs from the
    /// snapshot; the vCPUs must not have run.
    public static func verify(
        _ target: inout MigrationTarget, against snapshot: MachineSnapshot, report: inout MigrationReport
    ) throws(MachineError) {
        let start = ckvm_monotonic_ns()
        var ioctls = 0
        for file in snapshot.vcpus {
            let readBack = try target.vcpus.withVCPU(id: file.id) { (vcpu) throws(MachineError) -> VCPURegisterFile in
                do throws(KVMError) {
                    return try VCPURegisterFile.capture(vcpu, ioctls: &ioctls)
                } catch {
                    throw .kernel(step: "reading back vCPU \(file.id)", error)
                }
            }
            if let readBack { report.differences += file.differences(from: readBack) }
        }
        var tally = AccessTally()
        do throws(SnapshotError) {
            let gic = try target.vcpus.whileStopped { (stopped) throws(SnapshotError) in
                try target.gic.captureSnapshot(stopped, tally: &tally)
            }
            report.gicReadsBack = gic == snapshot.gic
        } catch {
            throw .snapshot(step: "reading back the target's GIC", error)
        }
        report.verification = .init(nanoseconds: ckvm_monotonic_ns() - start, ioctls: ioctls + tally.total)
    }
}
