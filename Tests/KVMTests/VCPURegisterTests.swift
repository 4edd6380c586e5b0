import CKVM
import GICVocabulary
import Testing

@testable import KVM

/// A vCPU's register file through the choke point: `KVM_GET_REG_LIST`'s two-call protocol,
/// registers of every size the list names, the power state, and `immediate_exit`
/// (KVM.docc/VCPURegisters.md).
@Suite("vCPU registers")
struct VCPURegisterTests {
    /// One initialised vCPU on `sim`, lent to `body` after the calls recorded so far are cleared.
    static func withVCPU(
        _ sim: SyscallSimulator, features: Set<VCPUConfiguration.Feature> = [.psci02],
        _ body: (borrowing VirtualMachine, borrowing VCPU) throws -> Void
    ) throws {
        let kvm = try KVM.open(interface: .simulated(sim))
        let vm = try kvm.createVM()
        let vcpu = try vm.createVCPU(id: 0)
        try vcpu.initialize(VCPUConfiguration(target: 5, features: features))
        sim.clearCalls()
        try body(vm, vcpu)
    }

    @Test("KVM_GET_REG_LIST is asked twice: room for none (E2BIG with the count), then room for all")
    func registerListProtocol() throws {
        let sim = SyscallSimulator()
        try Self.withVCPU(sim) { _, vcpu in
            let list = try vcpu.registerList()
            #expect(list.map(\.id) == SyscallSimulator.typicalRegisterList)
            #expect(sim.calls.map(\.attempt) == [Attempt(.getRegList, vcpu: 0), Attempt(.getRegList, vcpu: 0)])
        }
    }

    @Test("an empty list is one call")
    func emptyList() throws {
        let sim = SyscallSimulator()
        sim.registerList = []
        try Self.withVCPU(sim) { _, vcpu in
            let list = try vcpu.registerList()
            #expect(list.isEmpty)
            #expect(sim.calls.count == 1)
        }
    }

