/// How closely the target's layout must match the snapshot's for a restore to proceed.
///
/// The default is the strict rule a migration wants: every layout field equal, PRIbits (and so
/// the APR count) included. Fewer priority bits than the target is something the kernel can
/// honour (an ICC_CTLR_EL1 write narrows the vCPU's PRIbits, `set_gic_ctlr`), so the guest
/// sees exactly the interface it had; a VMM that migrates to wider hosts on purpose asks for
/// it by name. More bits than the target are refused either way: the target cannot keep them.
public enum RestoreCompatibility: Hashable, Sendable {
    /// Every layout field equal, PRIbits included (`.priorityBits` otherwise).
    case exactLayout
    /// As `exactLayout`, except a snapshot may have fewer priority bits than the target.
    case allowFewerPriorityBits
}
