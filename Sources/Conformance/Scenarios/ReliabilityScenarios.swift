import CKVM
import CheckedVGIC
import GICSnapshot
import GICVocabulary
import KVM
import VGIC

/// The library used the way a VMM uses it, many times or from several threads at once: nothing
/// may leak across a thousand VM lifetimes, and `setLevel` from several threads must lose or
/// misdirect no line. On the live kernel a leak is an fd or mapping of the process; on a
/// simulated one, a simulated fd or mapping still open (`KernelResources`).
extension ScenarioCatalog {
    public static var reliability: [Scenario] {
        [
            Scenario("reliability.create_destroy_cycles") { context in ReliabilityScenarios.createDestroyCycles(&context) },
            Scenario("reliability.set_level_threads") { context in ReliabilityScenarios.setLevelThreads(&context) },
        ]
    }
}

enum ReliabilityScenarios {
    // MARK: create/destroy cycles

    /// Measured VM lifetimes (after one warm-up) at the full budget (`ScenarioBudget`).
    static let cycles = 1000
    static let cycleVCPUs: UInt32 = 4
    /// 40 bits, not the host's 52: on 7.3 under emulation closing a VM costs 35 s at 52 bits
    /// and 0.02 s at 40 (Conformance.docc/RealKernelLab.md); the IPA size is not what this tests.
    static let cycleIPABits = 40

    /// QEMU virt's places: distributor at 128 MiB, ITS (128 KiB) at 128 MiB + 512 KiB, legacy
    /// redistributors from 128 MiB + 640 KiB; RAM at 1 GiB.
    static var cycleLayout: VGICConfiguration {
        .v3(distributor: 0x0800_0000, redistributors: .legacy(base: 0x080A_0000), its: 0x0808_0000)
    }
    static let cycleRAMBase: UInt64 = 0x4000_0000
    static let cycleRAMBytes = 0x1_0000

    /// 1000 times (at the full budget): open /dev/kvm, a VM with 64 KiB of RAM in a memslot, 4
    /// initialised vCPUs in a `VCPUSet`, `VGIC.create` of a vgic-v3 with an ITS; then all of it
    /// dropped. The open fds and mappings the kernel holds for the process (`KernelResources`)
    /// must be exactly the same after the last cycle as before the first.
    static func createDestroyCycles(_ context: inout ScenarioContext) -> Outcome {
        let cycles = context.budget.count(Self.cycles)
        // A warm-up cycle before the baseline: whatever the first VM of the process allocates
        // once (malloc heap growth, lazily initialised runtime state) is not per-VM and must
        // not count as a leak; it is also where a host without arm64 KVM or without an ITS
        // becomes a skip.
        do throws(ScenarioFailure) {
            try requireITS(context)
            try cycle(context)
        } catch {
            return error.outcome(prefix: "warm-up cycle")
        }
        let before: KernelResources
        do throws(ScenarioFailure) { before = try KernelResources.current(context.kernel) } catch { return error.outcome(prefix: "baseline") }
        let start = ckvm_monotonic_ns()
        for index in 0..<cycles {
            do throws(ScenarioFailure) {
                try cycle(context)
            } catch {
                // Past the warm-up nothing is a skip: the host did all of this before.
                return .fail("cycle \(index + 1) of \(cycles): \(error.text)")
            }
        }
        let elapsed = max(ckvm_monotonic_ns() - start, 1)
        let after: KernelResources
        do throws(ScenarioFailure) { after = try KernelResources.current(context.kernel) } catch { return error.outcome(prefix: "after the cycles") }

        context.record("cycles", Int64(cycles), unit: "cycles")
        context.record("total_ms", elapsed / 1_000_000, unit: "ms")
        context.record("per_cycle_us", elapsed / Int64(cycles) / 1000, unit: "us")
        context.record("cycles_per_s", Int64(cycles) * 1_000_000_000 / elapsed, unit: "cycles/s")
        context.record("open_fds_before", Int64(before.openFDs), unit: "fds")
        context.record("open_fds_after", Int64(after.openFDs), unit: "fds")
        context.record("mappings_before", Int64(before.mappings), unit: "mappings")
        context.record("mappings_after", Int64(after.mappings), unit: "mappings")
        return verdict(before: before, after: after, cycles: cycles)
    }

