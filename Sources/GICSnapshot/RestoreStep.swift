import GICVocabulary

/// One line of the restore order: what is written, for which scope, and why it sits where it
/// does.
public struct RestoreStep: Hashable, Sendable, CustomStringConvertible {
    /// What the step writes.
    public enum Operation: Hashable, Sendable {
        /// GICD_IIDR from the snapshot's identity.
        case implementation
        /// Every saved element of the register, as saved.
        case writeBack(SnapshotRegister)
        /// Every saved element that differs from what the target holds (read before the first
        /// write of the restore). For registers the kernel sanitises on write but not at reset:
        /// GICR_PROPBASER resets to 0, and writing 0 back stores 0x180 (inner cacheability nCnB
        /// becomes RaWb, `vgic_sanitise_propbaser`), which a guest would read. GICR_PENDBASER
        /// follows the same rule; its reset value is already sanitised.
        case writeBackIfDifferent(SnapshotRegister)
        /// All-ones to `register` once per saved element of `before`, the register it pairs with.
        /// Through uaccess an IC* write clears exactly the bits written (`vgic_uaccess_write_cenable`,
        /// `vgic_mmio_uaccess_write_cactive`), so the set register that follows leaves precisely
        /// the saved bits, whatever the target held.
        case clear(GICv3Register, before: SnapshotRegister)
    }

    /// Where the step applies.
    public enum Scope: Hashable, Sendable {
        /// Once, to the distributor.
        case distributor
        /// To every vCPU, in identity order.
        case eachVCPU
    }

    public let scope: Scope
    public let operation: Operation
    /// The rule that puts the step here, with its source.
    public let reason: StaticString

    public init(_ scope: Scope, _ operation: Operation, _ reason: StaticString) {
        self.scope = scope
        self.operation = operation
        self.reason = reason
    }

    /// The register whose saved values the step writes back, if it is a write-back.
    public var savedRegister: SnapshotRegister? {
        switch operation {
        case .writeBack(let register), .writeBackIfDifferent(let register): register
        case .implementation, .clear: nil
        }
    }

    /// The register the step writes.
    public var writtenRegister: String {
        switch operation {
        case .implementation: "GICD_IIDR"
        case .writeBack(let register), .writeBackIfDifferent(let register): register.name
        case .clear(let register, _): register.name.description
        }
    }

    public var description: String {
        switch scope {
        case .distributor: writtenRegister
        case .eachVCPU: writtenRegister + " (each vCPU)"
        }
    }

    public static func == (lhs: RestoreStep, rhs: RestoreStep) -> Bool {
        lhs.scope == rhs.scope && lhs.operation == rhs.operation
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(scope)
        hasher.combine(operation)
    }
}

/// Steps that run together: a distributor phase runs its steps once; a per-vCPU phase runs all
/// its steps for the first vCPU, then all for the next.
public struct RestorePhase: Hashable, Sendable {
    public let scope: RestoreStep.Scope
    public let steps: [RestoreStep]
    /// Registers the phase lists whose table row gives them no restore operation (identity or
    /// not saved, or a clear register with no set partner). Always empty: the restore order
    /// tests check it, so a row and the order cannot disagree without a failing test.
    let unrestorable: [GICv3Register]

    /// What a phase lists: the order's own entries, and GICv3 registers whose operation the
    /// register table's `restore` column decides.
    enum Entry {
        case implementation
        case register(GICv3Register)
        case lineLevels
        case system(ICCRegister)
        case activePriorities(group: UInt8)
    }

    init(_ scope: RestoreStep.Scope, _ entries: [(Entry, StaticString)]) {
        var steps: [RestoreStep] = []
        var unrestorable: [GICv3Register] = []
        for (entry, reason) in entries {
            let operation: RestoreStep.Operation?
            switch entry {
            case .implementation: operation = .implementation
            case .register(let register): operation = .restoring(register)
            case .lineLevels: operation = .writeBack(.lineLevels)
            case .system(let register): operation = .writeBack(.system(register))
            case .activePriorities(let group): operation = .writeBack(.activePriorities(group: group))
            }
            if let operation {
                steps.append(RestoreStep(scope, operation, reason))
            } else if case .register(let register) = entry {
                unrestorable.append(register)
            }
        }
        self.scope = scope
        self.steps = steps
        self.unrestorable = unrestorable
    }
}

extension RestoreStep.Operation {
    /// The operation `register`'s table row asks for (`GICv3Register.restore`), or nil where the
    /// row says it is not written back.
    static func restoring(_ register: GICv3Register) -> Self? {
        let saved: SnapshotRegister = register.frame == .distributor ? .distributor(register) : .redistributor(register)
        switch register.restore {
        case .writeBack: return .writeBack(saved)
        case .onlyIfDifferent: return .writeBackIfDifferent(saved)
        case .implementation: return .implementation
        case .clearsBeforeSet:
            guard let partner = register.setPartner else { return nil }
            return .clear(register, before: partner.frame == .distributor ? .distributor(partner) : .redistributor(partner))
        case .identity, .notSaved: return nil
        }
    }
}
