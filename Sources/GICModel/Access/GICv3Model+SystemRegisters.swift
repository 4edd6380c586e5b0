import GICVocabulary

/// `KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS`: the EL1 CPU-interface registers of a vCPU, 64-bit values,
/// with the checks of `vgic-sys-reg-v3.c`.
///
/// Looked up by encoding in `ICCRegister.el1`; the EL2 registers exist only for vCPUs with nested
/// virtualisation, which the model does not have, so they are hidden like unknown encodings
/// (ENOENT from `kvm_sys_reg_{get,set}_user`; HAS answers ENXIO).
extension GICv3Model {
    /// GET of `encoding` on the vCPU with affinity `selector`.
    public func readSystemRegister(_ selector: Affinity, _ encoding: SysRegEncoding) throws(ModelRefusal) -> UInt64 {
        let vcpu = try vcpu(selectedBy: selector)
        let cpu = redistributors[vcpu].cpuInterface
        switch try Self.iccAccess(encoding) {
        case .pmr:
            return UInt64(cpu.pmr)
        case .bpr0:
            return UInt64(cpu.bpr0)
        case .bpr1:
            // With CBPR set, BPR1 reads BPR0 + 1, saturating at 7 (`get_gic_bpr1`).
            return cpu.cbpr ? UInt64(Swift.min(cpu.bpr0 + 1, 7)) : UInt64(cpu.bpr1)
        case .ctlr:
            return iccCTLR(cpu)
        case .sre:
            return Self.sreValue
        case .groupEnable0:
            return cpu.groupEnable0 ? 1 : 0
        case .groupEnable1:
            return cpu.groupEnable1 ? 1 : 0
        case .apr(let group1, let index):
            guard index <= cpu.maxAPRIndex else {
                throw ModelRefusal(.EINVAL, .aprIndex(index: index, priorityBits: cpu.priorityBits))
            }
            return UInt64(group1 ? cpu.ap1r[Int(index)] : cpu.ap0r[Int(index)])
        }
    }

    /// SET of `encoding` on the vCPU with affinity `selector`.
    ///
    /// ICC_CTLR_EL1 is checked field by field in the kernel's order and each accepted field is
    /// stored before the next is checked, so a refused write can still have lowered the vCPU's
    /// priority bits or ID bits (`set_gic_ctlr`).
    public mutating func writeSystemRegister(
        _ selector: Affinity, _ encoding: SysRegEncoding, _ value: UInt64
    ) throws(ModelRefusal) {
        let vcpu = try vcpu(selectedBy: selector)
        let access = try Self.iccAccess(encoding)
        let host = configuration.host
        try withCPUInterface(vcpu) { (cpu) throws(ModelRefusal) in
            switch access {
            case .pmr:
                cpu.pmr = UInt8(truncatingIfNeeded: value)
            case .bpr0:
                cpu.bpr0 = UInt8(truncatingIfNeeded: value) & 0x7
            case .bpr1:
                if !cpu.cbpr { cpu.bpr1 = UInt8(truncatingIfNeeded: value) & 0x7 }
            case .ctlr:
                let priorityBits = UInt8(truncatingIfNeeded: (value >> ICCCTLR.priBitsShift) & 0x7) + 1
                guard priorityBits <= cpu.priorityBits else {
                    throw ModelRefusal(.EINVAL, .ctlrPriorityBits(requested: priorityBits, allowed: cpu.priorityBits))
                }
                cpu.priorityBits = priorityBits
                let idBits = UInt8(truncatingIfNeeded: (value >> ICCCTLR.idBitsShift) & 0x7)
                guard idBits <= cpu.idBits else {
                    throw ModelRefusal(.EINVAL, .ctlrIDBits(requested: idBits, allowed: cpu.idBits))
                }
                cpu.idBits = idBits
                let seis = value & ICCCTLR.seis != 0
                guard seis == host.seis else { throw ModelRefusal(.EINVAL, .ctlrSEIS(requested: seis, host: host.seis)) }
                let a3v = value & ICCCTLR.a3v != 0
                guard a3v == host.a3v else { throw ModelRefusal(.EINVAL, .ctlrA3V(requested: a3v, host: host.a3v)) }
                cpu.cbpr = value & ICCCTLR.cbpr != 0
                cpu.eoiMode = value & ICCCTLR.eoiMode != 0
            case .sre:
                // Only checked, never stored: SRE, DFB and DIB read as 1 whatever was written.
                guard value & 1 != 0 else { throw ModelRefusal(.EINVAL, .sreDisabled(value)) }
            case .groupEnable0:
                cpu.groupEnable0 = value & 1 != 0
            case .groupEnable1:
                cpu.groupEnable1 = value & 1 != 0
            case .apr(let group1, let index):
                guard index <= cpu.maxAPRIndex else {
                    throw ModelRefusal(.EINVAL, .aprIndex(index: index, priorityBits: cpu.priorityBits))
                }
                let word = UInt32(truncatingIfNeeded: value)
                if group1 { cpu.ap1r[Int(index)] = word } else { cpu.ap0r[Int(index)] = word }
            }
        }
    }

