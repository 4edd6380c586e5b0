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
        /// GICR_PROPBASER/PENDBASER reset to 0, and writing 0 back stores 0x180 (inner
        /// cacheability nCnB becomes RaWb, `vgic_sanitise_propbaser`), which a guest would read.
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

    init(_ scope: RestoreStep.Scope, _ steps: [(RestoreStep.Operation, StaticString)]) {
        self.scope = scope
        self.steps = steps.map { RestoreStep(scope, $0.0, $0.1) }
    }
}
