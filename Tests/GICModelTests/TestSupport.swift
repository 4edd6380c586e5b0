import GICModel
import GICVocabulary
import Testing

/// A 4-vCPU, 256-IRQ model with KVM's reset affinities: the shape the lab fuzzes.
func makeModel(
    interruptCount: UInt32 = 256, vcpus: UInt32 = 4, its: Bool = false, kernel: KernelBehaviour = .linux7,
    host: HostCPUInterface = .qemuMax, mutations: ModelMutation = []
) -> GICv3Model {
    var configuration = GICv3ModelConfiguration.vcpus(vcpus, interruptCount: interruptCount, kernel: kernel, host: host)
    configuration.hasITS = its
    configuration.mutations = mutations
    return GICv3Model(configuration: configuration)
}

/// The affinity KVM gives vCPU `id` (Aff0 = id for ids below 16).
func cpu(_ id: UInt32) -> Affinity { .kvmResetDefault(vcpuID: id) }

/// An affinity no vCPU of the test models has.
let nobody = Affinity(aff2: 9, aff1: 9, aff0: 9)

/// Runs a typed-throwing body and captures the refusal, so a test can compare the whole outcome.
func outcome<T>(_ body: () throws(ModelRefusal) -> T) -> Result<T, ModelRefusal> {
    do throws(ModelRefusal) {
        return .success(try body())
    } catch {
        return .failure(error)
    }
}

/// Just the errno of a refusal, or nil on success.
func errno<T>(_ body: () throws(ModelRefusal) -> T) -> KernelErrno? {
    do throws(ModelRefusal) {
        _ = try body()
        return nil
    } catch {
        return error.errno
    }
}

/// The distributor word of `register` that holds `intid`.
func dword(_ model: GICv3Model, _ register: GICv3Register, _ intid: UInt32) throws -> UInt32 {
    model.readDistributor(offset: try register.location(of: intid).offset)
}

/// The offset of the distributor word of `register` that holds `intid`.
func doffset(_ register: GICv3Register, _ intid: UInt32) throws -> UInt32 {
    try register.location(of: intid).offset
}

/// A selector for LEVEL_INFO.
func lines(_ vcpu: UInt32, _ first: UInt32) throws -> LevelInfoSelector {
    try LevelInfoSelector(affinity: cpu(vcpu), firstINTID: first)
}

/// The bit of `intid` in a 1-bit-per-interrupt word.
func bit(_ intid: UInt32) -> UInt32 { 1 << (intid % 32) }
