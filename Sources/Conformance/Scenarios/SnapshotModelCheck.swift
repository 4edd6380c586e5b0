import CheckedVGIC
import GICModel
import GICSnapshot
import GICVocabulary
import VGIC

/// "The model agrees with the restored kernel" (issue 5): a reference model of the target vgic
/// starts from KVM's reset state and receives the same restore, step by step from the same
/// `RestoreOrder` table, through the model's userspace-access entry points; every register the
/// kernel shows after its restore must then read the same in the model.
///
/// Only the interpretation of the four step kinds lives here (the order is the table's), so a
/// step the kernel applies differently from the model shows up as a named register.
enum SnapshotModelCheck {
    /// A model of a freshly initialised target with `snapshot`'s layout: its vCPUs' affinities in
    /// snapshot order, the kernel line from `kernelRelease`, the host CPU-interface fields from
    /// the target's ICC_CTLR_EL1 (`targetControl`).
    static func model(
        for snapshot: GICSnapshot, targetControl: UInt64, kernelRelease: String, redistributors: Redistributors?
    ) -> GICv3Model {
        GICv3Model(configuration: GICv3ModelConfiguration(
            interruptCount: snapshot.identity.interruptCount,
            vcpuAffinities: snapshot.identity.vcpus.map { $0.identity.affinity },
            hasITS: false, kernel: KernelBehaviour(release: kernelRelease) ?? .linux7,
            host: HostCPUInterface(iccCTLR: targetControl), redistributors: RedistributorLayout(redistributors)))
    }

    /// Applies `snapshot` to `model` as `VGIC.restoreSnapshot` applies it to the kernel.
    static func restore(_ snapshot: GICSnapshot, into model: inout GICv3Model) throws(ScenarioFailure) {
        let vcpus = snapshot.identity.vcpus.map { $0.identity.affinity }
        for phase in RestoreOrder.phases {
            let scopes: [(SnapshotScope, Affinity)] = switch phase.scope {
            case .distributor: [(.distributor, vcpus[0])]
            case .eachVCPU: vcpus.enumerated().map { (.vcpu($0.offset), $0.element) }
            }
            for (scope, affinity) in scopes {
                for step in phase.steps {
                    try apply(step, snapshot, scope, affinity, &model)
                }
            }
        }
    }

    /// The first element of `kernel` (a capture after the kernel's restore) that the model reads
    /// differently, or nil when they agree everywhere.
    static func firstDisagreement(_ model: GICv3Model, _ kernel: GICSnapshot) -> String? {
        let vcpus = kernel.identity.vcpus.map { $0.identity.affinity }
        for entry in kernel.entries {
            let affinity: Affinity = switch entry.scope {
            case .distributor: vcpus[0]
            case .vcpu(let position): vcpus[position]
            }
            let predicted: UInt64
            do throws(ModelRefusal) {
                predicted = try read(entry.register, entry.index, affinity, model)
            } catch {
                return "\(entry.scope) \(entry.register.name)[\(entry.index)]: kernel \(hex(entry.value)), model refused (\(error))"
            }
            if predicted != entry.value {
                return "\(entry.scope) \(entry.register.name)[\(entry.index)]: kernel \(hex(entry.value)), model \(hex(predicted))"
            }
        }
        return nil
    }

    private static func apply(
        _ step: RestoreStep, _ snapshot: GICSnapshot, _ scope: SnapshotScope, _ affinity: Affinity, _ model: inout GICv3Model
    ) throws(ScenarioFailure) {
        do throws(ModelRefusal) {
            switch step.operation {
            case .implementation:
                try model.writeDistributor(offset: GICv3Register.gicdIIDR.offset, snapshot.identity.iidr)
            case .writeBack(let register):
                guard let bank = snapshot.bank(register, in: scope) else { return }
                for (index, value) in zip(bank.indices, bank.values) {
                    try write(register, index, value, affinity, &model)
                }
            case .writeBackIfDifferent(let register):
                guard let bank = snapshot.bank(register, in: scope) else { return }
                for (index, value) in zip(bank.indices, bank.values) where try read(register, index, affinity, model) != value {
                    try write(register, index, value, affinity, &model)
                }
            case .clear(let register, let paired):
                guard let bank = snapshot.bank(paired, in: scope) else { return }
                for index in bank.indices {
                    try write(register.frame.isRedistributor ? .redistributor(register) : .distributor(register),
                              index, 0xFFFF_FFFF, affinity, &model)
                }
            }
        } catch {
            throw ScenarioFailure("model refused restore step \(step) in \(scope): \(error)")
        }
    }

