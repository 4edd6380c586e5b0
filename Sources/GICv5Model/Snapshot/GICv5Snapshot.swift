import GICVocabulary

/// The whole state of a `GICv5VM`, comparable with `==`, and `differences(from:)` to say what
/// differs. Take one with `GICv5VM.snapshot()`.
public struct GICv5Snapshot: Hashable, Sendable {
    /// `vgic_ppi_mask`.
    public var exposedPPIs: PPISet
    /// `vgic_ppi_hmr`.
    public var exposedLevelPPIs: PPISet
    public var vcpus: [GICv5VCPUState]
    public var irs: GICv5IRS

    public init(exposedPPIs: PPISet, exposedLevelPPIs: PPISet, vcpus: [GICv5VCPUState], irs: GICv5IRS) {
        self.exposedPPIs = exposedPPIs
        self.exposedLevelPPIs = exposedLevelPPIs
        self.vcpus = vcpus
        self.irs = irs
    }
}

extension GICv5VM {
    /// The model's state now.
    public func snapshot() -> GICv5Snapshot {
        GICv5Snapshot(exposedPPIs: exposedPPIs, exposedLevelPPIs: exposedLevelPPIs, vcpus: vcpus, irs: irs)
    }
}

/// One difference between two snapshots: which thing, which field, the expected and the actual
/// value (flags as 0/1, enums as their encodings, absent mappings as `absent`).
public struct GICv5Difference: Hashable, Sendable, CustomStringConvertible {
    /// What the field belongs to.
    public enum Subject: Hashable, Sendable {
        case vm
        case vcpu(Int)
        case ppi(vcpu: Int, GICv5PPI)
        case irs
        case spi(UInt32)
        case lpi(UInt32)
    }

    /// The value used for an absent physical mapping's fields.
    public static let absent = UInt64.max

    public var subject: Subject
    public var field: String
    public var expected: UInt64
    public var actual: UInt64

    public init(subject: Subject, field: String, expected: UInt64, actual: UInt64) {
        self.subject = subject
        self.field = field
        self.expected = expected
        self.actual = actual
    }

    public var description: String {
        let what: String
        switch subject {
        case .vm: what = "VM"
        case let .vcpu(index): what = "vCPU \(index)"
        case let .ppi(vcpu, ppi): what = "vCPU \(vcpu) PPI \(ppi.id)"
        case .irs: what = "IRS"
        case let .spi(id): what = "SPI \(id)"
        case let .lpi(id): what = "LPI \(id)"
        }
        return "\(what) \(field): expected \(show(expected)), actual \(show(actual))"
    }

    private func show(_ value: UInt64) -> String {
        value == Self.absent ? "absent" : hex(value)
    }
}
