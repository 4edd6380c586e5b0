import CKVM
import GICModel
import GICSnapshot
import GICVocabulary
import KVM
import VGIC

/// The snapshot family: capture → restore into a fresh VM → capture again, on the context's kernel.
extension ScenarioCatalog {
    /// Scenarios of this family, in run order.
    public static var snapshot: [Scenario] {
        [
            Scenario("snapshot.v3.round_trip_random") { context in SnapshotScenarios.roundTrips(&context) },
            Scenario("snapshot.v3.level_lines_survive") { context in SnapshotScenarios.levelLinesSurvive(context) },
        ] + SnapshotRefusal.rows.map { $0.scenario } + [
            Scenario("snapshot.v3.refuses.format_version_2") { context in SnapshotScenarios.newerFormatVersion(context) },
            Scenario("snapshot.v3.priority_bits") { context in SnapshotScenarios.fewerPriorityBits(context) },
            Scenario("snapshot.v3.figures_4vcpu_992irq") { context in SnapshotScenarios.figures(&context) },
        ]
    }
}

enum SnapshotScenarios {
    /// How many random states the round trip checks at the full budget (`ScenarioBudget`), and
    /// the first seed.
    static let stateCount = 200
    static let firstSeed: UInt64 = 0x5EED_0000

    /// For `stateCount` seeded random states (layouts of 1–4 vCPUs, NR_IRQS 64–256, legacy or
    /// region redistributors): capture, encode and decode, restore into a fresh VM of the same
    /// layout, capture again; the two captures must be equal. Smaller vgics than the figures'
    /// keep the family inside its time budget under QEMU TCG.
    static func roundTrips(_ context: inout ScenarioContext) -> Outcome {
        let stateCount = context.budget.count(Self.stateCount)
        let kvm: KVM
        do throws(ScenarioFailure) { kvm = try LabKernel.open(context) } catch { return .skip(error.text) }
        var accesses = 0
        for offset in 0..<UInt64(stateCount) {
            let seed = firstSeed + offset
            do throws(ScenarioFailure) {
                accesses += try roundTrip(kvm, seed: seed, kernelRelease: context.kernelRelease)
            } catch {
                return .fail("seed \(hex(seed)): \(error.text)")
            }
        }
        context.record("states", Int64(stateCount), unit: "count")
        context.record("register_accesses", Int64(accesses), unit: "count")
        let last = firstSeed + UInt64(stateCount) - 1
        return .pass("\(stateCount) random states, seeds \(hex(firstSeed))...\(hex(last)): capture == capture after restore == model after the same restore")
    }

    /// One seeded round trip; returns the register accesses it took. A reference model of the
    /// target receives the same restore (`SnapshotModelCheck`) and must read every register of
    /// the second capture as the kernel does.
    static func roundTrip(_ kvm: borrowing KVM, seed: UInt64, kernelRelease: String) throws(ScenarioFailure) -> Int {
        var random = SnapshotRandom(seed: seed)
        var layout = SnapshotLabLayout(
            vcpus: UInt32(1 + random.below(4)), interruptCount: random.element([64, 96, 128, 256]),
            regions: random.below(2) == 0)
        if random.below(4) == 0 { layout.vcpuIDs = layout.vcpuIDs.map { $0 * 3 } }
        var tally = AccessTally()
        let first: GICSnapshot = try SnapshotLab.withVGIC(kvm, layout) { (vgic, set) throws(ScenarioFailure) in
            do throws(VGICError) {
                try SnapshotRandomState.apply(
                    &random, operations: 16 + random.below(48), to: vgic, vcpus: set.identities,
                    interruptCount: layout.interruptCount)
            } catch {
                throw ScenarioFailure("making the random state: \(error)")
            }
            return try SnapshotLab.capture(vgic, &set, tally: &tally)
        }
        let decoded: GICSnapshot
        let encoding = try SnapshotLab.encode(first)
        do throws(SnapshotDecodingError) {
            decoded = try GICSnapshot(decoding: encoding)
        } catch {
            throw ScenarioFailure("decoding its own encoding: \(error)")
        }
        guard decoded == first else { throw ScenarioFailure("decode(encode(snapshot)) differs") }
        var targetControl: UInt64 = 0
        let second: GICSnapshot = try SnapshotLab.withVGIC(kvm, layout) { (vgic, set) throws(ScenarioFailure) in
            do throws(VGICError) {
                targetControl = try vgic.systemRegister(.iccCTLR, of: set.identities[0])
            } catch {
                throw ScenarioFailure("reading the target's ICC_CTLR_EL1: \(error)")
            }
            if let error = SnapshotLab.restore(decoded, into: vgic, &set, tally: &tally) {
                throw ScenarioFailure("restore: \(error)")
            }
            return try SnapshotLab.capture(vgic, &set, tally: &tally)
        }
        if let difference = SnapshotLab.firstDifference(first, second) {
            throw ScenarioFailure("second capture differs: \(difference)")
        }
        var model = SnapshotModelCheck.model(
            for: decoded, targetControl: targetControl, kernelRelease: kernelRelease,
            redistributors: layout.configuration.redistributors)
        do throws(ScenarioFailure) {
            try SnapshotModelCheck.restore(decoded, into: &model)
        } catch {
            throw ScenarioFailure(error.text)
        }
        if let disagreement = SnapshotModelCheck.firstDisagreement(model, second) {
            throw ScenarioFailure("model and restored kernel disagree: \(disagreement)")
        }
        return tally.total
    }

