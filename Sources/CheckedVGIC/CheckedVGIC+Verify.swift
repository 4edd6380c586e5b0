import GICModel
import GICVocabulary
import KVM
import VGIC

/// Reading the kernel back and comparing it with the model.
extension CheckedVGIC {
    /// Reads every stateful register of the kernel (each distributor bank up to NR_IRQS, every
    /// vCPU's RD and SGI frames, ICC registers, line levels) and returns every difference from the
    /// model, field by field. Hundreds of ioctls: at tens of microseconds each under emulation,
    /// milliseconds.
    public mutating func verify(_ coverage: GICv3Model.Coverage = .state) -> [StateDifference] {
        compare(model.stateLocations(coverage))
    }

    /// Reads only the registers `operation` can change (see `GICv3Model.affectedLocations(of:)`)
    /// and returns their differences: the cheap per-step check of the fuzzer.
    public mutating func verify(affectedBy operation: GICv3Operation) -> [StateDifference] {
        compare(model.affectedLocations(of: operation))
    }

    /// The kernel's snapshot at every state location.
    public mutating func kernelSnapshot(_ coverage: GICv3Model.Coverage = .state) -> Snapshot {
        Snapshot(entries: model.stateLocations(coverage).map { Snapshot.Entry(location: $0, outcome: read($0)) })
    }

    /// Reads `locations` from the kernel and compares each with the model.
    public mutating func compare(_ locations: [RegisterLocation]) -> [StateDifference] {
        var differences: [StateDifference] = []
        for location in locations {
            differences += model.differences(at: location, actual: read(location))
        }
        return differences
    }

    /// The kernel's answer at `location`, read through the `VGIC` API.
    public mutating func read(_ location: RegisterLocation) -> AccessOutcome {
        do throws(VGICError) {
            switch location {
            case .distributor(let register, let index):
                kernelAccesses += Int(register.elementSize / 4)
                return .value(try vgic.distributorRegister(register, index: index))
            case .redistributor(let register, let index, let vcpu):
                kernelAccesses += Int(register.elementSize / 4)
                return .value(try vgic.redistributorRegister(register, index: index, of: identity(vcpu)))
            case .lineLevels(let vcpu, let first):
                kernelAccesses += 1
                return .value(UInt64(try vgic.lineLevels(try Self.selector(vcpu, first))))
            case .systemRegister(let register, let vcpu):
                kernelAccesses += 1
                return .value(try vgic.systemRegister(register, of: identity(vcpu)))
            }
        } catch {
            guard let errno = error.errno else { return .refused(KernelErrno(rawValue: -1)) }
            return .refused(KernelErrno(rawValue: errno.rawValue))
        }
    }
}
