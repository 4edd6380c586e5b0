import GICVocabulary
import KVM
import KVMSimulation
import GICv5Model
import VGIC

/// Creates `count` vCPUs and reads their identities back (the vCPU fds close on return, which
/// the simulator does not mind).
func identities(_ vm: borrowing VirtualMachine, count: UInt32) throws -> [VCPUIdentity] {
    var result: [VCPUIdentity] = []
    for id in 0..<count {
        let vcpu = try vm.createVCPU(id: id)
        result.append(try VCPUIdentity(reading: vcpu))
    }
    return result
}

let mib: UInt64 = 0x10_0000

/// A valid GICv3 layout for tests: distributor at 8 MiB, two-region redistributors above it.
func v3Layout(its: UInt64? = nil, count: UInt32? = nil) throws -> VGICConfiguration {
    .v3(
        distributor: 8 * mib,
        redistributors: .regions([
            try RedistributorRegion(count: 2, base: 9 * mib, index: 0),
            try RedistributorRegion(count: 2, base: 10 * mib, index: 1),
        ]),
        its: its, interruptCount: count)
}

/// The smallest valid GICv3 layout: distributor at 0, legacy redistributors at 64 KiB.
let legacyV3 = VGICConfiguration.v3(distributor: 0, redistributors: .legacy(base: 0x10000))

/// A GICv2 layout for tests.
let v2Layout = VGICConfiguration.v2(distributor: 0x8000_0000, cpuInterface: 0x8001_0000)

/// One simulated arm64 KVM, one VM and its vCPUs (identities read back from the kernel).
///
/// A class because it owns `~Copyable` handles that a function could not hand back together
/// (no tuple of them); tests borrow `fixture.vm` for as long as the fixture lives.
final class VMFixture {
    let sim: SyscallSimulator
    let kvm: KVM
    let vm: VirtualMachine
    let vcpus: [VCPUIdentity]

    /// - Parameters:
    ///   - mpidr: the MPIDR each simulated vCPU reports, when it should differ from KVM's
    ///     reset value for its id.
    ///   - keepCalls: keep the setup's calls in `sim.calls` (default: cleared, so a test sees
    ///     only what it issued itself).
    init(
        _ sim: SyscallSimulator = SyscallSimulator(), vcpus count: UInt32 = 1,
        mpidr: ((UInt32) -> UInt64)? = nil, keepCalls: Bool = false
    ) throws {
        if let mpidr { sim.mpidrForVCPU = mpidr }
        self.sim = sim
        let kvm = try KVM.open(interface: .simulated(sim))
        let vm = try kvm.createVM()
        vcpus = try identities(vm, count: count)
        self.kvm = kvm
        self.vm = vm
        if !keepCalls { sim.clearCalls() }
    }
}

/// `VMFixture` plus a vgic on the VM, created after the vCPUs as `gic` says.
final class VGICFixture {
    /// How the fixture's vgic comes to be.
    enum GIC {
        /// `VGIC.create(on:configuration:vcpus:)`: configured and initialised.
        case created(VGICConfiguration)
        /// `VGIC.createUninitialised(on:version:)`: the device only.
        case uninitialised(GICVersion)
    }

    let sim: SyscallSimulator
    let kvm: KVM
    let vm: VirtualMachine
    let vcpus: [VCPUIdentity]
    var vgic: VGIC

    init(
        _ sim: SyscallSimulator = SyscallSimulator(), vcpus count: UInt32 = 1,
        mpidr: ((UInt32) -> UInt64)? = nil, gic: GIC = .created(legacyV3), keepCalls: Bool = false
    ) throws {
        if let mpidr { sim.mpidrForVCPU = mpidr }
        self.sim = sim
        let kvm = try KVM.open(interface: .simulated(sim))
        let vm = try kvm.createVM()
        let vcpus = try identities(vm, count: count)
        switch gic {
        case .created(let configuration):
            vgic = try VGIC.create(on: vm, configuration: configuration, vcpus: vcpus)
        case .uninitialised(let version):
            vgic = try VGIC.createUninitialised(on: vm, version: version)
        }
        self.vcpus = vcpus
        self.kvm = kvm
        self.vm = vm
        if !keepCalls { sim.clearCalls() }
    }
}

/// A simulated GICv5 host on Linux 7.1 (`SimulatedKernel`), as far as the vgic-v5 device and
/// `KVM_IRQ_LINE` go: a `userspacePPIs` mask other than 7.1's `{SW_PPI}` stands for a later
/// kernel, and `takesSPIs` for an IRS with GICv5 SPIs (64 Ki of them, so any 16-bit ID is one).
func gicv5Kernel(userspacePPIs: GICv5PPISet? = nil, takesSPIs: Bool = false) -> SimulatedKernel {
    SimulatedKernel(host: .gicv5(GICv5VMConfiguration(spiCount: takesSPIs ? 0x1_0000 : 0), userspacePPIs: userspacePPIs))
}
