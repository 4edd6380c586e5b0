import Testing

@testable import KVM

@Suite("Host probe")
struct HostProbeTests {
    @Test("an arm64 host reports caps and which vgic devices can be created, creating none")
    func arm64Probe() throws {
        let sim = SyscallSimulator(deviceTypes: [.vgicV3, .vgicITS])
        let probe = try HostProbe.probe(interface: .simulated(sim))
        #expect(probe.apiVersion == 12)
        #expect(probe.ipaLimit == 48)
        #expect(probe.maxVCPUs == 512)
        #expect(probe.irqLineLayout2)
        #expect(probe.canCreate(.vgicV3) && probe.canCreate(.vgicITS))
        #expect(!probe.canCreate(.vgicV2) && !probe.canCreate(.vgicV5))
        #expect(probe.lines.contains("device ARM_VGIC_V5(16): not offered by this host (ENODEV)"))
        #expect(sim.calls(.createDevice).count == 4, "one test-create per probed type")
        #expect(sim.objects.isEmpty, "every fd, including the scratch VM, is closed")
    }

    @Test("an x86 host is refused with notArm64 before any arm64 ioctl")
    func x86Probe() {
        let sim = SyscallSimulator(machine: "x86_64")
        #expect(throws: KVMError.notArm64(machine: "x86_64", refused: Attempt(.createVM, argument: 0))) {
            _ = try HostProbe.probe(interface: .simulated(sim))
        }
        #expect(!sim.calls.contains { $0.attempt.request.isArm64Only })
    }
}
