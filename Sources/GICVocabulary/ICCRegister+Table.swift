/// Every register of `KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS`, in the kernel's (sorted by encoding) order:
/// the one place that states an ICC register's encoding, visibility, access rule and reset value.
///
/// Source: `gic_v3_icc_reg_descs[]` in `arch/arm64/kvm/vgic/vgic-sys-reg-v3.c`; the table of
/// `Documentation/virt/kvm/devices/arm-vgic-v3.rst` gives the same encodings and `instr` values. The
/// EL1 list is exactly what the kernel selftest `vgic_init.c` checks as `sysregs_el1[]`, the EL2
/// list its `sysregs_el2[]`. Not exposed: IAR, EOIR, HPPIR, DIR, RPR and the SGI generation
/// registers.
extension ICCRegister {
    // MARK: The EL1 CPU interface

    public static let iccPMR = ICCRegister("ICC_PMR_EL1", SysRegEncoding(3, 0, 4, 6, 0), .stored(mask: 0xFF), reset: 0)
    public static let iccBPR0 = ICCRegister("ICC_BPR0_EL1", SysRegEncoding(3, 0, 12, 8, 3), .stored(mask: 0x7), reset: 0)
    public static let iccAP0R0 = ICCRegister("ICC_AP0R0_EL1", SysRegEncoding(3, 0, 12, 8, 4), .stored(mask: 0xFFFF_FFFF), apr: (0, 0), reset: 0)
    public static let iccAP0R1 = ICCRegister("ICC_AP0R1_EL1", SysRegEncoding(3, 0, 12, 8, 5), .stored(mask: 0xFFFF_FFFF), apr: (0, 1), reset: 0)
    public static let iccAP0R2 = ICCRegister("ICC_AP0R2_EL1", SysRegEncoding(3, 0, 12, 8, 6), .stored(mask: 0xFFFF_FFFF), apr: (0, 2), reset: 0)
    public static let iccAP0R3 = ICCRegister("ICC_AP0R3_EL1", SysRegEncoding(3, 0, 12, 8, 7), .stored(mask: 0xFFFF_FFFF), apr: (0, 3), reset: 0)
    public static let iccAP1R0 = ICCRegister("ICC_AP1R0_EL1", SysRegEncoding(3, 0, 12, 9, 0), .stored(mask: 0xFFFF_FFFF), apr: (1, 0), reset: 0)
    public static let iccAP1R1 = ICCRegister("ICC_AP1R1_EL1", SysRegEncoding(3, 0, 12, 9, 1), .stored(mask: 0xFFFF_FFFF), apr: (1, 1), reset: 0)
    public static let iccAP1R2 = ICCRegister("ICC_AP1R2_EL1", SysRegEncoding(3, 0, 12, 9, 2), .stored(mask: 0xFFFF_FFFF), apr: (1, 2), reset: 0)
    public static let iccAP1R3 = ICCRegister("ICC_AP1R3_EL1", SysRegEncoding(3, 0, 12, 9, 3), .stored(mask: 0xFFFF_FFFF), apr: (1, 3), reset: 0)
    public static let iccBPR1 = ICCRegister("ICC_BPR1_EL1", SysRegEncoding(3, 0, 12, 12, 3), .bpr1, reset: 0)
    public static let iccCTLR = ICCRegister("ICC_CTLR_EL1", SysRegEncoding(3, 0, 12, 12, 4), .control)
    public static let iccSRE = ICCRegister("ICC_SRE_EL1", SysRegEncoding(3, 0, 12, 12, 5), .systemRegisterEnable, reset: 0x7)
    public static let iccIGRPEN0 = ICCRegister("ICC_IGRPEN0_EL1", SysRegEncoding(3, 0, 12, 12, 6), .stored(mask: 0x1), reset: 0)
    public static let iccIGRPEN1 = ICCRegister("ICC_IGRPEN1_EL1", SysRegEncoding(3, 0, 12, 12, 7), .stored(mask: 0x1), reset: 0)

    // MARK: The virtual EL2 (vCPUs with KVM_ARM_VCPU_HAS_EL2 only)