    /// Pass iff fds and mappings are unchanged (nothing allowed).
    static func verdict(before: KernelResources, after: KernelResources, cycles: Int) -> Outcome {
        let summary = "\(cycles) cycles of VM + \(cycleVCPUs) vCPUs + vgic-v3 + ITS (\(cycleIPABits)-bit IPA)"
        if before == after {
            return .pass("\(summary): \(after.openFDs) open fds and \(after.mappings) mappings before and after")
        }
        return .fail(
            "\(summary) leaked: open fds \(before.openFDs) -> \(after.openFDs), "
                + "mappings \(before.mappings) -> \(after.mappings)")
    }

    /// Whether the host offers an ITS at all (a skip, not a failure, when it does not).
    static func requireITS(_ context: ScenarioContext) throws(ScenarioFailure) {
        let kvm = try LabKernel.open(context)
        let offered: Bool
        do throws(KVMError) {
            let vm = try kvm.createVM(ipaBits: cycleIPABits)
            offered = try vm.canCreate(.vgicITS)
        } catch {
            throw ScenarioFailure.kernel("ITS probe", error)
        }
        if !offered { throw ScenarioFailure.skip("host offers no ITS") }
    }

    /// One VM lifetime through the public API, as a VMM writes it; everything is released when
    /// the owners go out of scope, in reverse order of creation.
    static func cycle(_ context: ScenarioContext) throws(ScenarioFailure) {
        let kvm = try LabKernel.open(context)
        let vm = try ScenarioFailure.step("KVM_CREATE_VM") { () throws(KVMError) in try kvm.createVM(ipaBits: cycleIPABits) }
        let memory = try ScenarioFailure.step("guest RAM") { () throws(KVMError) in
            let memory = try vm.allocateGuestMemory(bytes: cycleRAMBytes)
            try vm.mapMemory(memory, slot: 0, guestAddress: cycleRAMBase)
            return memory
        }
        let target = try ScenarioFailure.step("KVM_ARM_PREFERRED_TARGET") { () throws(KVMError) in try vm.preferredTarget() }
        var vcpus = VCPUSet()
        for id in 0..<cycleVCPUs {
            let vcpu = try ScenarioFailure.step("vCPU \(id)") { () throws(KVMError) in
                let vcpu = try vm.createVCPU(id: id)
                try vcpu.initialize(target)
                return vcpu
            }
            do throws(VCPUSetError) {
                try vcpus.insert(vcpu)
            } catch {
                throw ScenarioFailure.fail("vCPU \(id): \(error)")
            }
        }
        let vgic: VGIC
        do throws(VGICError) {
            vgic = try VGIC.create(on: vm, configuration: cycleLayout, vcpus: vcpus.identities)
        } catch {
            throw ScenarioFailure.fail("VGIC.create: \(error)")
        }
        guard vgic.hasITS, vgic.isInitialised else { throw ScenarioFailure.fail("VGIC.create returned no ITS or an uninitialised vgic") }
        _ = consume vgic
        _ = consume vcpus
        _ = consume vm
        _ = consume memory
        _ = consume kvm
    }

    // MARK: setLevel from several threads

    /// Threads, each with its own lines (`SetLevelLane`); the calls each makes at the full budget
    /// (`ScenarioBudget`); the seed of every lane's sequence.
    static let laneCount: UInt32 = 4
    static let stepsPerLane = 2000
    static let seed: UInt64 = 0x5E71_E7E1_0000_0012

