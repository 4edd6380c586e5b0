import GICVocabulary
import Testing

@testable import KVM

/// The README's quickstart, verbatim apart from the simulator: if the API drifts from the
/// documentation, this stops compiling or fails.
@Suite("README quickstart")
struct ReadmeQuickstartTests {
    @Test("the quickstart creates a vgic-v3, raises SPI 40 and reads per-vCPU registers by affinity")
    func quickstart() throws {
        let sim = SyscallSimulator()
        sim.mpidrForVCPU = { _ in 0x8000_0100 }  // Aff1 = 1: not the index, on purpose

        let kvm = try KVM.open(interface: .simulated(sim))
        let vm = try kvm.createVM()
        let target = try vm.preferredTarget()
        let vcpu = try vm.createVCPU(id: 0)
        try vcpu.initialize(VCPUConfiguration(target: target.target, features: [.psci02]))

        let gic = try vm.createDevice(.vgicV3)
        try gic.set(.nrIRQs, to: 64)
        try gic.set(.address(.v3Distributor), to: 0x0800_0000)
        try gic.set(.address(.v3Redistributor), to: 0x080A_0000)
        try gic.perform(.control(.initialize))

        let spi = try SPI(intid: 40)
        try vm.setIRQLine(.spi(spi), level: true)

        let affinity = Affinity(mpidr: try vcpu.mpidr())
        _ = try gic.get(.redistributorRegister(RegisterAttr(affinity: affinity, offset: 0x10200)))
        let _: UInt64 = try gic.get(.cpuSysreg(affinity, SysRegEncoding(op0: 3, op1: 0, crn: 4, crm: 6, op2: 0)))

        let reads = sim.calls(.getDeviceAttr).compactMap(\.attempt.attribute)
        #expect(reads.map(\.attr) == [0x0000_0100_0001_0200, 0x0000_0100_0000_C230])
        #expect(sim.calls(.irqLine).map(\.attempt.argument) == [0x0100_0028])
    }
}
