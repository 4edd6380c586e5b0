import GICModel
import GICSnapshot
import GICVocabulary
import KVM
import KVMSimulation
import Testing
import VGIC

@testable import MinimalVMM

/// The migration's halves on a recording simulated kernel: what `capture` reads, the order in
/// which `restore` builds the target, the ioctl counts the report claims, and a target that reads
/// back as saved (MinimalVMM.docc/Migration.md).
@Suite("Migration sequence")
struct MigrationSequenceTests {
    static let configuration = Fixtures.configuration

    /// A source machine's parts on `kernel`: 2 vCPUs with some register values set, RAM with two
    /// pages written, the vgic with a level line raised; `body` gets them.
    static func withSource(
        _ kernel: SimulatedKernel, _ body: (inout VCPUSet, borrowing VGIC, borrowing GuestMemory) throws -> Void
    ) throws {
        let kvm = try KVM.open(interface: .simulated(kernel))
        let vm = try kvm.createVM()
        let memory = try vm.allocateGuestMemory(bytes: Int(configuration.ram.size))
        try vm.mapMemory(memory, slot: 0, guestAddress: configuration.ram.address)
        _ = memory.write([1, 2, 3], at: 0)
        _ = memory.write([9], at: 5 * 4096 + 17)
        var vcpus = VCPUSet()
        for id: UInt32 in 0..<2 {
            let vcpu = try vm.createVCPU(id: id)
            try vcpu.initialize(VCPUConfiguration(target: 5, features: id == 0 ? [.psci02] : [.psci02, .powerOff]))
            try vcpu.set(.pc, to: 0x4000_0000 + UInt64(id) * 4)
            try vcpu.set(OneRegister(id: 0x6040_0000_0010_0054), to: RegisterValue(bytes: (0..<16).map { UInt8($0 + Int(id)) }))
            try vcpu.set(.virtualTimerCount, to: 0x1234 + UInt64(id))
            try vcpus.insert(vcpu)
        }
        let gic = try VGIC.create(on: vm, configuration: configuration.gic, vcpus: vcpus.identities)
        try gic.setDistributorRegister(.gicdICFGR, index: 2, to: 0)  // SPIs 32–47 level
        try gic.setLevel(configuration.uartSPI, true)
        try body(&vcpus, gic, memory)
    }

    @Test("capture: per vCPU the list (twice), every register, the power state; then the GIC; the report counts them")
    func capture() throws {
        let kernel = SimulatedKernel(host: .qemuMax, kernel: .linux7)
        try Self.withSource(kernel) { vcpus, gic, memory in
            kernel.clearCalls()
            var report = MigrationReport()
            let snapshot = try Migration.capture(vcpus: &vcpus, gic: gic, memory: memory, uart: PL011(), uartLineLevel: true, report: &report)
            let registers = SyscallSimulator.typicalRegisterList.count
            let requests = kernel.calls.map(\.attempt.request)
            let perVCPU: [Request] = [.getRegList, .getRegList] + Array(repeating: .getOneReg, count: registers) + [.getMPState]
            #expect(Array(requests.prefix(2 * perVCPU.count)) == perVCPU + perVCPU)
            #expect(requests.dropFirst(2 * perVCPU.count).allSatisfy { $0 == .getDeviceAttr }, "then the GIC, reads only")
            #expect(report.vcpuCapture.ioctls == 2 * perVCPU.count)
            #expect(report.gicCapture.ioctls == kernel.calls.count - 2 * perVCPU.count)
            #expect(report.registersPerVCPU == registers)
            #expect(snapshot.vcpus.map(\.mpState) == [.runnable, .stopped])
            #expect(snapshot.vcpus[1].values[snapshot.vcpus[1].registers.firstIndex(of: .pc)!].low64 == 0x4000_0004)
            #expect(snapshot.memory.pages == [0, 5])
            #expect(snapshot.lineLevel(33) == true)
        }
    }

