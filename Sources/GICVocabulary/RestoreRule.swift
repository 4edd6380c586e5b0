/// How a save/restore engine treats a GICv3 register, following from what a userspace write to it
/// does (`UAccessBehaviour`) and whether the kernel stores anything there.
///
/// GICSnapshot's `RestoreOrder` takes each step's operation from this column; it states only the
/// order. The column is checked through the model: a `.writeBack` register reads back unchanged
/// when written with what it reads, an `.onlyIfDifferent` one does not (at reset), writing back a
/// `.clearsBeforeSet` register clears what it shows, and writing a `.notSaved` one changes nothing.
public enum RestoreRule: Hashable, Sendable {
    /// Saved by reading; restored by writing the saved value back.
    case writeBack
    /// Saved by reading; restored by writing only the elements that differ from the target:
    /// the kernel sanitises every write but not the reset value (GICR_PROPBASER resets to 0 without
    /// an ITS, and writing 0 stores 0x180). GICR_PENDBASER is sanitised the same way; its reset value
    /// (`INITIAL_PENDBASER_VALUE`, 0x580) happens to be sanitised already, so for it the rule
    /// only saves writes.
    case onlyIfDifferent
    /// Not saved: the clear half of a set/clear pair (ICENABLER, ICACTIVER). Restore writes it
    /// all-ones just before the set register that shows the same field, so the set register leaves
    /// exactly the saved bits.
    case clearsBeforeSet
    /// GICD_IIDR: written first from the snapshot's identity, because its revision decides what
    /// later registers show (GICR_CTLR.{IR,CES}) and accept.
    case implementation
    /// Part of the snapshot's identity, compared rather than written: the target must already
    /// report the same value (GICD_TYPER, GICD_TYPER2, GICR_TYPER).
    case identity
    /// Not saved: the kernel stores nothing a userspace write can change (RAZ/WI, RAO/WI,
    /// read-only constants, write-only commands, the private ICFGR).
    case notSaved

    /// Whether capture reads the register's values into the snapshot.
    public var isSaved: Bool { self == .writeBack || self == .onlyIfDifferent }
}
