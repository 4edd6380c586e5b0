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
    /// Capture: the kernel refused a table save or an ITS register read. No register was
    /// changed; guest RAM may hold part of the tables.
    case itsSaving(ITSCaptureStep, VGICError)
    /// Restore: the kernel refused a step of `ITSRestoreOrder`; the GICv3 is restored, the ITS
    /// partly, and the target must be discarded.
    case itsWriting(ITSRestoreStep, VGICError)
    /// Restore: the snapshot has an ITS and the VMM did not declare these ranges of guest RAM
    /// restored (`RestoredGuestMemory`); nothing was written.
    case guestMemoryNotRestored([ITSMemoryRange])

    /// The kernel's refusal, if there was one.
    public var vgicError: VGICError? {
        switch self {
        case .reading(_, _, let error), .writing(_, _, _, let error), .itsSaving(_, let error), .itsWriting(_, let error): error
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
        case .itsSaving(let step, let error):
            "saving the ITS failed at \(step) (no register changed): \(error)"
        case .itsWriting(let step, let error):
            "restoring the ITS failed at \(step); the target is partly written: \(error)"
        case .guestMemoryNotRestored(let ranges):
            "guest RAM holding ITS state was not declared restored (nothing written): "
                + ranges.map { $0.description }.joined(separator: ", ")
        }
    }
}

/// What snapshots do not cover.
public enum SnapshotUnsupported: Hashable, Sendable, CustomStringConvertible {
    /// GICv2 (no LEVEL_INFO, CPU_REGS instead of sysregs) and GICv5 (no state uAPI in 7.1).
    case model(GICVersion)
    /// The vgic was not initialised (CTRL_INIT): the kernel refuses register access (EBUSY).
    case notInitialised
    /// The vgic has no vCPUs to save.
    case noVCPUs

    public var description: String {
        switch self {
        case .model(let version): "snapshots of a \(version)"
        case .notInitialised: "a vgic before CTRL_INIT"
        case .noVCPUs: "a vgic without vCPUs"
        }
    }
}

/// What capture does for an ITS, in order.
public enum ITSCaptureStep: Hashable, Sendable, CustomStringConvertible {
    /// `KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES`: each LPI's pending bit into its pending table.
    case savePendingTables
    /// `KVM_DEV_ARM_ITS_SAVE_TABLES`: devices, ITTs and collections into guest RAM.
    case saveTables
    /// A read of a register `ITSRestoreOrder` writes back.
    case register(ITSSavedRegister)

    public var description: String {
        switch self {
        case .savePendingTables: "SAVE_PENDING_TABLES"
        case .saveTables: "ITS_SAVE_TABLES"
        case .register(let register): "\(register)"
        }
    }
}