    public static let ichAP0R0 = ICCRegister("ICH_AP0R0_EL2", SysRegEncoding(3, 4, 12, 8, 0), el2: true, .virtualEL2, apr: (0, 0))
    public static let ichAP0R1 = ICCRegister("ICH_AP0R1_EL2", SysRegEncoding(3, 4, 12, 8, 1), el2: true, .virtualEL2, apr: (0, 1))
    public static let ichAP0R2 = ICCRegister("ICH_AP0R2_EL2", SysRegEncoding(3, 4, 12, 8, 2), el2: true, .virtualEL2, apr: (0, 2))
    public static let ichAP0R3 = ICCRegister("ICH_AP0R3_EL2", SysRegEncoding(3, 4, 12, 8, 3), el2: true, .virtualEL2, apr: (0, 3))
    public static let ichAP1R0 = ICCRegister("ICH_AP1R0_EL2", SysRegEncoding(3, 4, 12, 9, 0), el2: true, .virtualEL2, apr: (1, 0))
    public static let ichAP1R1 = ICCRegister("ICH_AP1R1_EL2", SysRegEncoding(3, 4, 12, 9, 1), el2: true, .virtualEL2, apr: (1, 1))
    public static let ichAP1R2 = ICCRegister("ICH_AP1R2_EL2", SysRegEncoding(3, 4, 12, 9, 2), el2: true, .virtualEL2, apr: (1, 2))
    public static let ichAP1R3 = ICCRegister("ICH_AP1R3_EL2", SysRegEncoding(3, 4, 12, 9, 3), el2: true, .virtualEL2, apr: (1, 3))
    public static let iccSREEL2 = ICCRegister("ICC_SRE_EL2", SysRegEncoding(3, 4, 12, 9, 5), el2: true, .readOnly)
    public static let ichHCR = ICCRegister("ICH_HCR_EL2", SysRegEncoding(3, 4, 12, 11, 0), el2: true, .virtualEL2)
    public static let ichVTR = ICCRegister("ICH_VTR_EL2", SysRegEncoding(3, 4, 12, 11, 1), el2: true, .readOnly)
    public static let ichVMCR = ICCRegister("ICH_VMCR_EL2", SysRegEncoding(3, 4, 12, 11, 7), el2: true, .virtualEL2)
    public static let ichLR0 = ICCRegister("ICH_LR0_EL2", SysRegEncoding(3, 4, 12, 12, 0), el2: true, .virtualEL2)
    public static let ichLR1 = ICCRegister("ICH_LR1_EL2", SysRegEncoding(3, 4, 12, 12, 1), el2: true, .virtualEL2)
    public static let ichLR2 = ICCRegister("ICH_LR2_EL2", SysRegEncoding(3, 4, 12, 12, 2), el2: true, .virtualEL2)
    public static let ichLR3 = ICCRegister("ICH_LR3_EL2", SysRegEncoding(3, 4, 12, 12, 3), el2: true, .virtualEL2)
    public static let ichLR4 = ICCRegister("ICH_LR4_EL2", SysRegEncoding(3, 4, 12, 12, 4), el2: true, .virtualEL2)
    public static let ichLR5 = ICCRegister("ICH_LR5_EL2", SysRegEncoding(3, 4, 12, 12, 5), el2: true, .virtualEL2)
    public static let ichLR6 = ICCRegister("ICH_LR6_EL2", SysRegEncoding(3, 4, 12, 12, 6), el2: true, .virtualEL2)
    public static let ichLR7 = ICCRegister("ICH_LR7_EL2", SysRegEncoding(3, 4, 12, 12, 7), el2: true, .virtualEL2)
    public static let ichLR8 = ICCRegister("ICH_LR8_EL2", SysRegEncoding(3, 4, 12, 13, 0), el2: true, .virtualEL2)
    public static let ichLR9 = ICCRegister("ICH_LR9_EL2", SysRegEncoding(3, 4, 12, 13, 1), el2: true, .virtualEL2)
    public static let ichLR10 = ICCRegister("ICH_LR10_EL2", SysRegEncoding(3, 4, 12, 13, 2), el2: true, .virtualEL2)
    public static let ichLR11 = ICCRegister("ICH_LR11_EL2", SysRegEncoding(3, 4, 12, 13, 3), el2: true, .virtualEL2)
    public static let ichLR12 = ICCRegister("ICH_LR12_EL2", SysRegEncoding(3, 4, 12, 13, 4), el2: true, .virtualEL2)
    public static let ichLR13 = ICCRegister("ICH_LR13_EL2", SysRegEncoding(3, 4, 12, 13, 5), el2: true, .virtualEL2)
    public static let ichLR14 = ICCRegister("ICH_LR14_EL2", SysRegEncoding(3, 4, 12, 13, 6), el2: true, .virtualEL2)
    public static let ichLR15 = ICCRegister("ICH_LR15_EL2", SysRegEncoding(3, 4, 12, 13, 7), el2: true, .virtualEL2)

