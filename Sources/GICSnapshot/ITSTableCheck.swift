import GICModel
import GICVocabulary
import VGIC

/// Why the ITS tables in restored guest RAM would not load: what `ITS_RESTORE_TABLES` would
/// refuse, found by the ITS model (`ITSModel.restoreTables`, GICModel.docc/ITSModel.md) before
/// the kernel is asked.
public struct ITSTableProblem: Hashable, Sendable, CustomStringConvertible {
    /// The errno the kernel would return: EFAULT for a table, ITT, property or pending table entry
    /// outside guest RAM, EINVAL for an entry that breaks a rule (a DeviceID, EventID or LPI out of
    /// range, a collection targeting a vCPU that does not exist), EEXIST for a collection listed
    /// twice.
    public let errno: KernelErrno

    public init(errno: KernelErrno) { self.errno = errno }

    public var description: String { "the ITS tables in guest RAM would be refused with \(errno)" }
}

/// The ITS model loaded from a snapshot and the tables in guest RAM (`GICSnapshot.loadITSModel`).
public struct ITSModelLoad {
    /// The vgic model: the snapshot's vCPUs with their PROPBASER, PENDBASER and EnableLPIs, and the
    /// LPIs the tables mapped.
    public var gic: GICv3Model
    /// The ITS: its registers (GITS_CTLR aside) and what the tables held.
    public var its: ITSModel
    /// The refusal met on the way, or nil when the tables loaded.
    public var problem: ITSTableProblem?
}

extension GICSnapshot {
    /// This snapshot's ITS loaded into the model as a restore loads it into the kernel
    /// (`RestoreOrder`'s LPI registers, then `ITSRestoreOrder` up to `ITS_RESTORE_TABLES`), from
    /// the tables in `memory`, which it changes as the kernel would (consumed pending bits). Nil
    /// without an ITS.
    public func loadITSModel<Memory: GuestPhysicalMemory>(kernel: KernelBehaviour, memory: inout Memory) -> ITSModelLoad? {
        guard let its else { return nil }
        var configuration = GICv3ModelConfiguration(
            interruptCount: identity.interruptCount, vcpuAffinities: identity.vcpus.map { $0.identity.affinity }, hasITS: true,
            kernel: kernel)
        configuration.vcpuIDs = identity.vcpus.map { $0.identity.id }
        var gic = GICv3Model(configuration: configuration)
        var model = ITSModel(kernel: kernel)
        func saved(_ register: GICv3Register, _ position: Int) -> UInt64 {
            bank(.redistributor(register), in: .vcpu(position))?.values.first ?? 0
        }
        for (position, layout) in identity.vcpus.enumerated() {
            for (register, offset) in [(GICv3Register.gicrPROPBASER, UInt32(0x70)), (.gicrPENDBASER, 0x78)] {
                let value = saved(register, position)
                try? gic.writeRedistributor(layout.identity.affinity, offset: offset, UInt32(truncatingIfNeeded: value))
                try? gic.writeRedistributor(layout.identity.affinity, offset: offset + 4, UInt32(truncatingIfNeeded: value >> 32))
            }
        }
        for position in identity.vcpus.indices {
            let control = UInt32(truncatingIfNeeded: saved(.gicrCTLR, position))
            _ = gic.writeLPIRegister(vcpu: position, offset: GICv3Register.gicrCTLR.offset, control & 1, memory: memory)
        }
        var load = ITSModelLoad(gic: gic, its: model, problem: nil)
        for (step, _) in ITSRestoreOrder.steps {
            guard case .register(let register, let index) = step, register != .gitsCTLR,
                let value = its.value(register, index: index)
            else { continue }
            if let errno = model.userspaceWrite(register, index: index, value, gic: &gic, memory: &memory).errno {
                load = ITSModelLoad(gic: gic, its: model, problem: ITSTableProblem(errno: errno))
                return load
            }
        }
        let errno = model.restoreTables(gic: &gic, memory: &memory).errno
        return ITSModelLoad(gic: gic, its: model, problem: errno.map { ITSTableProblem(errno: $0) })
    }

    /// Loads this snapshot's ITS tables from `memory` (the guest RAM the VMM restored) into the
    /// model (`loadITSModel`, on a copy: `memory` is not changed) and returns the refusal the
    /// kernel would give, or nil.
    ///
    /// The kernel lines agree on every refusal; where they differ (an LPI two events map) the
    /// restore succeeds on both (`KernelBehaviour.itsRefusesSharedLPI`).
    public func itsTableProblem<Memory: GuestPhysicalMemory>(in memory: Memory) -> ITSTableProblem? {
        var scratch = memory
        return loadITSModel(kernel: .linux7, memory: &scratch)?.problem
    }
}
