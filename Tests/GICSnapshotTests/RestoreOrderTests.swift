import GICModel
import GICSnapshot
import GICVocabulary
import KVM
import KVMSimulation
import Testing
import VGIC
import TestSupport

/// The restore order is one table; these tests hold the recorded ioctls of a real restore call
/// against it, on x86, through the syscall choke point.
@Suite("Restore order")
struct RestoreOrderTests {
    /// Records the calls of restoring a random snapshot of `layout` into a fresh vgic.
    static func recordedRestore(_ layout: TestLayout, seed: UInt64) throws -> (calls: [SyscallSimulator.Call], snapshot: GICSnapshot, tally: AccessTally) {
        var random = SeededRandom(seed: seed)
        let source = simulatedKernel()
        let snapshot = try withSimulatedVGIC(source, layout) { vgic, set in
            try applyRandomState(&random, operations: 60, vgic, set.identities, interruptCount: layout.interruptCount)
            return try capture(vgic, &set)
        }
        let target = simulatedKernel()
        var tally = AccessTally()
        let calls = try withSimulatedVGIC(target, layout) { vgic, set in
            target.clearCalls()
            if let error = restore(snapshot, vgic, &set, tally: &tally) { throw error }
            return target.calls.filter { $0.attempt.request == .setDeviceAttr || $0.attempt.request == .getDeviceAttr }
        }
        return (calls, snapshot, tally)
    }

    /// What a fresh target holds in a `.writeBackIfDifferent` register, so restore skips it:
    /// KVM's reset values, PROPBASER 0 and PENDBASER `INITIAL_PENDBASER_VALUE` (`kvm_vgic_vcpu_init`).
    static func resetValue(_ register: SnapshotRegister) -> UInt64 {
        register == .redistributor(.gicrPENDBASER) ? RedistributorState.initialPendbaser : 0
    }

    /// Consecutive writes of the same register (and vCPU) as one name.
    static func writtenSequence(_ calls: [SyscallSimulator.Call]) -> [String] {
        var names: [String] = []
        var last: (String, UInt32)?
        for call in calls {
            guard let written = writtenRegister(call) else { continue }
            if let last, last == written { continue }
            names.append(written.name)
            last = written
        }
        return names
    }

    @Test("a one-vCPU restore writes registers in exactly the documented order")
    func oneVCPUOrder() throws {
        let recorded = try Self.recordedRestore(TestLayout(vcpuIDs: [0], interruptCount: 64), seed: 1)
        // PROPBASER/PENDBASER are absent: the random state left them at their reset value, which
        // the target already holds, so `.writeBackIfDifferent` skips them.
        let expected = [
            "GICD_IIDR", "GICD_CTLR",
            "GICR_CTLR", "GICR_IGROUPR0", "GICR_IPRIORITYR", "GICR_ICENABLER0", "GICR_ISENABLER0", "LEVEL_INFO",
            "GICR_ISPENDR0", "GICR_ICACTIVER0", "GICR_ISACTIVER0",
            "GICD_IGROUPR", "GICD_IPRIORITYR", "GICD_IROUTER", "GICD_ICFGR", "GICD_ICENABLER", "GICD_ISENABLER",
            "LEVEL_INFO", "GICD_ISPENDR", "GICD_ICACTIVER", "GICD_ISACTIVER",
            "ICC_SRE_EL1", "ICC_CTLR_EL1", "ICC_IGRPEN0_EL1", "ICC_IGRPEN1_EL1", "ICC_PMR_EL1", "ICC_BPR0_EL1",
            "ICC_BPR1_EL1", "ICC_AP0R0_EL1", "ICC_AP1R0_EL1",
        ]
        let sequence = Self.writtenSequence(recorded.calls)
        let expectedWithBases = recorded.snapshot.bank(.redistributor(.gicrPROPBASER), in: .vcpu(0))?.values == [0]
            ? expected
            : Array(expected[0..<2]) + ["GICR_PROPBASER", "GICR_PENDBASER"] + Array(expected[2...])
        #expect(sequence == expectedWithBases)
    }

