import GICModel
import GICSnapshot
import GICVocabulary
import KVM
import KVMSimulation
import VGIC
import TestSupport

/// The shared SplitMix64 with the helpers the snapshot tests use, so every random case replays
/// from the seed its failure message prints.
struct SeededRandom {
    private var generator: SplitMix64
    init(seed: UInt64) { generator = SplitMix64(seed: seed) }

    mutating func next() -> UInt64 { generator.next() }
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
    mutating func word() -> UInt32 { UInt32(truncatingIfNeeded: next()) }
    mutating func element<T>(_ values: [T]) -> T { values[below(values.count)] }
}

/// The layout of a test vgic.
struct TestLayout {
    var vcpuIDs: [UInt32] = [0, 1]
    var interruptCount: UInt32 = 128
    var regions = false
    var distributor: UInt64 = 0x0800_0000
    var its = false

    var configuration: VGICConfiguration {
        let base: UInt64 = 0x080A_0000
        let redistributors: Redistributors
        if regions, let region = try? RedistributorRegion(count: UInt32(vcpuIDs.count), base: base, index: 0) {
            redistributors = .regions([region])
        } else {
            redistributors = .legacy(base: base)
        }
        return .v3(distributor: distributor, redistributors: redistributors, its: its ? 0x0880_0000 : nil,
            interruptCount: interruptCount)
    }
}

/// A simulated kernel on a GICv3 host with `priorityBits` (24-bit IDs, no SEIS, no A3V), whose
/// vgic reports GICD_IIDR `revision` (3 is KVM's after CTRL_INIT; 2 as after a VMM wrote it).
func simulatedKernel(priorityBits: UInt8 = 5, revision: UInt32 = 3) -> SimulatedKernel {
    let host = HostCPUInterface(priorityBits: priorityBits, idBits: 1, seis: false, a3v: false)
    let kernel = SimulatedKernel(host: .gicv3(host))
    if revision != 3 {
        kernel.afterGICv3Initialisation = { model in
            try? model.writeDistributor(offset: GICv3Register.gicdIIDR.offset, 0x4B00_043B | revision << 12)
        }
    }
    return kernel
}

/// What any userspace reader can see of a vgic-v3: the model's state without edge interrupts'
/// line levels (LEVEL_INFO reports level interrupts only, `vgic_read_irq_line_level_info`) and
/// without ICC_BPR1's own value while CBPR is set (then BPR1 reads BPR0 + 1 and ignores writes,
/// `get_gic_bpr1` / `set_gic_bpr1`).
struct VisibleState: Equatable {
    var distributor: DistributorState
    var redistributors: [RedistributorState]

    init?(_ model: GICv3Model?) {
        guard let model else { return nil }
        func hidingEdgeLines(_ irqs: [InterruptState]) -> [InterruptState] {
            irqs.map { irq in
                var copy = irq
                if copy.edge { copy.line = false }
                return copy
            }
        }
        distributor = model.distributor
        distributor.spis = hidingEdgeLines(distributor.spis)
        redistributors = model.redistributors.map { redistributor in
            var copy = redistributor
            copy.privateInterrupts = hidingEdgeLines(copy.privateInterrupts)
            if copy.cpuInterface.cbpr { copy.cpuInterface.bpr1 = 0 }
            return copy
        }
    }
}

/// Builds a VM on `kernel` laid out as `layout`, with its vCPUs in a `VCPUSet` and an
/// initialised GICv3, and runs `body` on them.
func withSimulatedVGIC<Result>(
    _ kernel: SimulatedKernel, _ layout: TestLayout = TestLayout(),
    _ body: (borrowing VGIC, inout VCPUSet) throws -> Result
) throws -> Result {
    let kvm = try KVM.open(interface: .simulated(kernel))
    let vm = try kvm.createVM()
    var set = VCPUSet()
    for id in layout.vcpuIDs {
        let vcpu = try vm.createVCPU(id: id)
        try set.insert(vcpu)
    }
    let vgic = try VGIC.create(on: vm, configuration: layout.configuration, vcpus: set.identities)
    return try body(vgic, &set)
}

func capture(_ vgic: borrowing VGIC, _ set: inout VCPUSet) throws -> GICSnapshot {
    try set.whileStopped { (stopped) throws(SnapshotError) -> GICSnapshot in try vgic.captureSnapshot(stopped) }
}

