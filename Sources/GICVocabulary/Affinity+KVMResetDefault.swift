/// What KVM writes to MPIDR_EL1 of a fresh vCPU, for tests and defaults only.
///
/// `reset_mpidr()` / `calculate_mpidr()` in `arch/arm64/kvm/sys_regs.{c,h}` spread the vcpu id over the
/// affinity levels so that Aff0 stays below 16 (the ICC_SGI1R_EL1 target list holds 16 CPUs):
/// Aff0 = id & 0xf, Aff1 = (id >> 4) & 0xff, Aff2 = (id >> 12) & 0xff, Aff3 = 0, plus bit 31 (RES1).
///
/// This is **not** the rule for building a selector. Userspace may set MPIDR_EL1 itself
/// (`KVM_SET_ONE_REG`) and other kernels may choose differently; real code must read the vCPU's
/// MPIDR_EL1 back and use `Affinity(mpidr:)` (GICVocabulary.docc/Pitfalls.md item 4).
extension Affinity {
    /// The affinity KVM's reset gives vCPU id `vcpuID`. See the note on this extension before using it.
    public static func kvmResetDefault(vcpuID: UInt32) -> Affinity {
        Affinity(mpidr: kvmResetDefaultMPIDR(vcpuID: vcpuID))
    }

    /// The MPIDR_EL1 value KVM's reset gives vCPU id `vcpuID`, including the RES1 bit 31.
    public static func kvmResetDefaultMPIDR(vcpuID: UInt32) -> UInt64 {
        let id = UInt64(vcpuID)
        return (id & 0x0F) | ((id >> 4) & 0xFF) << 8 | ((id >> 12) & 0xFF) << 16 | 1 << 31
    }
}