    // MARK: Tables

    /// The EL1 CPU interface: what every GICv3 snapshot saves per vCPU.
    public static let el1: [ICCRegister] = [
        iccPMR, iccBPR0, iccAP0R0, iccAP0R1, iccAP0R2, iccAP0R3, iccAP1R0, iccAP1R1, iccAP1R2, iccAP1R3,
        iccBPR1, iccCTLR, iccSRE, iccIGRPEN0, iccIGRPEN1,
    ]

    /// ICC_AP0R0..3_EL1, by index.
    public static let iccAP0R: [ICCRegister] = [iccAP0R0, iccAP0R1, iccAP0R2, iccAP0R3]
    /// ICC_AP1R0..3_EL1, by index.
    public static let iccAP1R: [ICCRegister] = [iccAP1R0, iccAP1R1, iccAP1R2, iccAP1R3]

    /// ICH_LR0..15_EL2, by index.
    public static let ichLR: [ICCRegister] = [
        ichLR0, ichLR1, ichLR2, ichLR3, ichLR4, ichLR5, ichLR6, ichLR7,
        ichLR8, ichLR9, ichLR10, ichLR11, ichLR12, ichLR13, ichLR14, ichLR15,
    ]

    /// The virtual-EL2 registers, visible only for vCPUs with `KVM_ARM_VCPU_HAS_EL2`.
    public static let el2: [ICCRegister] = [
        ichAP0R0, ichAP0R1, ichAP0R2, ichAP0R3, ichAP1R0, ichAP1R1, ichAP1R2, ichAP1R3,
        iccSREEL2, ichHCR, ichVTR, ichVMCR,
    ] + ichLR

    /// `el1` followed by `el2`: the whole kernel table, sorted by encoding.
    public static let all: [ICCRegister] = el1 + el2

    /// The active-priority register of `group` (0: ICC_AP0Rn_EL1, 1: ICC_AP1Rn_EL1) with index
    /// `index` (0...3; `ICCControl.activePriorityCount` says how many the vCPU has). Anything else
    /// is `GICValueError.outOfRange`, never another register.
    public static func activePriority(group: UInt8, index: UInt32) throws(GICValueError) -> ICCRegister {
        try require(group, in: 0...1, .aprGroup)
        try require(index, in: 0...3, .aprIndex)
        return group == 0 ? iccAP0R[Int(index)] : iccAP1R[Int(index)]
    }

    /// Looks a register up by its architectural name, for names that come from outside (a JSON
    /// file, a command line); code names a register by its typed static instead.
    public static func named(_ name: String) -> ICCRegister? {
        all.first { $0.name.withUTF8Buffer { Array($0) } == Array(name.utf8) }
    }

    /// The static property that names this register: "ICC_PMR_EL1" → `iccPMR`,
    /// "ICH_LR3_EL2" → `ichLR3`, "ICC_SRE_EL2" → `iccSREEL2`. Printed reproductions use it.
    public var swiftName: String {
        var bytes: [UInt8] = []
        name.withUTF8Buffer { bytes = Array($0) }
        // "ICC_" / "ICH_" → "icc" / "ich".
        var out: [UInt8] = bytes.prefix(3).map { $0 + 32 }
        var middle = Array(bytes.dropFirst(4))
        let suffix = Array("_EL1".utf8), suffixEL2 = Array("_EL2".utf8)
        if middle.count >= 4 && Array(middle.suffix(4)) == suffix { middle.removeLast(4) }
        else if middle.count >= 4 && Array(middle.suffix(4)) == suffixEL2 {
            middle.removeLast(4)
            if bytes[2] == UInt8(ascii: "C") { middle += Array("EL2".utf8) }
        }
        out += middle
        return String(decoding: out, as: UTF8.self)
    }
}