    /// Element `index` of `register` as the snapshot numbers them (`SnapshotRegister`'s doc):
    /// a 32-bit word for banks, INTID for GICD_IROUTER (low word only), both halves of a 64-bit
    /// redistributor register, 32 INTIDs per LEVEL_INFO element, APRn for the APR banks.
    private static func write(
        _ register: SnapshotRegister, _ index: UInt32, _ value: UInt64, _ affinity: Affinity, _ model: inout GICv3Model
    ) throws(ModelRefusal) {
        switch register {
        case .distributor(let bank):
            try model.writeDistributor(offset: offset(bank, index), UInt32(truncatingIfNeeded: value))
        case .redistributor(let bank):
            try model.writeRedistributor(affinity, offset: offset(bank, index), UInt32(truncatingIfNeeded: value))
            if bank.width == .bits64 {
                try model.writeRedistributor(affinity, offset: offset(bank, index) + 4, UInt32(truncatingIfNeeded: value >> 32))
            }
        case .lineLevels:
            try model.writeLineLevels(selector(index, affinity), UInt32(truncatingIfNeeded: value))
        case .system(let sysreg):
            try model.writeSystemRegister(affinity, sysreg.encoding, value)
        case .activePriorities(let group):
            try model.writeSystemRegister(affinity, activePriority(group, index), value)
        }
    }

    private static func read(
        _ register: SnapshotRegister, _ index: UInt32, _ affinity: Affinity, _ model: GICv3Model
    ) throws(ModelRefusal) -> UInt64 {
        switch register {
        case .distributor(let bank):
            return UInt64(model.readDistributor(offset: offset(bank, index)))
        case .redistributor(let bank):
            let low = UInt64(try model.readRedistributor(affinity, offset: offset(bank, index)))
            guard bank.width == .bits64 else { return low }
            return UInt64(try model.readRedistributor(affinity, offset: offset(bank, index) + 4)) << 32 | low
        case .lineLevels:
            return UInt64(try model.readLineLevels(selector(index, affinity)))
        case .system(let sysreg):
            return try model.readSystemRegister(affinity, sysreg.encoding)
        case .activePriorities(let group):
            return try model.readSystemRegister(affinity, activePriority(group, index))
        }
    }

    /// The attr offset of element `index`: 8 bytes per GICD_IROUTER element (its low word), 4
    /// per word of the other banks, the register itself for single registers.
    private static func offset(_ register: GICv3Register, _ index: UInt32) -> UInt32 {
        register.offset + index * (register.bitsPerInterrupt == 64 ? 8 : 4)
    }

    private static func selector(_ index: UInt32, _ affinity: Affinity) throws(ModelRefusal) -> LevelInfoSelector {
        do throws(GICValueError) {
            return try LevelInfoSelector(affinity: affinity, firstINTID: index * LevelInfoSelector.intidsPerAccess)
        } catch {
            throw ModelRefusal(.EINVAL, .levelInfoMisaligned(index * LevelInfoSelector.intidsPerAccess))
        }
    }

    /// ICC_AP0Rn_EL1 is instr 0xC644 + n, ICC_AP1Rn_EL1 0xC648 + n (GICVocabulary.docc/GICv3RegisterMap.md).
    private static func activePriority(_ group: UInt8, _ index: UInt32) -> SysRegEncoding {
        SysRegEncoding(instr: (group == 0 ? 0xC644 : 0xC648) + UInt16(truncatingIfNeeded: index & 3))
    }
}