    /// `setLevel` from 4 threads at once on one VGIC (documented as safe from any thread).
    /// Lane t owns SPIs 32 + 8t ..< 40 + 8t (the first four level, the last four edge, the last
    /// one only ever lowered) and PPIs 20–23 of vCPU t, and drives them through its own seeded
    /// sequence of raises and lowers. The 32 SPIs share one ISPENDR/LEVEL_INFO word, so a lost
    /// or misdirected update shows. Afterwards every line must read as the lane's writes
    /// predict: a level line's LEVEL_INFO is its last write and its latch is clear; an edge
    /// SPI's latch is set iff the lane ever raised it, and its LEVEL_INFO reads 0.
    static func setLevelThreads(_ context: inout ScenarioContext) -> Outcome {
        let stepsPerLane = context.budget.count(Self.stepsPerLane)
        var figures: (elapsed: Int64, together: Int64) = (0, 0)
        let outcome = LabMachine.withVGIC(context, vcpus: laneCount) { _, vgic, vcpus throws(VGICError) in
            var checks = VGICInitChecks()
            for lane in 0..<laneCount {
                for offset in 0..<SetLevelLane.spiCount {
                    let intid = SetLevelLane.spi(lane: lane, offset: offset)
                    try SharedInterrupt.setEdge(vgic, intid, SetLevelLane.isEdge(offset))
                    checks.expect("SPI \(intid) configured", SharedInterrupt.isEdge(vgic, intid), SetLevelLane.isEdge(offset))
                }
            }
            var lanes: [SetLevelLane] = []
            for lane in 0..<laneCount {
                lanes.append(SetLevelLane(lane: lane, vcpu: vcpus[Int(lane)], seed: seed &+ UInt64(lane), steps: stepsPerLane))
            }
            let started = ckvm_monotonic_ns()
            let result = withUnsafePointer(to: vgic) { pointer in
                for index in lanes.indices { lanes[index].vgic = pointer }
                return lanes.withUnsafeMutableBufferPointer { buffer in
                    // Runs on each thread; the context is the lanes, the index picks this thread's.
                    ckvm_run_threads(Int32(laneCount), { context, index in
                        context?.assumingMemoryBound(to: SetLevelLane.self)[Int(index)].run()
                    }, buffer.baseAddress)
                }
            }
            figures.elapsed = ckvm_monotonic_ns() - started
            if result != 0 { return .fail("starting \(laneCount) threads: \(Errno(rawValue: -result))") }
            var latestStart: Int64 = .min
            var earliestEnd: Int64 = .max
            for lane in lanes {
                if let failure = lane.failure { return .fail("lane \(lane.lane), seed \(hex(lane.seed)): \(failure)") }
                latestStart = max(latestStart, lane.started)
                earliestEnd = min(earliestEnd, lane.finished)
            }
            figures.together = earliestEnd - latestStart
            for lane in lanes {
                checkFinalState(lane, vgic, vcpus, &checks)
            }
            return checks.outcome.annotated(
                "\(laneCount) threads × \(stepsPerLane) setLevel, seed \(hex(seed)) + lane")
        }
        let calls = Int64(laneCount) * Int64(stepsPerLane)
        context.record("set_level_calls", calls, unit: "calls")
        context.record("wall_us", figures.elapsed / 1000, unit: "us")
        context.record("ns_per_call", figures.elapsed / calls, unit: "ns")
        context.record("all_lanes_running_us", figures.together / 1000, unit: "us")
        return outcome
    }

    /// Reads every line of `lane` back and compares it with what the lane's sequence predicts.
    static func checkFinalState(
        _ lane: SetLevelLane, _ vgic: borrowing VGIC, _ vcpus: [VCPUIdentity], _ checks: inout VGICInitChecks
    ) {
        let expected = lane.prediction()
        for slot in 0..<SetLevelLane.slotCount {
            let want = expected[slot]
            if slot < Int(SetLevelLane.spiCount) {
                let intid = SetLevelLane.spi(lane: lane.lane, offset: UInt32(slot))
                checks.expect("lane \(lane.lane) SPI \(intid) LEVEL_INFO", SharedInterrupt.line(vgic, vcpus[0], intid), want.line)
                checks.expect("lane \(lane.lane) SPI \(intid) latch", SharedInterrupt.latch(vgic, intid), want.latch)
            } else {
                let intid = SetLevelLane.ppi(slot: slot)
                let line = try? vgic.lineLevel(of: intid, on: lane.vcpu)
                let latch = (try? vgic.redistributorRegister(.gicrISPENDR0, of: lane.vcpu)).map { $0 & (1 << UInt64(intid)) != 0 }
                checks.expect("vCPU \(lane.vcpu.id) PPI \(intid) LEVEL_INFO", line, want.line)
                checks.expect("vCPU \(lane.vcpu.id) PPI \(intid) latch", latch, want.latch)
            }
        }
    }
}

