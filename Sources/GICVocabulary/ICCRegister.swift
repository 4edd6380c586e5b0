/// One GICv3 CPU-interface register that KVM lets userspace save and restore through
/// `KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS` (`gic_v3_icc_reg_descs[]` in
/// `arch/arm64/kvm/vgic/vgic-sys-reg-v3.c`; `Documentation/virt/kvm/devices/arm-vgic-v3.rst`,
/// "KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS").
///
/// The registers themselves are data in `ICCRegister+Table.swift`, each a typed static
/// (`ICCRegister.iccCTLR`): code names a register by its property, never by a string. Identity is
/// the encoding: two values with the same encoding are the same register.
public struct ICCRegister: Sendable {
    /// The architectural name, e.g. "ICC_PMR_EL1".
    public let name: StaticString
    /// Its (Op0, Op1, CRn, CRm, Op2).
    public let encoding: SysRegEncoding
    /// Visible only for a vCPU created with `KVM_ARM_VCPU_HAS_EL2` (nested virtualisation); the kernel
    /// hides it otherwise (`el2_visibility`), so HAS answers ENXIO.
    public let requiresEL2: Bool
    /// What a userspace GET and SET do.
    public let access: ICCRegisterAccess
    /// For the active-priority registers (ICC_AP0Rn/AP1Rn, ICH_AP0Rn/AP1Rn): n, 0–3. Which n exist
    /// depends on the priority bits; see `isAccessible(priorityBits:)`.
    public let aprIndex: UInt8?
    /// For the active-priority registers: 0 for the AP0Rn (group 0), 1 for the AP1Rn (group 1).
    public let aprGroup: UInt8?
    /// What a GET returns on a fresh vCPU, where that is a constant: `vgic_v3_enable` zeroes the VMCR
    /// and the APRs and sets ICC_SRE_EL1 to DIB | DFB | SRE. Nil where the value comes from the host
    /// (ICC_CTLR_EL1's PRIbits, IDbits, SEIS, A3V; `ICCControl`) or from nested state.
    public let resetValue: UInt64?

    init(_ name: StaticString, _ encoding: SysRegEncoding, el2: Bool = false, _ access: ICCRegisterAccess,
         apr: (group: UInt8, index: UInt8)? = nil, reset: UInt64? = nil) {
        self.name = name
        self.encoding = encoding
        self.requiresEL2 = el2
        self.access = access
        self.aprIndex = apr?.index
        self.aprGroup = apr?.group
        self.resetValue = reset
    }

    /// The 16-bit `instr` for the attr.
    public var instr: UInt16 { encoding.instr }

    /// A "read-only" register: SET succeeds only when the value equals what GET returns, else EINVAL
    /// (`set_gic_icc_sre`, `set_gic_ich_vtr`). Restore may write it back; it cannot change it.
    public var isReadOnly: Bool { access == .readOnly }

    /// The highest APR index KVM accepts for a vCPU with `priorityBits` bits of priority
    /// (`vgic_v3_max_apr_idx`: 7 bits → 3, 6 bits → 1, anything else → 0). GET/SET of a higher index
    /// fail with EINVAL even though HAS succeeds, and a snapshot from a host with more priority bits
    /// cannot be restored on one with fewer. `priorityBits` is ICC_CTLR_EL1.PRIbits + 1.
    public static func maxAPRIndex(priorityBits: UInt32) -> UInt8 {
        switch priorityBits {
        case 7: return 3
        case 6: return 1
        default: return 0
        }
    }

    /// False only for an APR register whose index is above `maxAPRIndex(priorityBits:)`; every other
    /// register does not depend on the priority bits.
    public func isAccessible(priorityBits: UInt32) -> Bool {
        guard let aprIndex else { return true }
        return aprIndex <= Self.maxAPRIndex(priorityBits: priorityBits)
    }

    /// The register with this `instr`, if KVM exposes one: for decoding attrs and files, where the
    /// value comes from outside.
    public static func lookup(instr: UInt16) -> ICCRegister? {
        all.first { $0.instr == instr }
    }
}

extension ICCRegister: Hashable {
    public static func == (lhs: ICCRegister, rhs: ICCRegister) -> Bool { lhs.encoding == rhs.encoding }
    public func hash(into hasher: inout Hasher) { hasher.combine(encoding) }
}
