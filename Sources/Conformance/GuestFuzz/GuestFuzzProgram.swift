import CheckedVGIC
import GICVocabulary
import GuestHarness

/// A random guest program for the guest-side differential fuzzer, as data that prints as the
/// Swift that builds it: a pool of interrupts (priority, trigger, route), each vCPU's EOI mode,
/// and each vCPU's blocks, split into phases between which the vCPUs take turns.
///
/// Blocks are what a guest and its host do: the host injects by every method, the guest pends
/// its own interrupts and sends SGIs, changes PMR, opens an interrupt window (the IRQ handler
/// acknowledges, asks the host to lower the line, EOIs and in EOImode 1 DIRs), polls IAR1 with
/// interrupts masked, reads RPR, AP1R0, HPPIR1. After the run the host reads every pool
/// interrupt's active and pending state and line.
struct GuestFuzzProgram: Hashable, Sendable, CustomStringConvertible {
    /// One interrupt of the pool.
    struct Interrupt: Hashable, Sendable, CustomStringConvertible {
        var intid: UInt32
        var priority: UInt8
        /// SPIs only (SGIs are edge, PPIs level).
        var edge: Bool
        /// An SPI's route; for private INTIDs unused (they exist on every vCPU).
        var vcpu: Int

        var description: String { ".init(intid: \(intid), priority: \(hex(priority)), edge: \(edge), vcpu: \(vcpu))" }
    }

    var vcpuCount: Int
    var eoiModes: [Bool]
    var interrupts: [Interrupt]
    /// Each vCPU's phases of blocks; every vCPU has the same number of phases.
    var phases: [[[FuzzBlock]]]

    var description: String {
        var text = "GuestFuzzProgram(\n    vcpuCount: \(vcpuCount), eoiModes: \(GuestChecks.list(eoiModes.map { $0 ? "true" : "false" })),\n"
        text += "    interrupts: \(GuestChecks.list(interrupts)),\n    phases: [\n"
        for vcpu in phases {
            text += "        ["
            for (index, phase) in vcpu.enumerated() { text += (index == 0 ? "" : ", ") + GuestChecks.list(phase) }
            text += "],\n"
        }
        return text + "    ])"
    }

    /// NR_IRQS: room for SPIs 32...95.
    static let interruptCount: UInt32 = 96
    /// PPIs a fuzz program may use: not the timers' (26, 27, 28, 30), the PMU's (23) or the
    /// maintenance interrupt's (25).
    static let usablePPIs: [UInt32] = [20, 21, 22, 24, 29]

    /// A program drawn from `seed`: 2–4 vCPUs, 2–3 phases of 2–6 blocks each.
    static func random(seed: UInt64) -> GuestFuzzProgram {
        var random = SplitMix64(seed: seed)
        func pick(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(random.next() % UInt64(range.count)) }
        let vcpuCount = pick(2...4)
        var interrupts: [Interrupt] = []
        var used: Set<UInt32> = []
        func add(_ intid: UInt32, edge: Bool) {
            guard used.insert(intid).inserted else { return }
            interrupts.append(Interrupt(intid: intid, priority: UInt8(pick(0...30) * 8), edge: edge, vcpu: pick(0...(vcpuCount - 1))))
        }
        for _ in 0..<pick(1...3) { add(UInt32(pick(1...15)), edge: true) }
        for _ in 0..<pick(1...2) { add(usablePPIs[pick(0...(usablePPIs.count - 1))], edge: false) }
        for _ in 0..<pick(2...5) { add(UInt32(pick(32...95)), edge: random.next() & 1 == 0) }
        let phaseCount = pick(2...3)
        var phases: [[[FuzzBlock]]] = []
        for vcpu in 0..<vcpuCount {
            var mine: [[FuzzBlock]] = []
            for _ in 0..<phaseCount {
                mine.append((0..<pick(2...6)).map { _ in FuzzBlock.random(&random, interrupts: interrupts, vcpu: vcpu, vcpuCount: vcpuCount) })
            }
            phases.append(mine)
        }
        let eoiModes = (0..<vcpuCount).map { _ in random.next() & 1 == 0 }
        return GuestFuzzProgram(vcpuCount: vcpuCount, eoiModes: eoiModes, interrupts: interrupts, phases: phases)
    }

    /// The same program with block `block` of vCPU `vcpu`'s phase `phase` removed (shrinking).
    func removing(vcpu: Int, phase: Int, block: Int) -> GuestFuzzProgram {
        var copy = self
        copy.phases[vcpu][phase].remove(at: block)
        return copy
    }

    /// Every (vCPU, phase, block) position, last first (shrinking tries late blocks first).
    var positions: [(vcpu: Int, phase: Int, block: Int)] {
        var result: [(vcpu: Int, phase: Int, block: Int)] = []
        for vcpu in phases.indices {
            for phase in phases[vcpu].indices {
                for block in phases[vcpu][phase].indices { result.append((vcpu: vcpu, phase: phase, block: block)) }
            }
        }
        return result.reversed()
    }

    /// The number of blocks.
    var blockCount: Int { phases.reduce(0) { total, vcpu in vcpu.reduce(total) { $0 + $1.count } } }
}
