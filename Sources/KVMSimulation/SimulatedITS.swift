import CKVM

/// A vgic-its device: its frame address and whether CTRL_INIT ran.
///
/// Only what the vgic-v3 needs from it is modelled: its existence (GICD_TYPER.LPIS, GICR_TYPER.PLPIS
/// once the vgic-v3 initialises), `KVM_VGIC_ITS_ADDR_TYPE` with `vgic_check_iorange`'s rules and
/// the CTRL attributes. Its registers and tables (GRP_ITS_REGS, SAVE/RESTORE_TABLES) read back
/// what was written, as the plain `SyscallSimulator` does: no model of the ITS exists yet.
public struct SimulatedITS: Hashable, Sendable {
    /// The ITS frame base, nil while unset.
    public internal(set) var base: UInt64?
    public internal(set) var isInitialised = false

    /// `KVM_VGIC_ITS_ADDR_TYPE`.
    static let addressType = CKVM_VGIC_ITS_ADDR_TYPE
    /// The ITS frame (`KVM_VGIC_V3_ITS_SIZE`, 128 KiB), 64 KiB aligned like every vgic frame.
    static let size = CKVM_VGIC_V3_ITS_SIZE_VALUE
    /// GRP_CTRL of an ITS (`vgic_its_has_attr`): INIT, SAVE_TABLES, RESTORE_TABLES, CTRL_RESET.
    static let controlAttributes: Set<UInt64> = [
        CKVM_VGIC_CTRL_INIT, CKVM_ITS_SAVE_TABLES, CKVM_ITS_RESTORE_TABLES, CKVM_ITS_CTRL_RESET,
    ]
}