    /// The classic bug: a level interrupt whose line is high at capture is pending only through
    /// its line level (its latch is 0), so a restore without LEVEL_INFO loses it. SPI 40 and PPI
    /// 20 of vCPU 1 are level, enabled, asserted with `KVM_IRQ_LINE`; after restore into a fresh VM
    /// both lines are still high and configured level, so both are pending.
    static func levelLinesSurvive(_ context: ScenarioContext) -> Outcome {
        let kvm: KVM
        do throws(ScenarioFailure) { kvm = try LabKernel.open(context) } catch { return .skip(error.text) }
        let layout = SnapshotLabLayout(vcpus: 2, interruptCount: 128)
        do throws(ScenarioFailure) {
            var tally = AccessTally()
            let saved: GICSnapshot = try SnapshotLab.withVGIC(kvm, layout) { (vgic, set) throws(ScenarioFailure) in
                let vcpus = set.identities
                do throws(VGICError) {
                    // SPI 40: ICFGR word 2, field 8 → level (0b00); enable it; raise its line.
                    let config = try vgic.distributorRegister(.gicdICFGR, covering: 40)
                    try vgic.setDistributorRegister(.gicdICFGR, index: 2, to: config & ~(UInt64(3) << 16))
                    try vgic.setDistributorRegister(.gicdISENABLER, index: 1, to: 1 << 8)
                    try vgic.setLevel(try SnapshotRandomState.spiLine(40), true)
                    try vgic.setRedistributorRegister(.gicrISENABLER0, of: vcpus[1], to: 1 << 20)
                    try vgic.setLevel(try SnapshotRandomState.ppiLine(20), on: vcpus[1], true)
                } catch {
                    throw ScenarioFailure("setup: \(error)")
                }
                return try SnapshotLab.capture(vgic, &set, tally: &tally)
            }
            var checks: [String] = []
            let spiLatch = saved.bank(.distributor(.gicdISPENDR), in: .distributor)?[element: 1] ?? 0
            let spiLine = saved.bank(.lineLevels, in: .distributor)?[element: 1] ?? 0
            let ppiLatch = saved.bank(.redistributor(.gicrISPENDR0), in: .vcpu(1))?[element: 0] ?? 0
            let ppiLine = saved.bank(.lineLevels, in: .vcpu(1))?[element: 0] ?? 0
            if spiLatch & (1 << 8) != 0 { checks.append("SPI 40 latch set at capture (expected only its line)") }
            if spiLine & (1 << 8) == 0 { checks.append("SPI 40 line not saved") }
            if ppiLatch & (1 << 20) != 0 { checks.append("PPI 20 latch set at capture (expected only its line)") }
            if ppiLine & (1 << 20) == 0 { checks.append("PPI 20 line not saved") }
            try SnapshotLab.withVGIC(kvm, layout) { (vgic, set) throws(ScenarioFailure) in
                if let error = SnapshotLab.restore(saved, into: vgic, &set, tally: &tally) {
                    throw ScenarioFailure("restore: \(error)")
                }
                let vcpus = set.identities
                do throws(VGICError) {
                    if !(try vgic.lineLevel(of: 40, on: vcpus[0])) { checks.append("SPI 40 line low after restore") }
                    if !(try vgic.lineLevel(of: 20, on: vcpus[1])) { checks.append("PPI 20 line low after restore") }
                    let config = try vgic.distributorRegister(.gicdICFGR, covering: 40)
                    if config & (UInt64(2) << 16) != 0 { checks.append("SPI 40 edge after restore") }
                    if try vgic.distributorRegister(.gicdISENABLER, index: 1) & (1 << 8) == 0 {
                        checks.append("SPI 40 disabled after restore")
                    }
                    if try vgic.redistributorRegister(.gicrISENABLER0, of: vcpus[1]) & (1 << 20) == 0 {
                        checks.append("PPI 20 disabled after restore")
                    }
                } catch {
                    throw ScenarioFailure("reading back: \(error)")
                }
            }
            if !checks.isEmpty { return .fail(checks.joined(separator: "; ")) }
            return .pass("SPI 40 and PPI 20 (vCPU 1): pending only by line level at capture, line high, level and enabled after restore")
        } catch {
            return .fail(error.text)
        }
    }

