import Testing

@testable import KVM

/// The escape hatch for C code: the fd lent is the one the owner's own ioctls go to, and
/// lending neither closes nor duplicates it.
@Suite("Raw descriptors")
struct RawDescriptorTests {
    @Test("VM, vCPU and device lend the fds their ioctls use, without closing them")
    func lends() throws {
        let sim = SyscallSimulator()
        let kvm = try KVM.open(interface: .simulated(sim))
        let vm = try kvm.createVM()
        let vcpu = try vm.createVCPU(id: 0)
        let device = try vm.createDevice(.vgicV3)
        let vmFD = vm.withRawDescriptor { $0 }
        let vcpuFD = vcpu.withRawDescriptor { $0 }
        let deviceFD = device.withRawDescriptor { $0 }
        #expect(sim.calls.first { $0.attempt.request == .createVCPU }?.fd == vmFD)
        #expect(sim.calls.first { $0.attempt.request == .createDevice }?.fd == vmFD)
        #expect(Set([vmFD, vcpuFD, deviceFD]).count == 3)
        #expect(sim.closed.isEmpty)
        _ = try vcpu.mpidr()
        #expect(sim.calls.last?.fd == vcpuFD)
    }

    @Test("a throwing body's error passes through unchanged")
    func passesErrorsThrough() throws {
        struct Marker: Error, Equatable {}
        let sim = SyscallSimulator()
        let kvm = try KVM.open(interface: .simulated(sim))
        let vm = try kvm.createVM()
        #expect(throws: Marker()) { try vm.withRawDescriptor { (_) throws(Marker) in throw Marker() } }
    }
}

@Suite("VCPUExit descriptions")
struct VCPUExitDescriptionTests {
    @Test("exits read as what happened", arguments: [
        (VCPUExit.mmio(.init(address: 0xA00_0000, data: 0x28, length: 4, isWrite: true)), "MMIO write of 4 bytes at 0xa000000 data 0x28"),
        (.mmio(.init(address: 0x1000, data: 0, length: 8, isWrite: false)), "MMIO read of 8 bytes at 0x1000"),
        (.systemEvent(type: 1), "system event 1"),
        (.failEntry(reason: 0x10), "entry failed, hardware reason 0x10"),
        (.other(reason: 99), "exit reason 99"),
    ])
    func describe(exit: VCPUExit, text: String) {
        #expect(exit.description == text)
    }
}