/// One thread of `reliability.set_level_threads`: the lines it owns, its seeded sequence, and
/// what the thread reports back (written only by that thread, read after it is joined).
struct SetLevelLane {
    /// SPIs per lane; offsets 0–3 are level, 4–7 edge, and offset 7 is only ever lowered.
    static let spiCount: UInt32 = 8
    static let quietOffset: UInt32 = 7
    /// PPIs 20–23 of the lane's own vCPU (not the timers' 26, 27, 30).
    static let firstPPI: UInt32 = 20
    static let ppiCount: UInt32 = 4
    /// Slots 0 ..< 8 are the SPIs by offset, 8 ..< 12 the PPIs.
    static var slotCount: Int { Int(spiCount + ppiCount) }

    static func spi(lane: UInt32, offset: UInt32) -> UInt32 { 32 + lane * spiCount + offset }
    static func ppi(slot: Int) -> UInt32 { firstPPI + UInt32(slot) - spiCount }
    static func isEdge(_ offset: UInt32) -> Bool { offset >= 4 }

    let lane: UInt32
    let vcpu: VCPUIdentity
    let seed: UInt64
    let steps: Int
    /// The shared VGIC, set just before the threads start.
    var vgic: UnsafePointer<VGIC>?
    var failure: VGICError?
    var started: Int64 = 0
    var finished: Int64 = 0

    init(lane: UInt32, vcpu: VCPUIdentity, seed: UInt64, steps: Int) {
        self.lane = lane
        self.vcpu = vcpu
        self.seed = seed
        self.steps = steps
    }

    /// The next step of the sequence: which slot, and the level to drive it to.
    static func step(_ generator: inout SplitMix64) -> (slot: Int, level: Bool) {
        let slot = Int(generator.below(UInt32(slotCount)))
        let level = generator.chance(50)
        return (slot, slot == Int(quietOffset) ? false : level)
    }

    /// What each slot must read after the sequence: the line (LEVEL_INFO) and the latch
    /// (ISPENDR through uaccess, which shows only the latch, never a level line).
    func prediction() -> [(line: Bool, latch: Bool)] {
        var last = [Bool](repeating: false, count: Self.slotCount)
        var raised = [Bool](repeating: false, count: Self.slotCount)
        var generator = SplitMix64(seed: seed)
        for _ in 0..<steps {
            let (slot, level) = Self.step(&generator)
            last[slot] = level
            if level { raised[slot] = true }
        }
        var result: [(line: Bool, latch: Bool)] = []
        for slot in 0..<Self.slotCount {
            let edge = slot < Int(Self.spiCount) && Self.isEdge(UInt32(slot))
            result.append(edge ? (line: false, latch: raised[slot]) : (line: last[slot], latch: false))
        }
        return result
    }

    /// The thread's work: replay the sequence into the VGIC; stop at the first refusal.
    mutating func run() {
        started = ckvm_monotonic_ns()
        defer { finished = ckvm_monotonic_ns() }
        guard let vgic else { return }
        var generator = SplitMix64(seed: seed)
        do throws(VGICError) {
            for _ in 0..<steps {
                let (slot, level) = Self.step(&generator)
                if slot < Int(Self.spiCount) {
                    let spi = try InjectionScenarios.spiValue(Self.spi(lane: lane, offset: UInt32(slot)))
                    try vgic.pointee.setLevel(spi, level)
                } else {
                    let ppi: PPI
                    do throws(GICValueError) { ppi = try PPI(intid: Self.ppi(slot: slot)) } catch { throw .configuration(.invalidValue(error)) }
                    try vgic.pointee.setLevel(ppi, on: vcpu, level)
                }
            }
        } catch {
            failure = error
        }
    }
}
