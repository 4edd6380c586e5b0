/// Every register of `KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS`, in the kernel's (sorted by encoding) order.
///
/// Source: `gic_v3_icc_reg_descs[]` in `arch/arm64/kvm/vgic/vgic-sys-reg-v3.c`; the table in uapi doc
/// §3.6 gives the same encodings and `instr` values. The EL1 list is exactly what the selftest
/// `vgic_init.c` checks as `sysregs_el1[]`, the EL2 list its `sysregs_el2[]`. Not exposed: IAR, EOIR,
/// HPPIR, DIR, RPR and the SGI generation registers.
extension ICCRegister {
    /// The EL1 CPU interface: what every GICv3 snapshot saves per vCPU.
    public static let el1: [ICCRegister] = [
        ICCRegister("ICC_PMR_EL1", SysRegEncoding(3, 0, 4, 6, 0)),
        ICCRegister("ICC_BPR0_EL1", SysRegEncoding(3, 0, 12, 8, 3)),
        ICCRegister("ICC_AP0R0_EL1", SysRegEncoding(3, 0, 12, 8, 4), apr: 0),
        ICCRegister("ICC_AP0R1_EL1", SysRegEncoding(3, 0, 12, 8, 5), apr: 1),
        ICCRegister("ICC_AP0R2_EL1", SysRegEncoding(3, 0, 12, 8, 6), apr: 2),
        ICCRegister("ICC_AP0R3_EL1", SysRegEncoding(3, 0, 12, 8, 7), apr: 3),
        ICCRegister("ICC_AP1R0_EL1", SysRegEncoding(3, 0, 12, 9, 0), apr: 0),
        ICCRegister("ICC_AP1R1_EL1", SysRegEncoding(3, 0, 12, 9, 1), apr: 1),
        ICCRegister("ICC_AP1R2_EL1", SysRegEncoding(3, 0, 12, 9, 2), apr: 2),
        ICCRegister("ICC_AP1R3_EL1", SysRegEncoding(3, 0, 12, 9, 3), apr: 3),
        ICCRegister("ICC_BPR1_EL1", SysRegEncoding(3, 0, 12, 12, 3)),
        // Writes are checked: PRIbits/IDbits no larger than the host's, SEIS and A3V equal to it.
        ICCRegister("ICC_CTLR_EL1", SysRegEncoding(3, 0, 12, 12, 4)),
        // Writes must keep SRE = 1.
        ICCRegister("ICC_SRE_EL1", SysRegEncoding(3, 0, 12, 12, 5)),
        ICCRegister("ICC_IGRPEN0_EL1", SysRegEncoding(3, 0, 12, 12, 6)),
        ICCRegister("ICC_IGRPEN1_EL1", SysRegEncoding(3, 0, 12, 12, 7)),
    ]

    /// The virtual-EL2 registers, visible only for vCPUs with `KVM_ARM_VCPU_HAS_EL2`.
    public static let el2: [ICCRegister] = [
        ICCRegister("ICH_AP0R0_EL2", SysRegEncoding(3, 4, 12, 8, 0), el2: true, apr: 0),
        ICCRegister("ICH_AP0R1_EL2", SysRegEncoding(3, 4, 12, 8, 1), el2: true, apr: 1),
        ICCRegister("ICH_AP0R2_EL2", SysRegEncoding(3, 4, 12, 8, 2), el2: true, apr: 2),
        ICCRegister("ICH_AP0R3_EL2", SysRegEncoding(3, 4, 12, 8, 3), el2: true, apr: 3),
        ICCRegister("ICH_AP1R0_EL2", SysRegEncoding(3, 4, 12, 9, 0), el2: true, apr: 0),
        ICCRegister("ICH_AP1R1_EL2", SysRegEncoding(3, 4, 12, 9, 1), el2: true, apr: 1),
        ICCRegister("ICH_AP1R2_EL2", SysRegEncoding(3, 4, 12, 9, 2), el2: true, apr: 2),
        ICCRegister("ICH_AP1R3_EL2", SysRegEncoding(3, 4, 12, 9, 3), el2: true, apr: 3),
        ICCRegister("ICC_SRE_EL2", SysRegEncoding(3, 4, 12, 9, 5), el2: true, readOnly: true),
        ICCRegister("ICH_HCR_EL2", SysRegEncoding(3, 4, 12, 11, 0), el2: true),
        ICCRegister("ICH_VTR_EL2", SysRegEncoding(3, 4, 12, 11, 1), el2: true, readOnly: true),
        ICCRegister("ICH_VMCR_EL2", SysRegEncoding(3, 4, 12, 11, 7), el2: true),
        ICCRegister("ICH_LR0_EL2", SysRegEncoding(3, 4, 12, 12, 0), el2: true),
        ICCRegister("ICH_LR1_EL2", SysRegEncoding(3, 4, 12, 12, 1), el2: true),
        ICCRegister("ICH_LR2_EL2", SysRegEncoding(3, 4, 12, 12, 2), el2: true),
        ICCRegister("ICH_LR3_EL2", SysRegEncoding(3, 4, 12, 12, 3), el2: true),
        ICCRegister("ICH_LR4_EL2", SysRegEncoding(3, 4, 12, 12, 4), el2: true),
        ICCRegister("ICH_LR5_EL2", SysRegEncoding(3, 4, 12, 12, 5), el2: true),
        ICCRegister("ICH_LR6_EL2", SysRegEncoding(3, 4, 12, 12, 6), el2: true),
        ICCRegister("ICH_LR7_EL2", SysRegEncoding(3, 4, 12, 12, 7), el2: true),
        ICCRegister("ICH_LR8_EL2", SysRegEncoding(3, 4, 12, 13, 0), el2: true),
        ICCRegister("ICH_LR9_EL2", SysRegEncoding(3, 4, 12, 13, 1), el2: true),
        ICCRegister("ICH_LR10_EL2", SysRegEncoding(3, 4, 12, 13, 2), el2: true),
        ICCRegister("ICH_LR11_EL2", SysRegEncoding(3, 4, 12, 13, 3), el2: true),
        ICCRegister("ICH_LR12_EL2", SysRegEncoding(3, 4, 12, 13, 4), el2: true),
        ICCRegister("ICH_LR13_EL2", SysRegEncoding(3, 4, 12, 13, 5), el2: true),
        ICCRegister("ICH_LR14_EL2", SysRegEncoding(3, 4, 12, 13, 6), el2: true),
        ICCRegister("ICH_LR15_EL2", SysRegEncoding(3, 4, 12, 13, 7), el2: true),
    ]

    /// `el1` followed by `el2`: the whole kernel table, sorted by encoding.
    public static let all: [ICCRegister] = el1 + el2

    /// Looks a register up by name in `all`; for call sites that want to say "ICC_CTLR_EL1" rather
    /// than spell its encoding. Compares the UTF-8 bytes, so it needs no Unicode tables.
    public static func named(_ name: StaticString) -> ICCRegister? {
        all.first { sameText($0.name, name) }
    }
}

/// Byte-wise equality of two static strings.
func sameText(_ a: StaticString, _ b: StaticString) -> Bool {
    a.withUTF8Buffer { x in
        b.withUTF8Buffer { y in
            x.count == y.count && x.elementsEqual(y)
        }
    }
}
