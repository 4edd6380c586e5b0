import GICSnapshot
import GICVocabulary
import KVM
import VGIC

/// One way a restore must be refused: how the target or the snapshot differs from the source,
/// and the typed error that must name it. Each row is its own scenario
/// (`snapshot.v3.refuses.<name>`), and each checks the same three things: the typed error, no
/// write issued, and a target that reads exactly as before.
struct SnapshotRefusal: Sendable {
    /// The scenario name's last component.
    let name: String
    /// What the row differs in, for details.
    let label: String
    /// The target's layout, from the source's.
    let target: @Sendable (SnapshotLabLayout) -> SnapshotLabLayout
    /// The snapshot offered, from the source's capture; a nil result skips with `skipReason`.
    let snapshot: @Sendable (GICSnapshot) throws(ScenarioFailure) -> GICSnapshot?
    /// Whether the refusal is the one this row expects.
    let matches: @Sendable (SnapshotError) -> Bool
    /// Why the row cannot run when `snapshot` returns nil.
    let skipReason: String

    init(
        _ name: String, _ label: String,
        target: @escaping @Sendable (SnapshotLabLayout) -> SnapshotLabLayout = { $0 },
        snapshot: @escaping @Sendable (GICSnapshot) throws(ScenarioFailure) -> GICSnapshot? = { $0 },
        skipReason: String = "",
        matches: @escaping @Sendable (SnapshotError) -> Bool
    ) {
        self.name = name
        self.label = label
        self.target = target
        self.snapshot = snapshot
        self.skipReason = skipReason
        self.matches = matches
    }

    /// The source every row starts from: two vCPUs, NR_IRQS 256, legacy redistributors.
    static let source = SnapshotLabLayout(vcpus: 2, interruptCount: 256)

    /// Targets of another layout first, then snapshots edited to disagree.
    static let rows: [SnapshotRefusal] = [
        SnapshotRefusal("vcpu_count", "vCPU count", target: { var t = $0; t.vcpuIDs = [0]; return t }) {
            if case .mismatch(.vcpuCount(2, 1)) = $0 { true } else { false }
        },
        SnapshotRefusal("mpidr", "MPIDR", target: { var t = $0; t.vcpuIDs = [0, 2]; return t }) {
            if case .mismatch(.vcpu(position: 1, _, _)) = $0 { true } else { false }
        },
        SnapshotRefusal("nr_irqs", "NR_IRQS", target: { var t = $0; t.interruptCount = 128; return t }) {
            if case .mismatch(.interruptCount(256, 128)) = $0 { true } else { false }
        },
        SnapshotRefusal("frames", "frame addresses", target: { var t = $0; t.distributor = 0x0900_0000; return t }) {
            if case .mismatch(.frames) = $0 { true } else { false }
        },
        SnapshotRefusal("redistributor_regions", "redistributor regions", target: { var t = $0; t.regions = true; return t }) {
            if case .mismatch(.frames) = $0 { true } else { false }
        },
        SnapshotRefusal("its", "an ITS on the target", target: { var t = $0; t.its = true; return t }) {
            if case .mismatch(.its(false, true)) = $0 { true } else { false }
        },
        SnapshotRefusal("gic_version", "GIC version", snapshot: { var s = $0; s.identity.gicVersion = .v2; return s }) {
            if case .mismatch(.gicVersion(.v2, .v3)) = $0 { true } else { false }
        },
        SnapshotRefusal("iidr_revision", "a newer IIDR revision", snapshot: { source in
            var s = source
            s.identity.iidr = source.identity.iidr & ~(0xF << 12) | ((source.identity.revision + 1) & 0xF) << 12
            return s
        }) {
            if case .mismatch(.implementation) = $0 { true } else { false }
        },
        SnapshotRefusal("typer2", "GICD_TYPER2", snapshot: { var s = $0; s.identity.typer2 ^= 1 << 8; return s }) {
            if case .mismatch(.typer2) = $0 { true } else { false }
        },
        SnapshotRefusal("gicr_typer", "GICR_TYPER", snapshot: { var s = $0; s.identity.vcpus[0].redistributorType ^= 1 << 4; return s }) {
            if case .mismatch(.redistributor) = $0 { true } else { false }
        },
        SnapshotRefusal(
            "priority_bits", "more priority bits than the target",
            snapshot: { (source) throws(ScenarioFailure) -> GICSnapshot? in
                source.identity.vcpus[0].priorityBits < 7 ? try SnapshotScenarios.withPriorityBits(source, 7) : nil
            },
            skipReason: "the host already has 7 priority bits, so no snapshot can claim more"
        ) {
            if case .mismatch(.priorityBits(_, 7, _)) = $0 { true } else { false }
        },
        SnapshotRefusal("icc_ctlr_seis", "ICC_CTLR_EL1.SEIS", snapshot: { (source) throws(ScenarioFailure) -> GICSnapshot? in
            var s = source
            guard let position = s.vcpus[0].banks.firstIndex(where: { $0.register == .system(.iccCTLR) }) else {
                throw ScenarioFailure("the source snapshot has no ICC_CTLR_EL1")
            }
            let bank = s.vcpus[0].banks[position]
            try SnapshotLab.edit(&s.vcpus[0].banks[position], bank.firstIndex, to: bank.values[0] ^ ICCControl.seisMask)
            return s
        }) {
            if case .mismatch(.cpuInterface) = $0 { true } else { false }
        },
        SnapshotRefusal("foreign_section", "a section of a newer writer", snapshot: { source in
            var s = source
            s.foreignSections = [ForeignSection(type: 17, version: 1, payload: [1, 2, 3])]
            return s
        }) {
            if case .mismatch(.foreignSections([17])) = $0 { true } else { false }
        },
        SnapshotRefusal("missing_bank", "a missing GICD_ISPENDR", snapshot: { source in
            var s = source
            s.distributor.removeAll { $0.register == .distributor(.gicdISPENDR) }
            return s
        }) {
            if case .malformed(.missingBank) = $0 { true } else { false }
        },
    ]

