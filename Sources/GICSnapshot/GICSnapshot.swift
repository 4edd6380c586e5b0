import GICVocabulary
import VGIC

/// The complete guest-visible state of an in-kernel GICv3, versioned and self-describing.
///
/// * `identity` says what it came from: model, GICD_IIDR/TYPER/TYPER2, NR_IRQS, frame layout,
///   and each vCPU's affinity, GICR_TYPER and priority bits (hence its APR count);
/// * `distributor` holds GICD_CTLR and the SPI banks, plus the SPI line levels;
/// * `vcpus[i]` holds vCPU `identity.vcpus[i]`'s redistributor (RD and SGI frame), PPI line
///   levels and ICC registers.
///
/// Make one with `VGIC.captureSnapshot(_:)`, write it back with `VGIC.restoreSnapshot(_:_:)`,
/// store it with `encoded()` / `init(decoding:)`. Equality is exact: a capture, a restore into a
/// fresh vgic and a second capture give an equal value, which is what the lab checks.
public struct GICSnapshot: Hashable, Sendable {
    /// The binary format this build writes and the newest it reads.
    public static let formatVersion: UInt16 = 1

    public var identity: SnapshotIdentity
    /// Distributor banks, in restore order.
    public var distributor: [RegisterBank]
    /// Per-vCPU state, in the order of `identity.vcpus`.
    public var vcpus: [VCPUState]
    /// The ITS's frame and registers, when the vgic has one (its tables are in guest RAM:
    /// `itsMemoryRanges`).
    public var its: ITSState?
    /// Sections a newer writer added that this build does not understand, kept byte for byte so re-encoding loses nothing. Restore refuses a snapshot that
    /// has any: it cannot write back what it cannot read.
    public var foreignSections: [ForeignSection]

    public init(
        identity: SnapshotIdentity, distributor: [RegisterBank], vcpus: [VCPUState], its: ITSState? = nil,
        foreignSections: [ForeignSection] = []
    ) {
        self.identity = identity
        self.distributor = distributor
        self.vcpus = vcpus
        self.its = its
        self.foreignSections = foreignSections
    }

    /// The banks of `scope`.
    public func banks(_ scope: SnapshotScope) -> [RegisterBank]? {
        switch scope {
        case .distributor: return distributor
        case .vcpu(let position):
            guard vcpus.indices.contains(position) else { return nil }
            return vcpus[position].banks
        }
    }

    /// The bank of `register` in `scope`, if the snapshot has one.
    public func bank(_ register: SnapshotRegister, in scope: SnapshotScope) -> RegisterBank? {
        banks(scope)?.first { $0.register == register }
    }

    /// Every saved value as (scope, register, element index, value): distributor first, then
    /// each vCPU, each in restore order. What a reference model is loaded from.
    public var entries: [SnapshotEntry] {
        var result: [SnapshotEntry] = []
        func add(_ banks: [RegisterBank], _ scope: SnapshotScope) {
            for bank in banks {
                for (offset, value) in bank.values.enumerated() {
                    result.append(SnapshotEntry(
                        scope: scope, register: bank.register, index: bank.firstIndex + UInt32(offset), value: value))
                }
            }
        }
        add(distributor, .distributor)
        for (position, state) in vcpus.enumerated() { add(state.banks, .vcpu(position)) }
        return result
    }

    /// The fewest 32-bit kernel accesses that move this state one way: one per saved 32-bit
    /// word, two per 64-bit redistributor register, one per CPU-interface register. A capture
    /// reads at least this many, a restore writes at least this many; the identity reads and the
    /// clears of clear-then-set pairs come on top (the lab's figures compare the two).
    public var minimumAccesses: Int {
        var total = 0
        for bank in distributor { total += bank.values.count * bank.register.accessesPerElement }
        for state in vcpus {
            for bank in state.banks { total += bank.values.count * bank.register.accessesPerElement }
        }
        return total
    }
}

/// One vCPU's saved redistributor, PPI line levels and CPU interface.
public struct VCPUState: Hashable, Sendable {
    /// Banks in restore order.
    public var banks: [RegisterBank]

    public init(banks: [RegisterBank]) {
        self.banks = banks
    }
}

/// A section of the binary encoding this build does not understand, kept as it was.
public struct ForeignSection: Hashable, Sendable {
    /// The section type (`SnapshotSectionType` raw value).
    public var type: UInt16
    /// The section's own format version.
    public var version: UInt16
    public var payload: [UInt8]

    public init(type: UInt16, version: UInt16, payload: [UInt8]) {
        self.type = type
        self.version = version
        self.payload = payload
    }
}
