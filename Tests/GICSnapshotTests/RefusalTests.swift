import GICSnapshot
import GICVocabulary
import KVM
import KVMSimulation
import Testing
import VGIC
import TestSupport

/// Every snapshot that does not fit its target is refused with a typed error naming the
/// mismatch, and no write reaches the kernel.
@Suite("Refusals")
struct RefusalTests {
    static let layout = TestLayout(vcpuIDs: [0, 1], interruptCount: 128)

    static func source(priorityBits: UInt32 = 5, revision: UInt32 = 3) throws -> GICSnapshot {
        let kernel = simulatedKernel(priorityBits: UInt8(priorityBits), revision: revision)
        var random = SeededRandom(seed: 21)
        return try withSimulatedVGIC(kernel, layout) { vgic, set in
            try applyRandomState(&random, operations: 30, vgic, set.identities, interruptCount: 128)
            return try capture(vgic, &set)
        }
    }

    /// Restores `snapshot` into a fresh target on `kernel`, built by `configure`/`targetLayout`;
    /// returns the error and checks that the target saw no write and its whole state is as before.
    static func refusal(
        _ snapshot: GICSnapshot, targetLayout: TestLayout = layout, kernel: SimulatedKernel = simulatedKernel(),
        configure: (SimulatedKernel) -> Void = { _ in }
    ) throws -> SnapshotError? {
        configure(kernel)
        return try withSimulatedVGIC(kernel, targetLayout) { vgic, set in
            let before = kernel.gicv3
            kernel.clearCalls()
            var tally = AccessTally()
            let error = restore(snapshot, vgic, &set, tally: &tally)
            #expect(kernel.calls(.setDeviceAttr).isEmpty, "a refused restore wrote")
            #expect(tally.writes == 0)
            #expect(before != nil && kernel.gicv3 == before)
            return error
        }
    }

    @Test("another vCPU count")
    func vcpuCount() throws {
        let error = try Self.refusal(try Self.source(), targetLayout: TestLayout(vcpuIDs: [0], interruptCount: 128))
        #expect(error == .mismatch(.vcpuCount(snapshot: 2, target: 1)))
    }