    /// The row as a scenario.
    var scenario: Scenario {
        let row = self
        return Scenario("snapshot.v3.refuses.\(name)") { context in row.run(context) }
    }

    /// Captures a seeded source, builds the row's target and snapshot, and checks the refusal.
    func run(_ context: ScenarioContext) -> Outcome {
        do throws(ScenarioFailure) {
            let kvm = try LabKernel.open(context)
            let source = try SnapshotRefusal.capturedSource(kvm)
            guard let offered = try snapshot(source) else { return .skip(skipReason) }
            let layout = target(SnapshotRefusal.source)
            if layout.its, (try? SnapshotLab.withVGIC(kvm, layout) { (_, _) throws(ScenarioFailure) in true }) != true {
                return .skip("host offers no ITS")
            }
            return try SnapshotLab.withVGIC(kvm, layout) { (vgic, set) throws(ScenarioFailure) -> Outcome in
                var tally = AccessTally()
                let before: GICSnapshot? = layout.its ? nil : try SnapshotLab.capture(vgic, &set, tally: &tally)
                var attempt = AccessTally()
                guard let error = SnapshotLab.restore(offered, into: vgic, &set, tally: &attempt) else {
                    return .fail("\(label): restore succeeded")
                }
                guard matches(error) else { return .fail("\(label): refused with \(error)") }
                guard attempt.writes == 0 else { return .fail("\(label): \(attempt.writes) writes issued") }
                if let before {
                    let after = try SnapshotLab.capture(vgic, &set, tally: &tally)
                    if let difference = SnapshotLab.firstDifference(before, after) {
                        return .fail("\(label): target changed: \(difference)")
                    }
                }
                return .pass("\(label): \(error); no write issued, target unchanged")
            }
        } catch {
            return error.outcome(prefix: label)
        }
    }

    /// The source's capture after a seeded random state.
    static func capturedSource(_ kvm: borrowing KVM) throws(ScenarioFailure) -> GICSnapshot {
        var tally = AccessTally()
        return try SnapshotLab.withVGIC(kvm, source) { (vgic, set) throws(ScenarioFailure) in
            var random = SnapshotRandom(seed: 0xBAD5_EED)
            do throws(VGICError) {
                try SnapshotRandomState.apply(&random, operations: 40, to: vgic, vcpus: set.identities, interruptCount: 256)
            } catch {
                throw ScenarioFailure("source state: \(error)")
            }
            return try SnapshotLab.capture(vgic, &set, tally: &tally)
        }
    }
}