    /// ICC_CTLR_EL1 as `get_gic_ctlr` builds it: PRIbits and IDbits from the vCPU, SEIS and A3V
    /// from the host, CBPR and EOImode from the VMCR. Nothing else (no PMHE, RSS, ExtRange).
    func iccCTLR(_ cpu: CPUInterfaceState) -> UInt64 {
        var value = UInt64(cpu.priorityBits - 1) << ICCCTLR.priBitsShift
        value |= UInt64(cpu.idBits) << ICCCTLR.idBitsShift
        if configuration.host.seis { value |= ICCCTLR.seis }
        if configuration.host.a3v { value |= ICCCTLR.a3v }
        if cpu.cbpr { value |= ICCCTLR.cbpr }
        if cpu.eoiMode { value |= ICCCTLR.eoiMode }
        return value
    }

    /// `vgic_v3_enable` for a GICv3 guest: ICC_SRE_EL1 = DIB | DFB | SRE.
    static let sreValue: UInt64 = 0x7

    private mutating func withCPUInterface(
        _ vcpu: Int, _ body: (inout CPUInterfaceState) throws(ModelRefusal) -> Void
    ) throws(ModelRefusal) {
        // Apply to a copy and store it even when the body throws: the kernel keeps what it
        // stored before refusing.
        var cpu = redistributors[vcpu].cpuInterface
        defer { redistributors[vcpu].cpuInterface = cpu }
        try body(&cpu)
    }

    /// The ICC registers KVM exposes to userspace, by what their accessors do.
    enum ICCAccess: Hashable {
        case pmr, bpr0, bpr1, ctlr, sre, groupEnable0, groupEnable1
        case apr(group1: Bool, index: UInt8)
    }

    /// Classifies an encoding, or ENOENT for anything `gic_v3_icc_reg_descs` lacks or hides.
    static func iccAccess(_ encoding: SysRegEncoding) throws(ModelRefusal) -> ICCAccess {
        guard let register = ICCRegister.lookup(instr: encoding.instr), !register.requiresEL2 else {
            throw ModelRefusal(.ENOENT, .noSuchSystemRegister(encoding))
        }
        if let index = register.aprIndex {
            return .apr(group1: encoding.crm == 9, index: index)
        }
        switch (encoding.crn, encoding.crm, encoding.op2) {
        case (4, 6, 0): return .pmr
        case (12, 8, 3): return .bpr0
        case (12, 12, 3): return .bpr1
        case (12, 12, 4): return .ctlr
        case (12, 12, 5): return .sre
        case (12, 12, 6): return .groupEnable0
        default: return .groupEnable1
        }
    }
}
