import GICVocabulary
import VGIC

/// Why a snapshot does not fit a restore target. Found by reading the target only: when restore
/// reports one of these, nothing was written.
///
/// Each case names the field and both values, so a VMM can tell its user what differs (the
/// classic failures are a different vCPU count, vCPUs addressed by index instead of MPIDR, and
/// another NR_IRQS, GICSnapshot.docc/RestoreRules.md).
public enum SnapshotMismatch: Hashable, Sendable, CustomStringConvertible {
    /// The snapshot is of another GIC model than the target.
    case gicVersion(snapshot: GICVersion, target: GICVersion)
    /// A different number of vCPUs.
    case vcpuCount(snapshot: Int, target: Int)
    /// The vCPU at `position` has another id or MPIDR affinity in the target.
    case vcpu(position: Int, snapshot: VCPUIdentity, target: VCPUIdentity)
    /// A different NR_IRQS.
    case interruptCount(snapshot: UInt32, target: UInt32)
    /// GICD_IIDR: another implementer or product, or a revision the target cannot show (the
    /// kernel accepts revisions 2 up to its own).
    case implementation(snapshot: UInt32, target: UInt32)
    /// One has an ITS (GICD_TYPER.LPIS) and the other has not.
    case its(snapshot: Bool, target: Bool)
    /// The ITS frame is elsewhere in guest-physical space (MSI routes and the guest's driver name
    /// the doorbell by address).
    case itsBase(snapshot: UInt64, target: UInt64)
    /// The target's ITS is already enabled: it would ignore GITS_BASER<n> and run the restored
    /// queue at once. Restore into a freshly created ITS.
    case itsEnabled
    /// GICD_TYPER2 differs; the kernel refuses to change it after CTRL_INIT.
    case typer2(snapshot: UInt32, target: UInt32)
    /// The distributor or redistributors are elsewhere in guest-physical space.
    case frames(snapshot: FrameLayout, target: FrameLayout)
    /// GICR_TYPER of a vCPU differs: another processor number, or another place in its
    /// redistributor region (the Last bit).
    case redistributor(vcpu: VCPUIdentity, snapshot: UInt64, target: UInt64)
    /// The snapshot needs more priority bits (so more APRs) than the target vCPU implements:
    /// the kernel would refuse ICC_CTLR_EL1 with EINVAL. Fewer is accepted: the kernel lowers the
    /// vCPU's PRIbits to the snapshot's, which is then what the guest sees again.
    case priorityBits(vcpu: VCPUIdentity, snapshot: UInt32, target: UInt32)
    /// ICC_CTLR_EL1's IDbits exceed the target's, or SEIS/A3V differ from the host's
    /// (`set_gic_ctlr` refuses both).
    case cpuInterface(vcpu: VCPUIdentity, snapshot: UInt64, target: UInt64)
    /// The snapshot carries sections this build cannot restore (their types), e.g. ITS state
    /// written by a newer version.
    case foreignSections([UInt16])

    public var description: String {
        switch self {
        case .gicVersion(let snapshot, let target):
            "snapshot is of a \(snapshot), the target is a \(target)"
        case .vcpuCount(let snapshot, let target):
            "snapshot has \(snapshot) vCPUs, the target \(target)"
        case .vcpu(let position, let snapshot, let target):
            "vCPU #\(position): snapshot has \(describe(snapshot)), the target \(describe(target))"
        case .interruptCount(let snapshot, let target):
            "snapshot has NR_IRQS \(snapshot), the target \(target)"
        case .implementation(let snapshot, let target):
            "GICD_IIDR \(hex(snapshot)) cannot be restored into a vgic with GICD_IIDR \(hex(target))"
        case .itsBase(let snapshot, let target):
            "ITS frame at \(hex(snapshot)) in the snapshot, \(hex(target)) in the target"
        case .itsEnabled:
            "the target's ITS is already enabled"
        case .its(let snapshot, let target):
            "snapshot \(snapshot ? "has" : "has no") ITS, the target \(target ? "has one" : "has none")"
        case .typer2(let snapshot, let target):
            "GICD_TYPER2: snapshot \(hex(snapshot)), target \(hex(target))"
        case .frames(let snapshot, let target):
            "frames differ: snapshot \(describe(snapshot)), target \(describe(target))"
        case .redistributor(let vcpu, let snapshot, let target):
            "GICR_TYPER of \(describe(vcpu)): snapshot \(hex(snapshot)), target \(hex(target))"
        case .priorityBits(let vcpu, let snapshot, let target):
            "\(describe(vcpu)): snapshot needs \(snapshot) priority bits, the target has \(target)"
        case .cpuInterface(let vcpu, let snapshot, let target):
            "ICC_CTLR_EL1 of \(describe(vcpu)): snapshot \(hex(snapshot)) does not fit target \(hex(target)) (IDbits, SEIS or A3V)"
        case .foreignSections(let types):
            "snapshot has sections this version cannot restore: \(types)"
        }
    }
}

/// "vCPU 3 (MPIDR aff 0.0.0.3)".
func describe(_ vcpu: VCPUIdentity) -> String {
    let a = vcpu.affinity
    return "vCPU \(vcpu.id) (affinity \(a.aff3).\(a.aff2).\(a.aff1).\(a.aff0))"
}

func describe(_ frames: FrameLayout) -> String {
    var text = "distributor \(hex(frames.distributorBase))"
    switch frames.redistributors {
    case nil: text += ", no redistributors"
    case .legacy(let base)?: text += ", redistributors at \(hex(base))"
    case .regions(let regions)?:
        text += ", redistributor regions"
        for region in regions { text += " [\(region.count) at \(hex(region.base))]" }
    }
    return text
}