    /// A snapshot of format version 2 (a newer writer) is refused by the decoder with its
    /// typed error, before anything could be restored.
    static func newerFormatVersion(_ context: ScenarioContext) -> Outcome {
        do throws(ScenarioFailure) {
            let kvm = try LabKernel.open(context)
            var bytes = try SnapshotLab.encode(try SnapshotRefusal.capturedSource(kvm))
            bytes[8] = 2
            do throws(SnapshotDecodingError) {
                _ = try GICSnapshot(decoding: bytes)
                return .fail("format version 2 decoded")
            } catch {
                guard error == .unsupportedFormatVersion(2) else { return .fail("format version 2: \(error)") }
                return .pass("format version 2: \(error)")
            }
        } catch {
            return error.outcome()
        }
    }

    /// A vCPU whose PRIbits were lowered to 4 (the kernel accepts lowering) is captured with 4
    /// bits. Restoring it into a fresh 5-bit vCPU is refused by default (`.priorityBits`, the
    /// target untouched); with `.allowFewerPriorityBits` it restores, and the vCPU then reports
    /// 4 bits and captures identically.
    static func fewerPriorityBits(_ context: ScenarioContext) -> Outcome {
        let kvm: KVM
        do throws(ScenarioFailure) { kvm = try LabKernel.open(context) } catch { return .skip(error.text) }
        let layout = SnapshotLabLayout(vcpus: 1, interruptCount: 64)
        do throws(ScenarioFailure) {
            var tally = AccessTally()
            let saved: GICSnapshot = try SnapshotLab.withVGIC(kvm, layout) { (vgic, set) throws(ScenarioFailure) in
                let vcpu = set.identities[0]
                do throws(VGICError) {
                    var control = ICCControl(rawValue: try vgic.systemRegister(.iccCTLR, of: vcpu))
                    control.priorityBits = 4
                    try vgic.setSystemRegister(.iccCTLR, of: vcpu, to: control.rawValue)
                } catch {
                    throw ScenarioFailure("lowering PRIbits: \(error)")
                }
                return try SnapshotLab.capture(vgic, &set, tally: &tally)
            }
            guard saved.identity.vcpus[0].priorityBits == 4 else {
                return .fail("captured \(saved.identity.vcpus[0].priorityBits) priority bits, expected 4")
            }
            let again: GICSnapshot = try SnapshotLab.withVGIC(kvm, layout) { (vgic, set) throws(ScenarioFailure) in
                let before = try SnapshotLab.capture(vgic, &set, tally: &tally)
                let refusal = SnapshotLab.restore(saved, into: vgic, &set, tally: &tally)
                guard case .mismatch(.priorityBits(_, 4, 5))? = refusal else {
                    throw ScenarioFailure("default restore of a 4-bit snapshot into 5 bits: \(refusal.map { "\($0)" } ?? "accepted")")
                }
                if let difference = SnapshotLab.firstDifference(before, try SnapshotLab.capture(vgic, &set, tally: &tally)) {
                    throw ScenarioFailure("refused restore changed the target: \(difference)")
                }
                if let error = SnapshotLab.restore(saved, into: vgic, &set, tally: &tally, compatibility: .allowFewerPriorityBits) {
                    throw ScenarioFailure("restore allowing fewer bits: \(error)")
                }
                return try SnapshotLab.capture(vgic, &set, tally: &tally)
            }
            if let difference = SnapshotLab.firstDifference(saved, again) { return .fail("after restore: \(difference)") }
            return .pass("4-bit snapshot into a 5-bit vCPU: refused by default with the target untouched; "
                + "with .allowFewerPriorityBits restored, the vCPU reports 4 bits and the capture is identical")
        } catch {
            return .fail(error.text)
        }
    }

