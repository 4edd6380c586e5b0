/// What KVM does with a userspace GET or SET of one CPU-interface register
/// (`KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS`), as a column of the ICC register table.
///
/// Source: the `get_*`/`set_*` accessors of `gic_v3_icc_reg_descs[]` in
/// `arch/arm64/kvm/vgic/vgic-sys-reg-v3.c`. The reference model dispatches on this value, so the
/// table is the one place that says how each register behaves; the model's tests probe every row.
public enum ICCRegisterAccess: Hashable, Sendable {
    /// Stored in the VMCR or the APR array, keeping only `mask` of what is written; reads return
    /// what was kept (ICC_PMR_EL1 8 bits, ICC_BPR0_EL1 3 bits, ICC_IGRPENn_EL1 1 bit, the
    /// active-priority registers 32 bits).
    case stored(mask: UInt64)
    /// ICC_BPR1_EL1: stored like `.stored(mask: 0x7)` while ICC_CTLR_EL1.CBPR is clear; while it is
    /// set, writes are ignored and reads return min(BPR0 + 1, 7) (`set_gic_bpr1`, `get_gic_bpr1`).
    case bpr1
    /// ICC_CTLR_EL1: PRIbits and IDbits may only shrink, SEIS and A3V must equal the host's, else
    /// EINVAL; only CBPR and EOImode are state (`set_gic_ctlr`). See `ICCControl`.
    case control
    /// ICC_SRE_EL1: a write must keep SRE set, else EINVAL; nothing is stored, and reads return the
    /// register's reset value (`set_gic_sre`).
    case systemRegisterEnable
    /// A SET succeeds only when it writes what a GET returns, else EINVAL (`set_gic_icc_sre`,
    /// `set_gic_ich_vtr`): restore may write it back, never change it.
    case readOnly
    /// Nested-virtualisation state of the virtual EL2 (`ICH_*_EL2`), stored as written for a vCPU
    /// with `KVM_ARM_VCPU_HAS_EL2`. The library's model has no such vCPU.
    case virtualEL2
}
