import GICVocabulary
import KVM
import VGIC

extension VGIC {
    /// Writes `snapshot` back into this vgic, which must be freshly created and initialised with
    /// the snapshot's layout (same vCPUs and MPIDRs, NR_IRQS, frames), following `RestoreOrder`.
    ///
    /// Everything that can be checked is checked before the first write, in this order: the
    /// snapshot's own consistency (`.malformed`), sections this build cannot restore, the models,
    /// then the target's identity, read from the kernel and compared field by field
    /// (`.mismatch`), then, with an ITS, its frame and that guest RAM holding the ITS's state was
    /// restored (`.guestMemoryNotRestored`). Any of those leaves the target untouched.
    ///
    /// With an ITS, `ITSRestoreOrder` follows `RestoreOrder`: the redistributors' LPI registers
    /// are in place before `ITS_RESTORE_TABLES` reads the tables and pending tables.
    ///
    /// - Parameter stopped: proof that the target VM's vCPUs are not running, and which they are;
    ///   they are matched to the snapshot's by affinity.
    /// - Throws: `.malformed`, `.unsupported`, `.mismatch`, `.reading`, all with nothing written;
    ///   `.writing` if the kernel refuses a write, after which the target is partly restored.
    /// - Parameter compatibility: `.exactLayout` (the default) refuses any PRIbits difference;
    ///   `.allowFewerPriorityBits` lets a snapshot with fewer bits into a wider vCPU.
    /// - Parameter restoredMemory: the guest RAM the VMM has already restored; with an ITS it must
    ///   cover `snapshot.itsMemoryRanges`.
    public func restoreSnapshot(
        _ snapshot: GICSnapshot, _ stopped: borrowing StoppedVCPUs, restoredMemory: RestoredGuestMemory = .none,
        compatibility: RestoreCompatibility = .exactLayout
    ) throws(SnapshotError) {
        var tally = AccessTally()
        try restoreSnapshot(snapshot, stopped, restoredMemory: restoredMemory, compatibility: compatibility, tally: &tally)
    }

    /// `restoreSnapshot(_:_:)`, after checking that the ITS tables in `memory` (the guest RAM the
    /// VMM restored) would load: a table the kernel would refuse is `.malformed(.itsTables)`
    /// before anything is written, where `ITS_RESTORE_TABLES` would refuse it after the GICv3 and
    /// the ITS registers were written. `restoredMemory` is still what the VMM declares.
    public func restoreSnapshot<Memory: GuestPhysicalMemory>(
        _ snapshot: GICSnapshot, _ stopped: borrowing StoppedVCPUs, restoredMemory: RestoredGuestMemory, tables memory: Memory,
        compatibility: RestoreCompatibility = .exactLayout
    ) throws(SnapshotError) {
        if snapshot.structuralProblem() == nil, let problem = snapshot.itsTableProblem(in: memory) {
            throw .malformed(.itsTables(problem))
        }
        var tally = AccessTally()
        try restoreSnapshot(snapshot, stopped, restoredMemory: restoredMemory, compatibility: compatibility, tally: &tally)
    }

    /// `restoreSnapshot(_:_:)`, adding the kernel accesses it issued (validation reads included)
    /// to `tally`.
    public func restoreSnapshot(
        _ snapshot: GICSnapshot, _ stopped: borrowing StoppedVCPUs, restoredMemory: RestoredGuestMemory = .none,
        compatibility: RestoreCompatibility = .exactLayout, tally: inout AccessTally
    ) throws(SnapshotError) {
        if !snapshot.foreignSections.isEmpty {
            throw .mismatch(.foreignSections(snapshot.foreignSections.map { $0.type }))
        }
        guard version == .v3 else { throw .unsupported(.model(version)) }
        guard snapshot.identity.gicVersion == version else {
            throw .mismatch(.gicVersion(snapshot: snapshot.identity.gicVersion, target: version))
        }
        if let problem = snapshot.structuralProblem() { throw .malformed(problem) }
        guard isInitialised else { throw .unsupported(.notInitialised) }
        guard !stopped.vcpus.isEmpty else { throw .unsupported(.noVCPUs) }
        if hasITS != snapshot.identity.hasITS { throw .mismatch(.its(snapshot: snapshot.identity.hasITS, target: hasITS)) }

        let vcpus = try snapshot.matchVCPUs(stopped.vcpus)
        let target = try IdentityReading.read(from: self, vcpus: vcpus, tally: &tally)
        if let mismatch = try snapshot.mismatch(with: target.identity, controls: target.controls, compatibility: compatibility) {
            throw .mismatch(mismatch)
        }
        if let its = snapshot.its { try checkITSTarget(its, tally: &tally) }
        let missing = snapshot.itsMemoryRanges.filter { !restoredMemory.covers($0.range) }
        if !missing.isEmpty { throw .guestMemoryNotRestored(missing) }
        let held = try heldValues(snapshot, vcpus, tally: &tally)

        for phase in RestoreOrder.phases {
            switch phase.scope {
            case .distributor:
                for step in phase.steps {
                    try perform(step, snapshot, held, scope: .distributor, vcpu: vcpus[0], tally: &tally)
                }
            case .eachVCPU:
                for (position, vcpu) in vcpus.enumerated() {
                    for step in phase.steps {
                        try perform(step, snapshot, held, scope: .vcpu(position), vcpu: vcpu, tally: &tally)
                    }
                }
            }
        }
        if let its = snapshot.its { try restoreITS(its, tally: &tally) }
    }

