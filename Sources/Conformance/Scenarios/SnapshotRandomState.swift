import CheckedVGIC
import GICSnapshot
import GICVocabulary
import KVM
import VGIC

/// The random choices of a snapshot state: SplitMix64 (no Foundation), so a failing state
/// replays from its seed alone.
struct SnapshotRandom {
    /// The fuzzer's generator (`CheckedVGIC`), so both families replay from a seed the same way.
    private var generator: SplitMix64

    init(seed: UInt64) { generator = SplitMix64(seed: seed) }

    mutating func next() -> UInt64 { generator.next() }

    /// Uniform in 0..<bound (bound > 0).
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    mutating func word() -> UInt32 { UInt32(truncatingIfNeeded: next()) }

    /// A word with about one bit in eight set: latches and active bits stay sparse.
    mutating func sparseWord() -> UInt32 { word() & word() & word() }

    mutating func element<T>(_ values: [T]) -> T { values[below(values.count)] }
}

/// Drives a vgic into a random state through the public API: `KVM_IRQ_LINE` (SPI and PPI lines)
/// and guest-invisible register writes (groups, enables, priorities, routing, configuration,
/// pending latches, active bits, line levels, PROPBASER/PENDBASER and every ICC register).
enum SnapshotRandomState {
    /// Applies `operations` random changes to `vgic`, whose vCPUs are `vcpus`.
    static func apply(
        _ random: inout SnapshotRandom, operations: Int, to vgic: borrowing VGIC, vcpus: [VCPUIdentity],
        interruptCount: UInt32
    ) throws(VGICError) {
        let words = interruptCount / 32
        for _ in 0..<operations {
            let vcpu = random.element(vcpus)
            switch random.below(20) {
            case 0:
                try vgic.setDistributorRegister(.gicdCTLR, to: random.below(2) == 0 ? 0 : 2)
            case 1:
                try vgic.setDistributorRegister(.gicdIGROUPR, index: 1 + UInt32(random.below(Int(words - 1))), to: UInt64(random.word()))
            case 2:
                try vgic.setDistributorRegister(.gicdISENABLER, index: 1 + UInt32(random.below(Int(words - 1))), to: UInt64(random.word()))
            case 3:
                try vgic.setDistributorRegister(.gicdICENABLER, index: 1 + UInt32(random.below(Int(words - 1))), to: UInt64(random.word()))
            case 4:
                try vgic.setDistributorRegister(.gicdIPRIORITYR, index: 8 + UInt32(random.below(Int(interruptCount / 4 - 8))), to: UInt64(random.word()))
            case 5:
                try vgic.setDistributorRegister(.gicdICFGR, index: 2 + UInt32(random.below(Int(interruptCount / 16 - 2))), to: UInt64(random.word()))
            case 6:
                let intid = 32 + UInt32(random.below(Int(interruptCount - 32)))
                let target = random.below(4) == 0 ? UInt64(random.word() & 0xFF_FFFF) : UInt64(random.element(vcpus).affinity.packed & 0xFF_FFFF)
                try vgic.setDistributorRegister(.gicdIROUTER, index: intid, to: target)
            case 7:
                try vgic.setDistributorRegister(.gicdISPENDR, index: 1 + UInt32(random.below(Int(words - 1))), to: UInt64(random.sparseWord()))
            case 8:
                try vgic.setDistributorRegister(.gicdISACTIVER, index: 1 + UInt32(random.below(Int(words - 1))), to: UInt64(random.sparseWord()))
            case 9:
                let spi = try spiLine(32 + UInt32(random.below(Int(interruptCount - 32))))
                try vgic.setLevel(spi, random.below(3) != 0)
            case 10:
                // PPIs 16–24: clear of the timer PPIs (26–30), which KVM owns and ignores.
                let ppi = try ppiLine(16 + UInt32(random.below(9)))
                try vgic.setLevel(ppi, on: vcpu, random.below(3) != 0)
            case 11:
                let selector = try VGIC.levelSelector(covering: 32 * (1 + UInt32(random.below(Int(words - 1)))), of: vcpu)
                try vgic.setLineLevels(selector, to: random.sparseWord())
            case 12:
                try vgic.setRedistributorRegister(.gicrIGROUPR0, of: vcpu, to: UInt64(random.word()))
            case 13:
                try vgic.setRedistributorRegister(random.below(2) == 0 ? .gicrISENABLER0 : .gicrICENABLER0, of: vcpu, to: UInt64(random.word()))
            case 14:
                try vgic.setRedistributorRegister(.gicrIPRIORITYR, index: UInt32(random.below(8)), of: vcpu, to: UInt64(random.word()))
            case 15:
                try vgic.setRedistributorRegister(random.below(2) == 0 ? .gicrISPENDR0 : .gicrISACTIVER0, of: vcpu, to: UInt64(random.sparseWord()))
            case 16:
                try vgic.setRedistributorRegister(random.below(2) == 0 ? .gicrPROPBASER : .gicrPENDBASER, of: vcpu, to: random.next())
            case 17:
                try randomCPUInterface(&random, vgic, vcpu)
            case 18:
                try vgic.setRedistributorRegister(.gicrICACTIVER0, of: vcpu, to: UInt64(random.word()))
            default:
                try vgic.setDistributorRegister(.gicdICACTIVER, index: 1 + UInt32(random.below(Int(words - 1))), to: UInt64(random.word()))
            }
        }
    }

    /// One random ICC change: CBPR/EOImode (read-modify-write, the rest must stay), PMR, BPRs,
    /// group enables or an APR the vCPU's PRIbits allow.
    static func randomCPUInterface(_ random: inout SnapshotRandom, _ vgic: borrowing VGIC, _ vcpu: VCPUIdentity) throws(VGICError) {
        switch random.below(6) {
        case 0:
            let current = try vgic.systemRegister(.iccCTLR, of: vcpu)
            let state = ICCControl.cbprMask | ICCControl.eoiModeMask
            try vgic.setSystemRegister(.iccCTLR, of: vcpu, to: current & ~state | (random.next() & state))
        case 1:
            try vgic.setSystemRegister(.iccPMR, of: vcpu, to: random.next() & 0xFF)
        case 2:
            try vgic.setSystemRegister(random.below(2) == 0 ? .iccBPR0 : .iccBPR1, of: vcpu, to: random.next() & 7)
        case 3:
            try vgic.setSystemRegister(random.below(2) == 0 ? .iccIGRPEN0 : .iccIGRPEN1, of: vcpu, to: random.next() & 1)
        default:
            let control = ICCControl(rawValue: try vgic.systemRegister(.iccCTLR, of: vcpu))
            let index = random.below(control.activePriorityCount)
            let registers = random.below(2) == 0 ? ICCRegister.iccAP0R : ICCRegister.iccAP1R
            try vgic.setSystemRegister(registers[index], of: vcpu, to: UInt64(random.word()))
        }
    }

    static func spiLine(_ intid: UInt32) throws(VGICError) -> SPI {
        do throws(GICValueError) { return try SPI(intid: intid) } catch { throw .configuration(.invalidValue(error)) }
    }

    static func ppiLine(_ intid: UInt32) throws(VGICError) -> PPI {
        do throws(GICValueError) { return try PPI(intid: intid) } catch { throw .configuration(.invalidValue(error)) }
    }
}