/// The typed error restore threw, or nil if it succeeded.
func restore(
    _ snapshot: GICSnapshot, _ vgic: borrowing VGIC, _ set: inout VCPUSet, tally: inout AccessTally,
    compatibility: RestoreCompatibility = .exactLayout
) -> SnapshotError? {
    do throws(SnapshotError) {
        try set.whileStopped { (stopped) throws(SnapshotError) in try vgic.restoreSnapshot(snapshot, stopped, compatibility: compatibility, tally: &tally) }
        return nil
    } catch {
        return error
    }
}

/// Random guest-invisible writes and line changes through the VGIC API, as the lab does.
func applyRandomState(_ random: inout SeededRandom, operations: Int, _ vgic: borrowing VGIC, _ vcpus: [VCPUIdentity], interruptCount: UInt32) throws {
    let words = interruptCount / 32
    let ctlr = ICCRegister.iccCTLR
    for _ in 0..<operations {
        let vcpu = random.element(vcpus)
        let spiWord = 1 + UInt32(random.below(Int(words - 1)))
        switch random.below(14) {
        case 0: try vgic.setDistributorRegister(.gicdCTLR, to: random.below(2) == 0 ? 0 : 2)
        case 1: try vgic.setDistributorRegister(random.element([.gicdIGROUPR, .gicdISENABLER, .gicdICENABLER, .gicdICACTIVER]), index: spiWord, to: UInt64(random.word()))
        case 2: try vgic.setDistributorRegister(random.element([.gicdISPENDR, .gicdISACTIVER]), index: spiWord, to: UInt64(random.word() & random.word()))
        case 3: try vgic.setDistributorRegister(.gicdIPRIORITYR, index: 8 + UInt32(random.below(Int(interruptCount / 4 - 8))), to: UInt64(random.word()))
        case 4: try vgic.setDistributorRegister(.gicdICFGR, index: 2 + UInt32(random.below(Int(interruptCount / 16 - 2))), to: UInt64(random.word()))
        case 5: try vgic.setDistributorRegister(.gicdIROUTER, index: 32 + UInt32(random.below(Int(interruptCount - 32))), to: UInt64(random.word() & 0xFF_FFFF))
        case 6: try vgic.setLevel(try SPI(intid: 32 + UInt32(random.below(Int(interruptCount - 32)))), random.below(3) != 0)
        case 7: try vgic.setLevel(try PPI(intid: 16 + UInt32(random.below(9))), on: vcpu, random.below(3) != 0)
        case 8: try vgic.setLineLevels(try LevelInfoSelector(affinity: vcpu.affinity, firstINTID: 32 * spiWord), to: random.word())
        case 9: try vgic.setRedistributorRegister(random.element([.gicrIGROUPR0, .gicrISENABLER0, .gicrICENABLER0, .gicrISPENDR0, .gicrISACTIVER0, .gicrICACTIVER0]), of: vcpu, to: UInt64(random.word()))
        case 10: try vgic.setRedistributorRegister(.gicrIPRIORITYR, index: UInt32(random.below(8)), of: vcpu, to: UInt64(random.word()))
        case 11: try vgic.setRedistributorRegister(random.element([.gicrPROPBASER, .gicrPENDBASER]), of: vcpu, to: random.next() & ~(1 << 62))
        case 12:
            let current = try vgic.systemRegister(ctlr, of: vcpu)
            try vgic.setSystemRegister(ctlr, of: vcpu, to: current & ~3 | (random.next() & 3))
        default:
            let register = random.element([ICCRegister.iccPMR, .iccBPR0, .iccBPR1, .iccIGRPEN0, .iccIGRPEN1, .iccAP0R0, .iccAP1R0])
            try vgic.setSystemRegister(register, of: vcpu, to: UInt64(random.word()) & 0xFF)
        }
    }
}