    @Test("a list that grows between the two calls is refused, naming both counts")
    func growingList() throws {
        final class GrowingKernel: SyscallSimulator, @unchecked Sendable {
            override func answer(fd: Int32, attempt: Attempt, argument: UnsafeMutableRawPointer?, value: UInt) -> Int {
                let result = super.answer(fd: fd, attempt: attempt, argument: argument, value: value)
                if attempt.request == .getRegList { registerList.append(0x6030_0000_0013_0000) }
                return result
            }
        }
        let sim = GrowingKernel()
        try Self.withVCPU(sim) { _, vcpu in
            let count = SyscallSimulator.typicalRegisterList.count
            #expect(throws: KVMError.invalidArgument(
                Attempt(.getRegList, vcpu: 0), reason: .registerListChanged(sized: count, needed: count + 1))) {
                _ = try vcpu.registerList()
            }
        }
    }

    @Test(
        "the size is the id's bits 55:52",
        arguments: [
            (UInt64(0x6020_0000_0010_00D4), 4),  // FPSR
            (0x6030_0000_0010_0040, 8),  // PC
            (0x6040_0000_0010_0054, 16),  // V0
            (0x6080_0000_0015_0000, 256),  // an SVE Z register slice
        ])
    func sizes(id: UInt64, bytes: Int) {
        #expect(OneRegister(id: id).byteCount == bytes)
    }

    @Test("the register spaces", arguments: [
        (UInt64(0x6030_0000_0010_0040), OneRegister.Space.core), (0x6030_0000_0013_C005, .system),
        (0x6030_0000_0014_0000, .firmware), (0x6020_0000_0011_0000, .demultiplexed), (0x6030_0000_0016_0000, .other(0x16)),
    ])
    func spaces(id: UInt64, space: OneRegister.Space) {
        #expect(OneRegister(id: id).space == space)
    }

    @Test("registers of 4, 8 and 16 bytes round-trip in their own size")
    func anySize() throws {
        let sim = SyscallSimulator()
        try Self.withVCPU(sim) { _, vcpu in
            let values: [(OneRegister, RegisterValue)] = [
                (OneRegister(id: 0x6020_0000_0010_00D4), RegisterValue(0x0800_0010, byteCount: 4)),
                (.pc, RegisterValue(0x4020_0000, byteCount: 8)),
                (OneRegister(id: 0x6040_0000_0010_0054), RegisterValue(bytes: (0..<16).map { UInt8($0 * 17) })),
            ]
            for (register, value) in values {
                try vcpu.set(register, to: value)
                #expect(try vcpu.value(of: register) == value, "\(register)")
            }
            #expect(try vcpu.get(.pc) == 0x4020_0000)
            #expect(sim.calls.map(\.attempt.request) == [.setOneReg, .getOneReg, .setOneReg, .getOneReg, .setOneReg, .getOneReg, .getOneReg])
        }
    }

    @Test("a value of the wrong size is refused before the ioctl, and so is a UInt64 for a 16-byte register")
    func sizeRefusals() throws {
        let sim = SyscallSimulator()
        try Self.withVCPU(sim) { _, vcpu in
            let v0 = OneRegister(id: 0x6040_0000_0010_0054)
            #expect(throws: KVMError.invalidArgument(
                Attempt(.setOneReg, vcpu: 0, argument: v0.id), reason: .registerSize(register: v0.id, registerBytes: 16, valueBytes: 8))) {
                try vcpu.set(v0, to: RegisterValue(1, byteCount: 8))
            }
            #expect(throws: KVMError.invalidArgument(
                Attempt(.getOneReg, vcpu: 0, argument: v0.id), reason: .registerSize(register: v0.id, registerBytes: 16, valueBytes: 8))) {
                _ = try vcpu.get(v0)
            }
            #expect(throws: KVMError.invalidArgument(
                Attempt(.setOneReg, vcpu: 0, argument: v0.id), reason: .registerSize(register: v0.id, registerBytes: 16, valueBytes: 8))) {
                try vcpu.set(v0, to: UInt64(1))
            }
            #expect(sim.calls.isEmpty)
        }
    }

    @Test("the power state: KVM_ARM_VCPU_POWER_OFF starts a vCPU stopped; KVM_SET_MP_STATE changes it")
    func mpState() throws {
        let sim = SyscallSimulator()
        try Self.withVCPU(sim, features: [.psci02, .powerOff]) { vm, vcpu in
            #expect(try vcpu.mpState() == .stopped)
            try vcpu.setMPState(.runnable)
            #expect(try vcpu.mpState() == .runnable)
            #expect(sim.calls.map(\.attempt) == [
                Attempt(.getMPState, vcpu: 0), Attempt(.setMPState, vcpu: 0, argument: 0), Attempt(.getMPState, vcpu: 0),
            ])
            let second = try vm.createVCPU(id: 1)
            try second.initialize(VCPUConfiguration(target: 5, features: [.psci02]))
            #expect(try second.mpState() == .runnable)
            #expect(MPState(rawValue: 10) == .suspended)
            #expect(MPState(rawValue: 3) == .other(3))
        }
    }

    @Test("immediate_exit is byte 1 of kvm_run")
    func immediateExit() throws {
        let sim = SyscallSimulator()
        try Self.withVCPU(sim) { _, vcpu in
            #expect(CKVM_OFFSETOF_RUN_IMMEDIATE_EXIT == 1)
            let before = vcpu.immediateExit
            #expect(!before)
            vcpu.immediateExit = true
            #expect(vcpu.immediateExitFlag.pointee == 1)
            vcpu.immediateExitFlag.pointee = 0
            let after = vcpu.immediateExit
            #expect(!after)
        }
    }

    @Test("the timer registers' ids, KVM_REG_ARM_TIMER_CNT and _CVAL swapped as the uAPI has them")
    func timerIDs() {
        #expect(OneRegister.virtualTimerControl.id == 0x6030_0000_0013_DF19)
        #expect(OneRegister.virtualTimerCount.id == 0x6030_0000_0013_DF1A)
        #expect(OneRegister.virtualTimerCompare.id == 0x6030_0000_0013_DF02)
        #expect(OneRegister.physicalTimerControl.id == 0x6030_0000_0013_DF11)
        #expect(OneRegister.physicalTimerCount.id == 0x6030_0000_0013_DF01)
        #expect(OneRegister.physicalTimerCompare.id == 0x6030_0000_0013_DF12)
    }

    @Test("guest memory is lent whole as raw bytes")
    func guestMemoryBytes() throws {
        let sim = SyscallSimulator()
        let kvm = try KVM.open(interface: .simulated(sim))
        let vm = try kvm.createVM()
        let memory = try vm.allocateGuestMemory(bytes: 2 * 4096)
        memory.withUnsafeMutableBytes { bytes in
            #expect(bytes.count == 8192)
            bytes[4097] = 0xAB
        }
        #expect(memory.byte(at: 4097) == 0xAB)
    }
}
