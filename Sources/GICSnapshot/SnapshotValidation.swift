import GICVocabulary
import VGIC

extension GICSnapshot {
    /// The first way this snapshot contradicts itself, or nil: NR_IRQS and GICD_TYPER agree,
    /// every vCPU has 1–7 priority bits and a distinct affinity, and each scope holds exactly the
    /// registers `RestoreOrder` writes, each with exactly the elements `SnapshotCoverage` names.
    public func structuralProblem() -> SnapshotProblem? {
        let count = identity.interruptCount
        guard VGICConfiguration.isValidInterruptCount(count) else { return .interruptCount(count) }
        guard identity.typerInterruptCount == count else {
            return .typerDisagrees(typer: identity.typer, interruptCount: count)
        }
        guard vcpus.count == identity.vcpus.count else {
            return .vcpuStateCount(identity: identity.vcpus.count, states: vcpus.count)
        }
        if let problem = formatProblem() { return .unrepresentable(problem) }
        for (position, layout) in identity.vcpus.enumerated() {
            guard (1...7).contains(layout.priorityBits) else {
                return .priorityBits(position: position, bits: layout.priorityBits)
            }
            for earlier in identity.vcpus[..<position] where earlier.identity.affinity == layout.identity.affinity {
                return .duplicateAffinity(position: position)
            }
        }
        if let problem = bankProblem(distributor, .distributor, .distributor, activePriorityCount: 0) {
            return problem
        }
        for (position, layout) in identity.vcpus.enumerated() {
            let scope = SnapshotScope.vcpu(position)
            if let problem = bankProblem(
                vcpus[position].banks, scope, .eachVCPU, activePriorityCount: layout.activePriorityCount)
            {
                return problem
            }
            if let control = bank(.system(ICCRegister.iccCTLR), in: scope)?.values.first {
                let bits = ICCControl(rawValue: control).priorityBits
                if bits != layout.priorityBits {
                    return .controlDisagrees(position: position, identityBits: layout.priorityBits, controlBits: bits)
                }
            }
        }
        if identity.hasITS != (its != nil) { return .its(.presence(identity: identity.hasITS, state: its != nil)) }
        if let problem = its?.problem { return .its(problem) }
        return nil
    }

    private func bankProblem(
        _ banks: [RegisterBank], _ scope: SnapshotScope, _ kind: RestoreStep.Scope, activePriorityCount: Int
    ) -> SnapshotProblem? {
        let required = RestoreOrder.savedRegisters(kind)
        for (position, bank) in banks.enumerated() {
            guard required.contains(bank.register) else { return .unexpectedBank(bank.register, scope) }
            for earlier in banks[..<position] where earlier.register == bank.register {
                return .unexpectedBank(bank.register, scope)
            }
        }
        for register in required {
            guard let bank = banks.first(where: { $0.register == register }) else {
                return .missingBank(register, scope)
            }
            let expected = SnapshotCoverage.elements(
                of: register, in: kind, interruptCount: identity.interruptCount,
                activePriorityCount: activePriorityCount)
            guard bank.indices == expected else {
                return .bankElements(register, scope, expected: expected, found: bank.indices)
            }
            if !register.holds64Bits {
                for (offset, value) in bank.values.enumerated() where value > UInt64(UInt32.max) {
                    return .valueTooWide(register, scope, index: bank.firstIndex + UInt32(offset), value: value)
                }
            }
        }
        return nil
    }

    /// The first way this snapshot does not fit a vgic whose identity is `target` (read from it),
    /// or nil. `target.vcpus` must already be in snapshot order (see `matchVCPUs`).
    ///
    /// Throws `.malformed(.missingBank)` for a snapshot `structuralProblem` would have refused.
    func mismatch(
        with target: SnapshotIdentity, controls: [ICCControl], compatibility: RestoreCompatibility = .exactLayout
    ) throws(SnapshotError) -> SnapshotMismatch? {
        let source = identity
        if source.interruptCount != target.interruptCount {
            return .interruptCount(snapshot: source.interruptCount, target: target.interruptCount)
        }
        let revisionMask: UInt32 = 0xF << 12
        let sameImplementation = (source.iidr ^ target.iidr) & ~revisionMask == 0
        if !sameImplementation || source.revision < 2 || source.revision > target.revision {
            return .implementation(snapshot: source.iidr, target: target.iidr)
        }
        if source.hasITS != target.hasITS { return .its(snapshot: source.hasITS, target: target.hasITS) }
        if source.typer2 != target.typer2 { return .typer2(snapshot: source.typer2, target: target.typer2) }
        if source.frames != target.frames { return .frames(snapshot: source.frames, target: target.frames) }
        for (position, layout) in source.vcpus.enumerated() {
            let other = target.vcpus[position]
            if layout.redistributorType != other.redistributorType {
                return .redistributor(
                    vcpu: layout.identity, snapshot: layout.redistributorType, target: other.redistributorType)
            }
            let narrowing = compatibility == .allowFewerPriorityBits && layout.priorityBits < other.priorityBits
            if layout.priorityBits != other.priorityBits && !narrowing {
                return .priorityBits(vcpu: layout.identity, snapshot: layout.priorityBits, target: other.priorityBits)
            }
            let saved = try savedControl(at: position)
            let theirs = controls[position]
            if saved.idBits > theirs.idBits || saved.seis != theirs.seis || saved.a3v != theirs.a3v {
                return .cpuInterface(vcpu: layout.identity, snapshot: saved.rawValue, target: theirs.rawValue)
            }
        }
        return nil
    }

    /// The ICC_CTLR_EL1 the snapshot saved for the vCPU at `position`.
    func savedControl(at position: Int) throws(SnapshotError) -> ICCControl {
        let register = SnapshotRegister.system(ICCRegister.iccCTLR)
        guard let value = bank(register, in: .vcpu(position))?.values.first else {
            throw .malformed(.missingBank(register, .vcpu(position)))
        }
        return ICCControl(rawValue: value)
    }

    /// The target's vCPUs in the snapshot's order, matched by affinity (the selector every
    /// per-vCPU attr uses), or the first vCPU that has no counterpart.
    func matchVCPUs(_ target: [VCPUIdentity]) throws(SnapshotError) -> [VCPUIdentity] {
        guard target.count == identity.vcpus.count else {
            throw .mismatch(.vcpuCount(snapshot: identity.vcpus.count, target: target.count))
        }
        var ordered: [VCPUIdentity] = []
        for (position, layout) in identity.vcpus.enumerated() {
            guard let match = target.first(where: { $0.affinity == layout.identity.affinity }),
                match.id == layout.identity.id
            else {
                let shown = target.first(where: { $0.affinity == layout.identity.affinity }) ?? target[position]
                throw .mismatch(.vcpu(position: position, snapshot: layout.identity, target: shown))
            }
            ordered.append(match)
        }
        return ordered
    }
}