    @Test("another MPIDR for the same position: vCPU ids {0, 1} against {0, 2}")
    func mpidr() throws {
        let error = try Self.refusal(try Self.source(), targetLayout: TestLayout(vcpuIDs: [0, 2], interruptCount: 128))
        #expect(error == .mismatch(.vcpu(
            position: 1, snapshot: VCPUIdentity(id: 1, affinity: Affinity(aff0: 1)),
            target: VCPUIdentity(id: 2, affinity: Affinity(aff0: 2)))))
    }

    @Test("a VMM that sets MPIDR_EL1 itself: same ids, other affinities")
    func overriddenMPIDR() throws {
        let error = try Self.refusal(try Self.source()) { kernel in
            kernel.mpidrForVCPU = { id in (1 << 31) | UInt64(id) << 8 }
        }
        guard case .mismatch(.vcpu(position: 1, _, _))? = error else {
            Issue.record("expected a vCPU mismatch, got \(String(describing: error))")
            return
        }
    }

    @Test("another NR_IRQS")
    func interruptCount() throws {
        let error = try Self.refusal(try Self.source(), targetLayout: TestLayout(vcpuIDs: [0, 1], interruptCount: 256))
        #expect(error == .mismatch(.interruptCount(snapshot: 128, target: 256)))
    }

    @Test("frames elsewhere, or regions instead of a legacy block")
    func frames() throws {
        var moved = Self.layout
        moved.distributor = 0x0900_0000
        guard case .mismatch(.frames)? = try Self.refusal(try Self.source(), targetLayout: moved) else {
            Issue.record("distributor moved: not refused as .frames")
            return
        }
        var regions = Self.layout
        regions.regions = true
        guard case .mismatch(.frames)? = try Self.refusal(try Self.source(), targetLayout: regions) else {
            Issue.record("regions: not refused as .frames")
            return
        }
    }

    @Test("more priority bits than the target: the kernel would refuse ICC_CTLR_EL1")
    func priorityBits() throws {
        let snapshot = try Self.source(priorityBits: 7)
        #expect(snapshot.identity.vcpus[0].activePriorityCount == 4)
        #expect(snapshot.bank(.activePriorities(group: 1), in: .vcpu(0))?.values.count == 4)
        let error = try Self.refusal(snapshot, kernel: simulatedKernel(priorityBits: 5))
        #expect(error == .mismatch(.priorityBits(
            vcpu: VCPUIdentity(id: 0, affinity: Affinity(aff0: 0)), snapshot: 7, target: 5)))
    }

    @Test("fewer priority bits than the target are refused by default, with nothing written")
    func fewerPriorityBitsRefused() throws {
        let snapshot = try Self.source(priorityBits: 5)
        let error = try Self.refusal(snapshot, kernel: simulatedKernel(priorityBits: 7))
        #expect(error == .mismatch(.priorityBits(
            vcpu: VCPUIdentity(id: 0, affinity: Affinity(aff0: 0)), snapshot: 5, target: 7)))
    }

    @Test("with .allowFewerPriorityBits they are accepted, and the target then reports them")
    func fewerPriorityBitsAllowed() throws {
        let snapshot = try Self.source(priorityBits: 5)
        let kernel = simulatedKernel(priorityBits: 7)
        let again = try withSimulatedVGIC(kernel, Self.layout) { vgic, set in
            var tally = AccessTally()
            if let error = restore(snapshot, vgic, &set, tally: &tally, compatibility: .allowFewerPriorityBits) { throw error }
            return try capture(vgic, &set)
        }
        #expect(again == snapshot)
    }

    @Test("a GICv2 snapshot into a GICv3")
    func gicVersion() throws {
        var snapshot = try Self.source()
        snapshot.identity.gicVersion = .v2
        #expect(try Self.refusal(snapshot) == .mismatch(.gicVersion(snapshot: .v2, target: .v3)))
    }

    @Test("an IIDR revision newer than the target's, or another implementer")
    func implementation() throws {
        let snapshot = try Self.source(revision: 3)
        let error = try Self.refusal(snapshot, kernel: simulatedKernel(revision: 2))
        #expect(error == .mismatch(.implementation(snapshot: 0x4B00_343B, target: 0x4B00_243B)))
        var other = snapshot
        other.identity.iidr ^= 1
        guard case .mismatch(.implementation)? = try Self.refusal(other) else {
            Issue.record("another implementer was not refused")
            return
        }
    }

    @Test("an ITS on one side only")
    func its() throws {
        var withITS = Self.layout
        withITS.its = true
        #expect(try Self.refusal(try Self.source(), targetLayout: withITS) == .mismatch(.its(snapshot: false, target: true)))
        let snapshot = try withSimulatedVGIC(simulatedKernel(), withITS) { vgic, set in try capture(vgic, &set) }
        #expect(snapshot.its != nil && snapshot.identity.hasITS)
        #expect(try Self.refusal(snapshot) == .mismatch(.its(snapshot: true, target: false)))
    }

    @Test("GICD_TYPER2, GICR_TYPER and ICC_CTLR_EL1 that the target cannot take")
    func identityRegisters() throws {
        let snapshot = try Self.source()
        var typer2 = snapshot
        typer2.identity.typer2 = 1 << 8
        #expect(try Self.refusal(typer2) == .mismatch(.typer2(snapshot: 1 << 8, target: 0)))
        var typer = snapshot
        typer.identity.vcpus[1].redistributorType ^= 1 << 4
        guard case .mismatch(.redistributor(let vcpu, _, _))? = try Self.refusal(typer), vcpu.id == 1 else {
            Issue.record("GICR_TYPER change not refused for vCPU 1")
            return
        }
        var seis = snapshot
        let ctlr = seis.vcpus[0].banks.firstIndex { $0.register == .system(ICCRegister.iccCTLR) }!
        try seis.vcpus[0].banks[ctlr].edit(at: 0) { $0 ^ 1 << 14 }
        guard case .mismatch(.cpuInterface)? = try Self.refusal(seis) else {
            Issue.record("SEIS change not refused")
            return
        }
    }

    @Test("sections this build cannot restore")
    func foreignSections() throws {
        var snapshot = try Self.source()
        snapshot.foreignSections = [ForeignSection(type: 17, version: 1, payload: [0xAA])]
        #expect(try Self.refusal(snapshot) == .mismatch(.foreignSections([17])))
    }

    @Test("a malformed snapshot is refused before the target is even read")
    func malformed() throws {
        var snapshot = try Self.source()
        snapshot.distributor.removeAll { $0.register == .distributor(.gicdIROUTER) }
        let kernel = simulatedKernel()
        let error: SnapshotError? = try withSimulatedVGIC(kernel, Self.layout) { vgic, set in
            kernel.clearCalls()
            var tally = AccessTally()
            return restore(snapshot, vgic, &set, tally: &tally)
        }
        #expect(error == .malformed(.missingBank(.distributor(.gicdIROUTER), .distributor)))
        #expect(kernel.calls(.getDeviceAttr).isEmpty && kernel.calls(.setDeviceAttr).isEmpty)
    }

    @Test("capture and restore refuse a vgic before CTRL_INIT, without an ioctl")
    func notInitialised() throws {
        let snapshot = try Self.source()
        let kernel = simulatedKernel()
        let kvm = try KVM.open(interface: .simulated(kernel))
        let vm = try kvm.createVM()
        var set = VCPUSet()
        try set.insert(try vm.createVCPU(id: 0))
        try set.insert(try vm.createVCPU(id: 1))
        let vgic = try VGIC.createUninitialised(on: vm, version: .v3)
        kernel.clearCalls()
        var tally = AccessTally()
        #expect(restore(snapshot, vgic, &set, tally: &tally) == .unsupported(.notInitialised))
        #expect(throws: SnapshotError.unsupported(.notInitialised)) { try capture(vgic, &set) }
        #expect(kernel.calls(.getDeviceAttr).isEmpty && kernel.calls(.setDeviceAttr).isEmpty)
    }

    @Test("a vCPU inside KVM_RUN: the kernel's EBUSY comes back typed, as .vcpusRunning")
    func running() throws {
        let kernel = simulatedKernel()
        let error: SnapshotError? = try withSimulatedVGIC(kernel, Self.layout) { vgic, set in
            kernel.vcpuInKVMRun = true
            let proof = StoppedVCPUs(unsafelyAssumingStopped: set.identities)
            do throws(SnapshotError) {
                _ = try vgic.captureSnapshot(proof)
                return nil
            } catch {
                return error
            }
        }
        guard case .reading(nil, .distributor, .vcpusRunning(_))? = error else {
            Issue.record("expected .reading(nil, .distributor, .vcpusRunning), got \(String(describing: error))")
            return
        }
    }
}