    @Test("restore: VM, RAM, vCPUs, registers but the counters and the power states, the vgic, the GIC, the counters last")
    func restoreOrder() throws {
        let kernel = SimulatedKernel(host: .qemuMax, kernel: .linux7)
        try Self.withSource(kernel) { vcpus, gic, memory in
            var report = MigrationReport()
            let snapshot = try Migration.capture(vcpus: &vcpus, gic: gic, memory: memory, uart: PL011(), uartLineLevel: true, report: &report)
            let kvm = try KVM.open(interface: .simulated(kernel))
            kernel.clearCalls()
            var target = try Migration.restore(snapshot, configuration: Self.configuration, on: kvm, report: &report)
            let calls = kernel.calls.filter { $0.attempt.request != .mmap }
            let requests = calls.map(\.attempt.request)
            let counters = [OneRegister.virtualTimerCount.id, OneRegister.physicalTimerCount.id]
            let registers = SyscallSimulator.typicalRegisterList.count

            // VM and RAM, then each vCPU created and initialised.
            #expect(Array(requests.prefix(4)) == [.getVCPUMmapSize, .createVM, .checkExtension, .setUserMemoryRegion])
            let vcpuCreation: [Request] = [.armPreferredTarget, .createVCPU, .armVCPUInit, .getOneReg]
            #expect(Array(requests[4..<12]) == vcpuCreation + vcpuCreation)
            // Each vCPU's registers but the counters, in list order, then its power state.
            let stateWrites = Array(calls[12..<(12 + 2 * (registers - 2 + 1))])
            #expect(stateWrites.allSatisfy { $0.attempt.request == .setOneReg || $0.attempt.request == .setMPState })
            #expect(stateWrites.filter { counters.contains($0.attempt.argument ?? 0) }.isEmpty, "no counter before the GIC")
            #expect(stateWrites[registers - 2].attempt == Attempt(.setMPState, vcpu: 0, argument: 0))
            #expect(stateWrites.last?.attempt == Attempt(.setMPState, vcpu: 1, argument: 5))
            // Then the vgic is created and restored, and the counters come last.
            let rest = Array(requests[(12 + stateWrites.count)...])
            #expect(rest.first == .checkExtension, "VGIC.create's vCPU limit")
            #expect(rest.contains(.createDevice))
            let tail = Array(calls.suffix(4))
            #expect(tail.map(\.attempt.request) == [.setOneReg, .setOneReg, .setOneReg, .setOneReg])
            #expect(tail.map { $0.attempt.argument ?? 0 } == counters + counters)
            #expect(tail.map { $0.attempt.vcpu } == [0, 0, 1, 1])

            // The counts the report claims are the simulator's.
            let creation = report.targetCreation.ioctls
            #expect(creation == requests.filter { [.getVCPUMmapSize, .createVM, .setUserMemoryRegion, .armPreferredTarget, .createVCPU, .armVCPUInit].contains($0) }.count
                + 2 /* MPIDR reads */ + 1 /* layout-2 capability */ + 6 /* VGIC.create: limit, create, NR_IRQS, two addresses, INIT */)
            #expect(report.vcpuRestore.ioctls == stateWrites.count)
            #expect(report.counterRestore.ioctls == 4)
            #expect(report.refusals.isEmpty)

            try Migration.verify(&target, against: snapshot, report: &report)
            #expect(report.differences.isEmpty, "the simulator keeps what was written: \(report.differences)")
            #expect(report.gicReadsBack == true)
            let restoredByte = target.memory.byte(at: 5 * 4096 + 17)
            #expect(restoredByte == 9)
            #expect(kernel.gicv3?.interrupt(33, vcpu: 0).line == true, "the level line is up in the target")
        }
    }

    @Test("saved memory keeps only the pages that are not all zero, and writes them back in place")
    func savedMemory() throws {
        let kernel = SimulatedKernel()
        let kvm = try KVM.open(interface: .simulated(kernel))
        let vm = try kvm.createVM()
        let source = try vm.allocateGuestMemory(bytes: 16 * 4096)
        _ = source.write([0xFF], at: 3 * 4096 + 4095)
        _ = source.write([1], at: 15 * 4096)
        let saved = SavedMemory(copying: source)
        #expect(saved.pages == [3, 15])
        #expect(saved.storedBytes == 2 * 4096)
        let target = try vm.allocateGuestMemory(bytes: 16 * 4096)
        let restored = saved.restore(into: target)
        #expect(restored)
        let bytes = (target.byte(at: 3 * 4096 + 4095), target.byte(at: 15 * 4096))
        #expect(bytes.0 == 0xFF && bytes.1 == 1)
        let small = try vm.allocateGuestMemory(bytes: 8 * 4096)
        let refused = !saved.restore(into: small)
        let untouched = small.byte(at: 3 * 4096 + 4095)
        #expect(refused && untouched == 0)
    }

    @Test("a register file's differences: changed values, registers one side lacks, the power state")
    func differences() {
        let a = VCPURegisterFile(
            id: 1, registers: [.pc, .virtualTimerCount], values: [RegisterValue(4, byteCount: 8), RegisterValue(10, byteCount: 8)],
            mpState: .runnable)
        var b = a
        b.values[1] = RegisterValue(11, byteCount: 8)
        b.registers.append(.mpidr)
        b.values.append(RegisterValue(1, byteCount: 8))
        b.mpState = .stopped
        let differences = a.differences(from: b)
        #expect(differences.map(\.register) == [.virtualTimerCount, .mpidr, nil])
        #expect(differences[1].before == nil)
        #expect(VCPURegisterFile.isCounter(.physicalTimerCount) && !VCPURegisterFile.isCounter(.virtualTimerCompare))
    }
}
