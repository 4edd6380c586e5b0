import GICVocabulary
import Testing

@testable import KVM

/// The ioctl sequences that creating KVM objects issues, recorded by the simulator: the order
/// the kernel demands (vCPUs before CTRL_INIT, the mmap of kvm_run right after each vCPU) is
/// visible here without a kernel.
@Suite("Creation sequences")
struct CreationSequenceTests {
    @Test("open checks the API version, and a wrong version is refused")
    func openChecksVersion() throws {
        let sim = SyscallSimulator()
        let kvm = try KVM.open(interface: .simulated(sim))
        let version = kvm.apiVersion
        #expect(version == 12)
        #expect(sim.calls.map(\.attempt.request) == [.open, .getAPIVersion, .checkExtension])

        final class OldKernel: SyscallSimulator {
            override func answer(fd: Int32, attempt: Attempt, argument: UnsafeMutableRawPointer?, value: UInt) -> Int {
                attempt.request == .getAPIVersion ? 11 : super.answer(fd: fd, attempt: attempt, argument: argument, value: value)
            }
        }
        let old = OldKernel()
        #expect(throws: KVMError.unexpectedAnswer(Attempt(.getAPIVersion), value: 11)) {
            _ = try KVM.open(interface: .simulated(old))
        }
        #expect(old.closed.count == 1, "the fd opened before the refusal is closed")
    }

    @Test("a missing /dev/kvm is ENOENT on open")
    func missingDevice() {
        let sim = SyscallSimulator()
        #expect(throws: KVMError.kernel(.ENOENT, Attempt(.open))) {
            _ = try KVM.open(path: "/nonexistent/kvm", interface: .simulated(sim))
        }
    }

    @Test("VM + vCPU + vgic-v3 creation issues exactly this sequence")
    func vmVCPUDeviceSequence() throws {
        let sim = SyscallSimulator()
        do {
            let kvm = try KVM.open(interface: .simulated(sim))
            let vm = try kvm.createVM()
            let target = try vm.preferredTarget()
            #expect(target.target == 5)
            let vcpu = try vm.createVCPU(id: 0)
            try vcpu.initialize(VCPUConfiguration(target: target.target, features: [.psci02]))
            let gic = try vm.createDevice(.vgicV3)
            try gic.set(.nrIRQs, to: 64)
            try gic.perform(.control(.initialize))
        }
        let sequence = sim.calls.map { call in
            (call.attempt.request, call.attempt.attribute?.group, call.attempt.argument, call.value)
        }
        let expected: [(Request, AttributeGroup?, UInt64?, UInt64?)] = [
            (.open, nil, nil, nil),
            (.getAPIVersion, nil, nil, nil),
            (.checkExtension, nil, 102, nil),
            (.getVCPUMmapSize, nil, nil, nil),
            (.createVM, nil, 0, nil),
            (.checkExtension, nil, 174, nil),
            (.armPreferredTarget, nil, nil, nil),
            (.createVCPU, nil, 0, nil),
            (.mmap, nil, 3 * 4096, nil),
            (.armVCPUInit, nil, 1 << 2, nil),
            (.createDevice, nil, 7, nil),
            (.setDeviceAttr, .nrIRQs, nil, 64),
            (.setDeviceAttr, .control, nil, nil),
            (.close, nil, nil, nil), (.close, nil, nil, nil), (.close, nil, nil, nil), (.close, nil, nil, nil),
        ]
        #expect(sequence.count == expected.count)
        for (got, want) in zip(sequence, expected) {
            #expect(got.0 == want.0 && got.1 == want.1 && got.2 == want.2 && got.3 == want.3, "\(got) vs \(want)")
        }
    }

    @Test("every fd is closed exactly once and every mapping released")
    func closedExactlyOnce() throws {
        let sim = SyscallSimulator()
        do {
            let kvm = try KVM.open(interface: .simulated(sim))
            let vm = try kvm.createVM()
            let a = try vm.createVCPU(id: 0)
            let b = try vm.createVCPU(id: 1)
            let dup = try vm.duplicate()
            let its = try vm.createDevice(.vgicITS)
            _ = (a.id, b.id, dup.ipaBits, its.type)
        }
        let opened = sim.calls.compactMap { call -> Int32? in nil ?? (call.attempt.request == .close ? call.fd : nil) }
        #expect(Set(opened).count == opened.count, "no fd closed twice")
        #expect(opened.count == 6, "system, VM, 2 vCPUs, the dup, the ITS")
        #expect(sim.objects.isEmpty)
        #expect(sim.liveMappings == 0)
    }

    @Test("IPA size: explicit sizes are checked against the host limit before KVM_CREATE_VM")
    func ipaSize() throws {
        let sim = SyscallSimulator()
        let kvm = try KVM.open(interface: .simulated(sim))
        let vm = try kvm.createVM(ipaBits: 36)
        let bits = vm.ipaBits
        #expect(bits == 36)
        #expect(sim.calls(.createVM).last?.attempt.argument == 36)
        sim.clearCalls()
        #expect(throws: KVMError.invalidArgument(Attempt(.createVM, argument: 49), reason: .ipaSize(requested: 49, hostLimit: 48))) {
            _ = try kvm.createVM(ipaBits: 49)
        }
        #expect(throws: KVMError.invalidArgument(Attempt(.createVM, argument: 31), reason: .ipaSize(requested: 31, hostLimit: 48))) {
            _ = try kvm.createVM(ipaBits: 31)
        }
        #expect(sim.calls(.createVM).isEmpty, "no VM was requested for a refused size")
    }
}
