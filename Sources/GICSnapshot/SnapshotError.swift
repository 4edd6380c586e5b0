import GICVocabulary
import KVM
import VGIC

/// Every way capture and restore can fail, by what has happened to the target.
///
/// All cases but `.writing` guarantee that nothing was written: validation reads the target
/// completely before the first write (the anchors restore first and fail half-way: Firecracker
/// #5648, Cloud Hypervisor's `panic!`).
public enum SnapshotError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The snapshot does not fit the target; nothing was written.
    case mismatch(SnapshotMismatch)
    /// The snapshot contradicts itself; nothing was read or written.
    case malformed(SnapshotProblem)
    /// Something snapshots do not cover yet; nothing was written.
    case unsupported(SnapshotUnsupported)
    /// The kernel refused a read (during capture, or while restore examined the target);
    /// nothing was written. `register` is what was being read, nil for the identity.
    case reading(SnapshotRegister?, SnapshotScope, VGICError)
    /// The kernel refused a write: the target holds part of the snapshot and must be discarded.
    case writing(RestoreStep, SnapshotScope, index: UInt32, VGICError)

    /// The kernel's refusal, if there was one.
    public var vgicError: VGICError? {
        switch self {
        case .reading(_, _, let error), .writing(_, _, _, let error): error
        default: nil
        }
    }

    public var description: String {
        switch self {
        case .mismatch(let mismatch): "snapshot does not fit the target (nothing written): \(mismatch)"
        case .malformed(let problem): "snapshot is malformed (nothing written): \(problem)"
        case .unsupported(let what): "not supported (nothing written): \(what)"
        case .reading(let register, let scope, let error):
            "reading \(register?.name ?? "the identity") of the \(scope) failed (nothing written): \(error)"
        case .writing(let step, let scope, let index, let error):
            "restore failed at \(step.writtenRegister)[\(index)] of the \(scope); the target is partly written: \(error)"
        }
    }
}

/// What format version 1 does not cover.
public enum SnapshotUnsupported: Hashable, Sendable, CustomStringConvertible {
    /// GICv2 (no LEVEL_INFO, CPU_REGS instead of sysregs) and GICv5 (no state uAPI in 7.1).
    case model(GICVersion)
    /// The vgic has an ITS; its tables and registers come with the ITS issue, and a snapshot
    /// without them would silently drop every LPI (Firecracker #5648, e2b-dev/infra #2057).
    case its
    /// The vgic was not initialised (CTRL_INIT): the kernel refuses register access (EBUSY).
    case notInitialised
    /// The vgic has no vCPUs to save.
    case noVCPUs

    public var description: String {
        switch self {
        case .model(let version): "snapshots of a \(version)"
        case .its: "a vgic with an ITS (ITS state is not in format version 1)"
        case .notInitialised: "a vgic before CTRL_INIT"
        case .noVCPUs: "a vgic without vCPUs"
        }
    }
}
