import GICSnapshot
import GICVocabulary
import SnapshotFuzzSupport
import VGIC

/// The valid snapshots the fuzzer starts from: one per shape, deterministic, built from the
/// public API only (no test helpers). The committed seed corpus is their output, each in both
/// file forms; regenerate it after changing a shape or the format with
/// `swift run SnapshotFuzz --write-corpus Fuzz/corpus/snapshot`. The first shape is also the
/// reference every input is diffed against.
enum SeedSnapshots {
    /// Where the redistributors of a seed go.
    enum Placement {
        case none, legacy, regions
    }

    /// One seed: its file stem and what it exercises.
    struct Shape {
        let name: String
        let vcpuCount: Int
        let interruptCount: UInt32
        let placement: Placement
        /// A section this build does not read.
        let foreign: ForeignSection?
        /// An ITS (GICD_TYPER.LPIS and the ITS section).
        var its = false
    }

    static let shapes: [Shape] = [
        Shape(name: "1cpu-64irq-none", vcpuCount: 1, interruptCount: 64, placement: .none, foreign: nil),
        Shape(name: "2cpu-96irq-legacy", vcpuCount: 2, interruptCount: 96, placement: .legacy, foreign: nil),
        Shape(name: "4cpu-256irq-regions", vcpuCount: 4, interruptCount: 256, placement: .regions, foreign: nil),
        Shape(name: "2cpu-64irq-regions-its", vcpuCount: 2, interruptCount: 64, placement: .regions, foreign: nil, its: true),
        Shape(
            name: "3cpu-96irq-legacy-foreign", vcpuCount: 3, interruptCount: 96, placement: .legacy,
            foreign: ForeignSection(type: 40, version: 2, payload: [0xDE, 0xAD, 0xBE, 0xEF])),
    ]

    /// The reference of the fuzz entry point and the replayer.
    static let reference = snapshot(shapes[0], seed: 0)

    /// A snapshot of `shape` whose register values come from `seed`; `structuralProblem()` is nil.
    static func snapshot(_ shape: Shape, seed: UInt64) -> GICSnapshot {
        var random = SnapshotMutator.Source(seed: seed)
        let count = shape.interruptCount
        let layouts = (0..<shape.vcpuCount).map { position in
            let affinity = Affinity(aff1: UInt8(position / 2), aff0: UInt8(position))
            return VCPULayout(
                identity: VCPUIdentity(id: UInt32(position), affinity: affinity),
                redistributorType: UInt64(affinity.packed) << 32 | UInt64(position) << 8
                    | (position == shape.vcpuCount - 1 ? 1 << 4 : 0),
                priorityBits: [5, 6, 7][position % 3])
        }
        let redistributors: Redistributors?
        switch shape.placement {
        case .none: redistributors = nil
        case .legacy: redistributors = .legacy(base: 0x080A_0000)
        case .regions:
            redistributors = .regions([
                try! RedistributorRegion(count: 1, base: 0x0810_0000, index: 0),
                try! RedistributorRegion(count: UInt32(shape.vcpuCount), base: 0x0900_0000, index: 1),
            ])
        }
        let identity = SnapshotIdentity(
            gicVersion: .v3, iidr: 0x0304_B43B, typer: (count / 32 - 1) | 9 << 19 | (shape.its ? 1 << 17 : 0), typer2: 0,
            interruptCount: count,
            frames: FrameLayout(distributorBase: 0x0800_0000, redistributors: redistributors),
            vcpus: layouts)
        let control = SnapshotRegister.system(ICCRegister.named("ICC_CTLR_EL1")!)
        func banks(_ scope: RestoreStep.Scope, activePriorities: Int, priorityBits: UInt32) -> [RegisterBank] {
            RestoreOrder.savedRegisters(scope).map { register in
                let elements = SnapshotCoverage.elements(
                    of: register, in: scope, interruptCount: count, activePriorityCount: activePriorities)
                let values = elements.map { _ -> UInt64 in
                    if register == control { return UInt64(priorityBits - 1) << 8 | 1 << 11 }
                    // Mostly zero, like a real vgic; some bits set so values differ between seeds.
                    let word = random.next()
                    guard word % 4 == 0 else { return 0 }
                    return register.holds64Bits ? word >> 8 : word & 0xFFFF_FFFF
                }
                // Coverage ranges lie inside their register, so the bank cannot be refused.
                return try! RegisterBank(register, firstIndex: elements.lowerBound, values: values)
            }
        }
        return GICSnapshot(
            identity: identity,
            distributor: banks(.distributor, activePriorities: 0, priorityBits: 5),
            vcpus: layouts.map {
                VCPUState(banks: banks(.eachVCPU, activePriorities: $0.activePriorityCount, priorityBits: $0.priorityBits))
            },
            its: shape.its ? itsState(&random) : nil,
            foreignSections: shape.foreign.map { [$0] } ?? [])
    }

    /// An ITS at 0x0808_0000 with Valid tables and a queue in guest RAM, enabled, its queue offsets
    /// from `random`.
    static func itsState(_ random: inout SnapshotMutator.Source) -> ITSState {
        let offset = (random.next() % 128) * 32
        let values: [ITSRegister: UInt64] = [
            .gitsIIDR: 0x4B00_043B, .gitsCBASER: ITSRegister.validBit | 0x4016_0000, .gitsCREADR: offset, .gitsCWRITER: offset,
            .gitsCTLR: 0x8000_0001,
        ]
        let registers = ITSRestoreOrder.savedRegisters.map { saved -> ITSSavedValue in
            if saved.register == .gitsBASER {
                return ITSSavedValue(saved, ITSRegister.validBit | (saved.index == 0 ? 0x4100_0000 | 1 << 56 : 0x4015_0000 | 4 << 56) | 7 << 48)
            }
            return ITSSavedValue(saved, values[saved.register] ?? 0)
        }
        return ITSState(base: 0x0808_0000, registers: registers)
    }
}