/// A structurally valid snapshot with random values, built without a kernel: what the encoding
/// property tests feed through encode and decode.
///
/// - Parameters: `interruptCounts` and `maximumVCPUs` bound its size (a mutation test that runs
///   a hundred thousand copies through every consumer wants small ones).
func syntheticSnapshot(
    _ random: inout SeededRandom, interruptCounts: [Int] = [64, 96, 128, 256, 992], maximumVCPUs: Int = 4
) -> GICSnapshot {
    let count = UInt32(random.element(interruptCounts))
    let vcpuCount = 1 + random.below(maximumVCPUs)
    var layouts: [VCPULayout] = []
    for position in 0..<vcpuCount {
        let affinity = Affinity(aff2: UInt8(position), aff1: UInt8(random.below(4)), aff0: UInt8(position))
        layouts.append(VCPULayout(
            identity: VCPUIdentity(id: UInt32(position), affinity: affinity),
            redistributorType: UInt64(affinity.packed) << 32 | UInt64(position) << 8,
            priorityBits: UInt32(random.element([5, 6, 7]))))
    }
    let redistributors: Redistributors?
    switch random.below(3) {
    case 0: redistributors = nil
    case 1: redistributors = .legacy(base: UInt64(random.below(1024)) << 16)
    default:
        redistributors = .regions([
            try! RedistributorRegion(count: 1, base: 0x10_0000, index: 0),
            try! RedistributorRegion(count: UInt32(vcpuCount), base: 0x20_0000, index: 1),
        ])
    }
    let identity = SnapshotIdentity(
        gicVersion: .v3, iidr: 0x0304_B43B, typer: (count / 32 - 1) | 9 << 19, typer2: 0, interruptCount: count,
        frames: FrameLayout(distributorBase: UInt64(random.below(4096)) << 16, redistributors: redistributors),
        vcpus: layouts)
    func banks(_ scope: RestoreStep.Scope, aprs: Int, bits: UInt32) -> [RegisterBank] {
        RestoreOrder.savedRegisters(scope).map { register -> RegisterBank in
            let elements = SnapshotCoverage.elements(of: register, in: scope, interruptCount: count, activePriorityCount: aprs)
            let values: [UInt64] = elements.map { _ in
                if register == .system(ICCRegister.iccCTLR) { return UInt64(bits - 1) << 8 | 1 << 11 }
                return register.holds64Bits ? random.next() : UInt64(random.word())
            }
            // Coverage ranges lie inside their register: the bank's check cannot refuse them.
            return try! RegisterBank(register, firstIndex: elements.lowerBound, values: values)
        }
    }
    let distributor = banks(.distributor, aprs: 0, bits: 5)
    let states = layouts.map { VCPUState(banks: banks(.eachVCPU, aprs: $0.activePriorityCount, bits: $0.priorityBits)) }
    var foreign: [ForeignSection] = []
    if random.below(3) == 0 {
        foreign.append(ForeignSection(type: 17 + UInt16(random.below(100)), version: UInt16(random.below(3)),
            payload: (0..<random.below(40)).map { _ in UInt8(truncatingIfNeeded: random.next()) }))
    }
    return GICSnapshot(identity: identity, distributor: distributor, vcpus: states, foreignSections: foreign)
}

/// The register a recorded `KVM_SET_DEVICE_ATTR` wrote, by name, with its per-vCPU selector.
func writtenRegister(_ call: SyscallSimulator.Call) -> (name: String, selector: UInt32)? {
    guard call.attempt.request == .setDeviceAttr, let attribute = call.attempt.attribute else { return nil }
    let offset = UInt32(truncatingIfNeeded: attribute.attr)
    switch attribute.group {
    case .distributorRegisters:
        return (GICv3Register.containing(distributorOffset: offset).map { $0.name.description } ?? "?", 0)
    case .redistributorRegisters:
        return (GICv3Register.containing(redistributorOffset: offset).map { $0.name.description } ?? "?", attribute.selector)
    case .levelInfo:
        return ("LEVEL_INFO", attribute.selector)
    case .cpuSysregs:
        return (ICCRegister.lookup(instr: UInt16(truncatingIfNeeded: attribute.attr)).map { $0.name.description } ?? "?", attribute.selector)
    default:
        return ("group \(attribute.group)", 0)
    }
}

extension RegisterBank {
    /// A test's edit of the value at `position` (0 is `firstIndex`).
    mutating func edit(at position: Int, _ change: (UInt64) -> UInt64) throws {
        try set(element: firstIndex + UInt32(position), to: change(values[position]))
    }

    /// The bank without its last element.
    func droppingLast() throws -> RegisterBank {
        try RegisterBank(register, firstIndex: firstIndex, values: Array(values.dropLast()))
    }
}
