import GICVocabulary
import KVM
import KVMSimulation
import VGIC

/// One simulated kernel, one VM and its vCPUs (ids `vcpuIDs`, identities read back from the
/// kernel). A class because it owns `~Copyable` handles that a function could not hand back
/// together.
final class Machine {
    let kernel: SimulatedKernel
    let kvm: KVM
    let vm: VirtualMachine
    let vcpus: [VCPUIdentity]

    init(_ kernel: SimulatedKernel = SimulatedKernel(), vcpuIDs: [UInt32] = [0, 1]) throws {
        self.kernel = kernel
        let kvm = try KVM.open(interface: .simulated(kernel))
        let vm = try kvm.createVM()
        var vcpus: [VCPUIdentity] = []
        for id in vcpuIDs { vcpus.append(try VCPUIdentity(reading: try vm.createVCPU(id: id))) }
        self.kvm = kvm
        self.vm = vm
        self.vcpus = vcpus
    }

    /// A GICv3 at the usual place: distributor at 128 MiB, a legacy redistributor block above it.
    static let layout = VGICConfiguration.v3(
        distributor: 0x0800_0000, redistributors: .legacy(base: 0x080A_0000), interruptCount: 128)

    func gicv3(_ configuration: VGICConfiguration = Machine.layout) throws(VGICError) -> VGIC {
        try VGIC.create(on: vm, configuration: configuration, vcpus: vcpus)
    }
}

/// The errno a throwing call failed with, or nil if it succeeded.
func errno<T>(_ body: () throws(VGICError) -> T) -> Errno? {
    do throws(VGICError) {
        _ = try body()
        return nil
    } catch {
        return error.errno
    }
}

/// The errno a throwing KVM-layer call failed with, or nil if it succeeded.
func kvmErrno<T>(_ body: () throws(KVMError) -> T) -> Errno? {
    do throws(KVMError) {
        _ = try body()
        return nil
    } catch {
        return error.errno
    }
}