    /// Figures for a 4-vCPU vgic with NR_IRQS 992 (the largest the kernel accepts; 1024 is
    /// refused): ioctls and wall time of capture and of restore, against the minimum number of
    /// register accesses its state needs; and a check that GICD_IROUTER's upper word is RAZ/WI
    /// here, which is why capture reads only the low word.
    static func figures(_ context: inout ScenarioContext) -> Outcome {
        let kvm: KVM
        do throws(ScenarioFailure) { kvm = try LabKernel.open(context) } catch { return .skip(error.text) }
        let layout = SnapshotLabLayout(vcpus: 4, interruptCount: 992)
        do throws(ScenarioFailure) {
            var captureTally = AccessTally()
            var captureNanoseconds: Int64 = 0
            var upperWordHeld = false
            let saved: GICSnapshot = try SnapshotLab.withVGIC(kvm, layout) { (vgic, set) throws(ScenarioFailure) in
                var random = SnapshotRandom(seed: 0xF16_0000)
                do throws(VGICError) {
                    try SnapshotRandomState.apply(&random, operations: 200, to: vgic, vcpus: set.identities, interruptCount: 992)
                    try vgic.setDistributorWord(.gicdIROUTER, word: 2 * 40 + 1, to: 0x5A)
                    upperWordHeld = try vgic.distributorWord(.gicdIROUTER, word: 2 * 40 + 1) != 0
                } catch {
                    throw ScenarioFailure("setup: \(error)")
                }
                let start = ckvm_monotonic_ns()
                let snapshot = try SnapshotLab.capture(vgic, &set, tally: &captureTally)
                captureNanoseconds = ckvm_monotonic_ns() - start
                return snapshot
            }
            var restoreTally = AccessTally()
            var restoreNanoseconds: Int64 = 0
            let again: GICSnapshot = try SnapshotLab.withVGIC(kvm, layout) { (vgic, set) throws(ScenarioFailure) in
                let start = ckvm_monotonic_ns()
                if let error = SnapshotLab.restore(saved, into: vgic, &set, tally: &restoreTally) {
                    throw ScenarioFailure("restore: \(error)")
                }
                restoreNanoseconds = ckvm_monotonic_ns() - start
                var ignored = AccessTally()
                return try SnapshotLab.capture(vgic, &set, tally: &ignored)
            }
            let minimum = Int64(saved.minimumAccesses)
            context.record("capture_ioctls", Int64(captureTally.total), unit: "count")
            context.record("capture_minimum_accesses", minimum, unit: "count")
            context.record("capture_us", captureNanoseconds / 1000, unit: "us")
            context.record("restore_ioctls", Int64(restoreTally.total), unit: "count")
            context.record("restore_writes", Int64(restoreTally.writes), unit: "count")
            context.record("restore_minimum_accesses", minimum, unit: "count")
            context.record("restore_us", restoreNanoseconds / 1000, unit: "us")
            context.record("encoded_bytes", Int64(try SnapshotLab.encode(saved).count), unit: "bytes")
            if upperWordHeld { return .fail("GICD_IROUTER's upper word held a value: saving only the low word would lose it") }
            if let difference = SnapshotLab.firstDifference(saved, again) { return .fail("after restore: \(difference)") }
            return .pass("capture \(captureTally.total) ioctls, restore \(restoreTally.total) (\(restoreTally.writes) writes), state needs \(minimum) each way; IROUTER upper word RAZ/WI")
        } catch {
            return .fail(error.text)
        }
    }

    /// `snapshot` claiming `bits` priority bits: the identity, ICC_CTLR_EL1.PRIbits and as many
    /// APRs as those bits imply.
    static func withPriorityBits(_ snapshot: GICSnapshot, _ bits: UInt32) throws(ScenarioFailure) -> GICSnapshot {
        var edited = snapshot
        let count = Int(ICCRegister.maxAPRIndex(priorityBits: bits)) + 1
        for position in edited.vcpus.indices {
            edited.identity.vcpus[position].priorityBits = bits
            for bank in edited.vcpus[position].banks.indices {
                switch edited.vcpus[position].banks[bank].register {
                case .system(let register) where register == .iccCTLR:
                    var control = ICCControl(rawValue: edited.vcpus[position].banks[bank].values[0])
                    control.priorityBits = bits
                    try SnapshotLab.edit(&edited.vcpus[position].banks[bank], 0, to: control.rawValue)
                case .activePriorities(let group):
                    do throws(SnapshotValueError) {
                        edited.vcpus[position].banks[bank] = try RegisterBank(
                            .activePriorities(group: group), firstIndex: 0, values: [UInt64](repeating: 0, count: count))
                    } catch {
                        throw ScenarioFailure("an APR bank of \(count): \(error)")
                    }
                default:
                    break
                }
            }
        }
        return edited
    }
}