    @Test("the recorded writes of a three-vCPU restore are the table expanded, value for value", arguments: [7, 8, 9] as [UInt64])
    func tableExpansion(seed: UInt64) throws {
        let layout = TestLayout(vcpuIDs: [0, 1, 2], interruptCount: 96)
        let recorded = try Self.recordedRestore(layout, seed: seed)
        let snapshot = recorded.snapshot
        // Expand the table independently of restore: (group, selector, offset or instr, value).
        var expected: [String] = []
        func entry(_ group: String, _ selector: UInt32, _ key: UInt64, _ value: UInt64) {
            expected.append("\(group) \(selector) \(key) \(value)")
        }
        let affinities = snapshot.identity.vcpus.map { $0.identity.affinity.packed }
        for phase in RestoreOrder.phases {
            let scopes: [SnapshotScope] = phase.scope == .distributor ? [.distributor] : snapshot.vcpus.indices.map { .vcpu($0) }
            for scope in scopes {
                let selector: UInt32
                if case .vcpu(let position) = scope { selector = affinities[position] } else { selector = 0 }
                for step in phase.steps {
                    switch step.operation {
                    case .implementation:
                        entry("DIST", 0, 0x8, UInt64(snapshot.identity.iidr))
                    case .clear(let register, let paired):
                        for index in snapshot.bank(paired, in: scope)!.indices {
                            entry(scope == .distributor ? "DIST" : "REDIST", selector, UInt64(register.offset + 4 * index), 0xFFFF_FFFF)
                        }
                    case .writeBack(let register), .writeBackIfDifferent(let register):
                        let bank = snapshot.bank(register, in: scope)!
                        for (offset, value) in bank.values.enumerated() {
                            let index = bank.firstIndex + UInt32(offset)
                            if case .writeBackIfDifferent = step.operation, value == Self.resetValue(register) { continue }
                            switch register {
                            case .distributor(let r) where r == .gicdIROUTER:
                                entry("DIST", 0, UInt64(r.offset + 8 * index), value)
                            case .distributor(let r):
                                entry("DIST", 0, UInt64(r.offset + 4 * index), value)
                            case .redistributor(let r) where r.width == .bits64:
                                entry("REDIST", selector, UInt64(r.offset), value & 0xFFFF_FFFF)
                                entry("REDIST", selector, UInt64(r.offset + 4), value >> 32)
                            case .redistributor(let r):
                                entry("REDIST", selector, UInt64(r.offset + 4 * index), value)
                            case .lineLevels:
                                entry("LEVEL", scope == .distributor ? affinities[0] : selector, UInt64(32 * index), value)
                            case .system(let r):
                                entry("SYSREG", selector, UInt64(r.instr), value)
                            case .activePriorities(let group):
                                entry("SYSREG", selector, UInt64((group == 0 ? 0xC644 : 0xC648) + index), value)
                            }
                        }
                    }
                }
            }
        }
        var recorded_: [String] = []
        for call in recorded.calls where call.attempt.request == .setDeviceAttr {
            let attribute = call.attempt.attribute!
            let group: String
            switch attribute.group {
            case .distributorRegisters: group = "DIST"
            case .redistributorRegisters: group = "REDIST"
            case .levelInfo: group = "LEVEL"
            case .cpuSysregs: group = "SYSREG"
            default: group = "\(attribute.group)"
            }
            let key = attribute.group == .cpuSysregs ? attribute.attr & 0xFFFF : attribute.attr & 0xFFFF_FFFF
            recorded_.append("\(group) \(group == "DIST" ? 0 : attribute.selector) \(key) \(call.value ?? 0)")
        }
        #expect(recorded_ == expected)
        #expect(recorded.tally.writes == recorded_.count)
        #expect(recorded.tally.reads == recorded.calls.count - recorded_.count)
    }

    @Test("every read happens before the first write: validation cannot leave a half-written target")
    func readsBeforeWrites() throws {
        let recorded = try Self.recordedRestore(TestLayout(vcpuIDs: [0, 1], interruptCount: 128), seed: 3)
        let firstWrite = try #require(recorded.calls.firstIndex { $0.attempt.request == .setDeviceAttr })
        #expect(recorded.calls[firstWrite...].allSatisfy { $0.attempt.request == .setDeviceAttr })
        #expect(writtenRegister(recorded.calls[firstWrite])?.name == "GICD_IIDR")
    }

