import GICVocabulary

/// One step of an ITS restore: a register written back, or the tables loaded from guest RAM.
public enum ITSRestoreStep: Hashable, Sendable, CustomStringConvertible {
    /// Element `index` of `register`, written back as saved through `ITS_REGS`.
    case register(ITSRegister, index: UInt32)
    /// `KVM_DEV_ARM_ITS_RESTORE_TABLES`: devices, ITTs and collections read from guest RAM.
    case restoreTables

    public var description: String {
        switch self {
        case .register(let register, let index):
            register.count > 1 ? register.name.description + "\(index)" : register.name.description
        case .restoreTables: "ITS_RESTORE_TABLES"
        }
    }
}

/// The order in which a snapshot's ITS is written back, as data: restore walks it, capture reads
/// the registers it names, the order test compares the recorded ioctls of a restore with it
/// (GICSnapshot.docc/RestoreRules.md "The ITS").
///
/// It runs after every step of `RestoreOrder`, so the redistributors' GICR_PROPBASER and
/// GICR_PENDBASER are in place and GICR_CTLR.EnableLPIs is set where it was, and after the VMM
/// restored guest RAM (the tables, the ITTs, the property and pending tables: restore refuses
/// until the VMM declares those ranges restored, `GICSnapshot.itsMemoryRanges`). That is
/// arm-vgic-its.rst's "ITS Restore Sequence": guest memory, redistributors, then the ITS with
/// CBASER before the other registers, all registers but GITS_CTLR before RESTORE_TABLES, and
/// GITS_CTLR last.
public enum ITSRestoreOrder {
    public static let steps: [(step: ITSRestoreStep, reason: StaticString)] = [
        (.register(.gitsIIDR, index: 0),
         "first: its Revision selects the table ABI RESTORE_TABLES reads (arm-vgic-its.rst; vgic_its_set_abi)"),
        (.register(.gitsBASER, index: 0), "where RESTORE_TABLES reads the device table; ignored while enabled, so before CTLR"),
        (.register(.gitsBASER, index: 1), "where RESTORE_TABLES reads the collection table"),
        (.register(.gitsCBASER, index: 0),
         "before CREADR and CWRITER: a CBASER write resets both (vgic_mmio_write_its_cbaser)"),
        (.register(.gitsCREADR, index: 0),
         "after CBASER, before CTLR: otherwise the queued commands run again (arm-vgic-its.rst)"),
        (.register(.gitsCWRITER, index: 0), "after CREADR; the ITS is still disabled, so no command runs"),
        (.restoreTables, "after every register but CTLR, and after the redistributors' PROPBASER/PENDBASER and guest RAM"),
        (.register(.gitsCTLR, index: 0), "last: enabling runs the queue from CREADR to CWRITER"),
    ]

    /// The registers a snapshot holds for its ITS, in restore order.
    public static var savedRegisters: [ITSSavedRegister] {
        steps.compactMap { entry in
            if case .register(let register, let index) = entry.step { return ITSSavedRegister(register, index: index) }
            return nil
        }
    }
}

/// An ITS register element a snapshot holds: a register of `ITSRegister`'s table and the element.
public struct ITSSavedRegister: Hashable, Sendable, CustomStringConvertible {
    public let register: ITSRegister
    public let index: UInt32

    public init(_ register: ITSRegister, index: UInt32 = 0) {
        self.register = register
        self.index = index
    }

    /// The element's offset in the ITS frame: what the binary format stores.
    public var offset: UInt32 { register.offset + index * register.elementSize }

    /// The saved register at frame offset `offset`, or nil when a snapshot holds none there.
    public static func at(offset: UInt32) -> ITSSavedRegister? {
        ITSRestoreOrder.savedRegisters.first { $0.offset == offset }
    }

    public var description: String { ITSRestoreStep.register(register, index: index).description }
}
