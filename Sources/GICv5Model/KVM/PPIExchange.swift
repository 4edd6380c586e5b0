import GICVocabulary

/// The copies of the pending and active registers KVM takes around a guest run, kept in per-CPU
/// host data (`struct vgic_v5_ppi_state`): the pending bits built on entry, and the pending, active
/// and enable bits read back on exit (GICv5Model.docc/GICv5UnderKVM.md; the posted series named them
/// `pendr_entry`, `pendr_exit`, `activer_exit`, `enabler_exit`).
public struct PPIExchange: Hashable, Sendable {
    /// The pending state generated on entry from the per-PPI state, before DVI PPIs are masked out.
    public var pendingAtEntry: PPISet
    /// ICH_PPI_PENDRx_EL2 as read at exit.
    public var pendingAtExit: PPISet
    /// ICH_PPI_ACTIVERx_EL2 as read at exit.
    public var activeAtExit: PPISet
    /// ICH_PPI_ENABLERx_EL2 as read at exit.
    public var enableAtExit: PPISet

    public init() {
        pendingAtEntry = .empty
        pendingAtExit = .empty
        activeAtExit = .empty
        enableAtExit = .empty
    }
}