    @Test("kernel ordering rules hold in the recorded writes")
    func kernelRules() throws {
        let layout = TestLayout(vcpuIDs: [0, 1, 2, 3], interruptCount: 256)
        var random = SeededRandom(seed: 11)
        let source = simulatedKernel()
        let snapshot = try withSimulatedVGIC(source, layout) { vgic, set in
            try applyRandomState(&random, operations: 40, vgic, set.identities, interruptCount: 256)
            // Non-reset PROPBASER/PENDBASER so both are written.
            for vcpu in set.identities {
                try vgic.setRedistributorRegister(.gicrPROPBASER, of: vcpu, to: 0x1000_0380)
                try vgic.setRedistributorRegister(.gicrPENDBASER, of: vcpu, to: 0x2000_0380)
            }
            return try capture(vgic, &set)
        }
        let target = simulatedKernel()
        var tally = AccessTally()
        let names: [(name: String, selector: UInt32)] = try withSimulatedVGIC(target, layout) { vgic, set in
            target.clearCalls()
            if let error = restore(snapshot, vgic, &set, tally: &tally) { throw error }
            return target.calls.compactMap(writtenRegister)
        }
        func positions(_ name: String) -> [Int] { names.indices.filter { names[$0].name == name } }
        // PROPBASER/PENDBASER of every vCPU before any GICR_CTLR (dropped once LPIs are on).
        #expect(positions("GICR_PROPBASER").max()! < positions("GICR_CTLR").min()!)
        #expect(positions("GICR_PENDBASER").max()! < positions("GICR_CTLR").min()!)
        // ICPENDR is never written: through uaccess it is RAZ/WI, ISPENDR replaces the latch.
        #expect(positions("GICD_ICPENDR").isEmpty && positions("GICR_ICPENDR0").isEmpty)
        // Each clear immediately precedes its set, per vCPU.
        for (clear, set) in [("GICR_ICENABLER0", "GICR_ISENABLER0"), ("GICR_ICACTIVER0", "GICR_ISACTIVER0"),
            ("GICD_ICENABLER", "GICD_ISENABLER"), ("GICD_ICACTIVER", "GICD_ISACTIVER")]
        {
            for index in positions(clear) {
                let next = names[(index + 1)...].first { $0.name != clear }
                #expect(next?.name == set, "\(clear) is followed by \(next?.name ?? "nothing")")
            }
        }
        // Per vCPU: line levels before the latch, SRE first of the ICC registers, CTLR before
        // BPR1 and the APRs, IROUTER and ICFGR before GICD_ISPENDR.
        for vcpu in snapshot.identity.vcpus.map({ $0.identity.affinity.packed }) {
            let mine = names.indices.filter { names[$0].selector == vcpu }
            func first(_ name: String) -> Int { mine.first { names[$0].name == name }! }
            // The vCPU's own LEVEL_INFO (its PPIs) comes first; later ones carry SPIs.
            #expect(first("LEVEL_INFO") < first("GICR_ISPENDR0"))
            let icc = mine.filter { names[$0].name.hasPrefix("ICC_") }
            #expect(names[icc.first!].name == "ICC_SRE_EL1")
            #expect(first("ICC_CTLR_EL1") < first("ICC_BPR1_EL1"))
            #expect(first("ICC_CTLR_EL1") < first("ICC_AP0R0_EL1"))
        }
        #expect(positions("GICD_IROUTER").max()! < positions("GICD_ISPENDR").min()!)
        #expect(positions("GICD_ICFGR").max()! < positions("GICD_ISPENDR").min()!)
        #expect(positions("GICD_IPRIORITYR").max()! < positions("GICD_ISPENDR").min()!)
    }

    @Test("capture reads exactly the registers the restore order writes back")
    func captureFollowsTable() {
        let distributor = RestoreOrder.savedRegisters(.distributor).map(\.name)
        #expect(distributor == ["GICD_CTLR", "GICD_IGROUPR", "GICD_IPRIORITYR", "GICD_IROUTER", "GICD_ICFGR",
            "GICD_ISENABLER", "LEVEL_INFO", "GICD_ISPENDR", "GICD_ISACTIVER"])
        let vcpu = RestoreOrder.savedRegisters(.eachVCPU).map(\.name)
        #expect(vcpu == ["GICR_PROPBASER", "GICR_PENDBASER", "GICR_CTLR", "GICR_IGROUPR0", "GICR_IPRIORITYR",
            "GICR_ISENABLER0", "LEVEL_INFO", "GICR_ISPENDR0", "GICR_ISACTIVER0", "ICC_SRE_EL1", "ICC_CTLR_EL1",
            "ICC_IGRPEN0_EL1", "ICC_IGRPEN1_EL1", "ICC_PMR_EL1", "ICC_BPR0_EL1", "ICC_BPR1_EL1", "ICC_AP0R", "ICC_AP1R"])
        #expect(RestoreOrder.steps.first?.operation == .implementation)
        #expect(RestoreOrder.steps.allSatisfy { !"\($0.reason)".isEmpty })
    }
}