    /// The target's ITS must sit where the snapshot's did and be disabled (a fresh one is).
    private func checkITSTarget(_ its: ITSState, tally: inout AccessTally) throws(SnapshotError) {
        let base: UInt64
        let control: UInt64
        do throws(VGICError) {
            base = try withITS { (target) throws(VGICError) in target.base }
            control = try itsRegister(.gitsCTLR)
            tally.reads += 1
        } catch {
            throw .reading(nil, .distributor, error)
        }
        if base != its.base { throw .mismatch(.itsBase(snapshot: its.base, target: base)) }
        if control & 1 != 0 { throw .mismatch(.itsEnabled) }
    }

    /// `ITSRestoreOrder`, step by step.
    private func restoreITS(_ its: ITSState, tally: inout AccessTally) throws(SnapshotError) {
        for (step, _) in ITSRestoreOrder.steps {
            do throws(VGICError) {
                switch step {
                case .register(let register, let index):
                    // Present: `structuralProblem()` found every register the order writes.
                    guard let value = its.value(register, index: index) else { continue }
                    try setITSRegister(register, index: index, to: value)
                case .restoreTables:
                    try restoreITSTables()
                }
                tally.writes += 1
            } catch {
                throw .itsWriting(step, error)
            }
        }
    }

    /// What the target holds in every element a `.writeBackIfDifferent` step may skip, read
    /// before the first write.
    private func heldValues(
        _ snapshot: GICSnapshot, _ vcpus: [VCPUIdentity], tally: inout AccessTally
    ) throws(SnapshotError) -> [HeldKey: UInt64] {
        var held: [HeldKey: UInt64] = [:]
        for phase in RestoreOrder.phases {
            for step in phase.steps {
                guard case .writeBackIfDifferent(let register) = step.operation else { continue }
                let scopes: [(SnapshotScope, VCPUIdentity)] = phase.scope == .distributor
                    ? [(.distributor, vcpus[0])]
                    : vcpus.enumerated().map { (SnapshotScope.vcpu($0.offset), $0.element) }
                for (scope, vcpu) in scopes {
                    guard let bank = snapshot.bank(register, in: scope) else { continue }
                    for index in bank.indices {
                        do throws(VGICError) {
                            held[HeldKey(scope: scope, register: register, index: index)] =
                                try readElement(register, index, vcpu: vcpu, tally: &tally)
                        } catch {
                            throw .reading(register, scope, error)
                        }
                    }
                }
            }
        }
        return held
    }

    /// One step of the order for one scope.
    private func perform(
        _ step: RestoreStep, _ snapshot: GICSnapshot, _ held: [HeldKey: UInt64], scope: SnapshotScope,
        vcpu: VCPUIdentity, tally: inout AccessTally
    ) throws(SnapshotError) {
        switch step.operation {
        case .implementation:
            do throws(VGICError) {
                try setDistributorRegister(.gicdIIDR, to: UInt64(snapshot.identity.iidr))
                tally.writes += 1
            } catch {
                throw .writing(step, scope, index: 0, error)
            }
        case .writeBack(let register):
            // Present: `structuralProblem()` found every bank `RestoreOrder` writes.
            guard let bank = snapshot.bank(register, in: scope) else { return }
            for (offset, value) in bank.values.enumerated() {
                let index = bank.firstIndex + UInt32(offset)
                do throws(VGICError) {
                    try writeElement(register, index, value, vcpu: vcpu, tally: &tally)
                } catch {
                    throw .writing(step, scope, index: index, error)
                }
            }
        case .writeBackIfDifferent(let register):
            guard let bank = snapshot.bank(register, in: scope) else { return }
            for (offset, value) in bank.values.enumerated() {
                let index = bank.firstIndex + UInt32(offset)
                if held[HeldKey(scope: scope, register: register, index: index)] == value { continue }
                do throws(VGICError) {
                    try writeElement(register, index, value, vcpu: vcpu, tally: &tally)
                } catch {
                    throw .writing(step, scope, index: index, error)
                }
            }
        case .clear(let register, let paired):
            guard let bank = snapshot.bank(paired, in: scope) else { return }
            for index in bank.indices {
                do throws(VGICError) {
                    try clearElement(register, index, vcpu: vcpu, tally: &tally)
                } catch {
                    throw .writing(step, scope, index: index, error)
                }
            }
        }
    }
}

/// An element of a target register, as read before a restore writes.
struct HeldKey: Hashable {
    var scope: SnapshotScope
    var register: SnapshotRegister
    var index: UInt32
}
