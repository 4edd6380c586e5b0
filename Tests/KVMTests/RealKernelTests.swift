import Testing

@testable import KVM

/// What the machine running the tests really has.
enum RealKVM {
    /// `uname -m` of the running kernel, or nil without a usable `/dev/kvm`.
    static let machine: String? = {
        guard let kvm = try? KVM.open() else { return nil }
        return kvm.machine
    }()
    static var isArm64: Bool { machine == "aarch64" || machine == "arm64" }
    static var isOtherArchitecture: Bool { machine != nil && !isArm64 }
}

/// Checks against the real `/dev/kvm` of the test machine. On an arm64 KVM host the arm64 half
/// runs here; elsewhere it skips with the reason and the same checks run in the lab (the
/// `host.probe` and vgic scenarios of `kvm-gic conformance`).
@Suite("Real /dev/kvm")
struct RealKernelTests {
    @Test(
        "another architecture's real KVM refuses VM creation before any arm64 ioctl",
        .enabled(if: RealKVM.isOtherArchitecture, "needs a non-arm64 /dev/kvm (x86 development machines have one)"))
    func realRefusal() throws {
        let kvm = try KVM.open()
        let version = kvm.apiVersion
        #expect(version == 12)
        #expect(throws: KVMError.notArm64(machine: kvm.machine, refused: Attempt(.createVM, argument: 0))) {
            _ = try kvm.createVM()
        }
    }

    @Test(
        "a real arm64 KVM creates a VM, a vCPU and an initialised vgic-v3",
        .enabled(if: RealKVM.isArm64, "needs an arm64 /dev/kvm; this check runs in the lab (kvm-gic conformance)"))
    func realVGIC() throws {
        let kvm = try KVM.open()
        let vm = try kvm.createVM()
        let vcpu = try vm.createVCPU(id: 0)
        try vcpu.initialize(try vm.preferredTarget())
        let gic = try vm.createDevice(.vgicV3)
        try gic.set(.nrIRQs, to: 64)
        try gic.set(.address(.v3Distributor), to: 0x0800_0000)
        try gic.set(.address(.v3Redistributor), to: 0x080A_0000)
        try gic.perform(.control(.initialize))
        #expect(try gic.get(.nrIRQs) == 64)
        let mpidr = try vcpu.mpidr()
        #expect(mpidr & (1 << 31) != 0, "MPIDR_EL1 bit 31 is RES1")
    }
}
