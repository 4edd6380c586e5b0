import CheckedVGIC
import GICModel
import GICVocabulary
import KVM
import KVMSimulation
import VGIC

/// A VM with `count` vCPUs on `kernel`, a legacy-layout vgic-v3 with `interruptCount` IRQs, and a
/// checked device around it whose model reproduces `checkedAs`. The kernel's own vgic is a model
/// too (`SimulatedKernel`); tests make it deliberately different (another kernel line, a tampered
/// state, an injected fault) and assert what the cross-check reports.
func makeChecked(
    on kernel: SimulatedKernel, vcpus count: UInt32 = 4, interruptCount: UInt32? = nil,
    checkedAs behaviour: KernelBehaviour = .linux7, mutations: ModelMutation = []
) throws -> CheckedVGIC {
    let kvm = try KVM.open(interface: .simulated(kernel))
    let vm = try kvm.createVM()
    var vcpus: [VCPUIdentity] = []
    for id in 0..<count {
        let vcpu = try vm.createVCPU(id: id)
        vcpus.append(try VCPUIdentity(reading: vcpu))
    }
    let configuration = VGICConfiguration.v3(
        distributor: 0x800_0000, redistributors: .legacy(base: 0x80A_0000), interruptCount: interruptCount)
    return try CheckedVGIC.create(
        on: vm, configuration: configuration, vcpus: vcpus, kernel: behaviour, mutations: mutations)
}

/// A simulated kernel whose vgic-v3 is changed by `tamper` right after CTRL_INIT.
func tamperedKernel(_ tamper: @escaping (inout GICv3Model) -> Void) -> SimulatedKernel {
    let kernel = SimulatedKernel()
    kernel.afterGICv3Initialisation = tamper
    return kernel
}

/// A fuzzer factory over a new simulated kernel each time (a fresh VM per replay).
func factory(
    _ makeKernel: @escaping () -> SimulatedKernel, checkedAs behaviour: KernelBehaviour = .linux7,
    mutations: ModelMutation = []
) -> DifferentialFuzzer.Factory {
    { () throws(VGICError) in
        do {
            return try makeChecked(on: makeKernel(), checkedAs: behaviour, mutations: mutations)
        } catch let error as VGICError {
            throw error
        } catch {
            throw .configuration(.noVCPUs)
        }
    }
}
