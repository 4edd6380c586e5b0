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
        let register = try Self.exposedRegister(encoding)
        if let group = register.aprGroup, let index = register.aprIndex {
            guard index <= cpu.maxAPRIndex else {
                throw ModelRefusal(.EINVAL, .aprIndex(index: index, priorityBits: cpu.priorityBits))
            }
            return UInt64(group == 1 ? cpu.ap1r[Int(index)] : cpu.ap0r[Int(index)])
        }
        switch register.access {
        case .bpr1:
            // With CBPR set, BPR1 reads BPR0 + 1, saturating at 7 (`get_gic_bpr1`).
            return cpu.cbpr ? UInt64(Swift.min(cpu.bpr0 + 1, 7)) : UInt64(cpu.bpr1)
        case .control:
            return iccCTLR(cpu).rawValue
        case .systemRegisterEnable, .readOnly, .virtualEL2:
            // Nothing stored: the constant of the table (ICC_SRE_EL1: DIB | DFB | SRE).
            return register.resetValue ?? 0
        case .stored:
            switch register {
            case .iccPMR: return UInt64(cpu.pmr)
            case .iccBPR0: return UInt64(cpu.bpr0)
            case .iccIGRPEN0: return cpu.groupEnable0 ? 1 : 0
            default: return cpu.groupEnable1 ? 1 : 0
            }
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
        let register = try Self.exposedRegister(encoding)
        let host = configuration.host
        try withCPUInterface(vcpu) { (cpu) throws(ModelRefusal) in
            if let group = register.aprGroup, let index = register.aprIndex {
                guard index <= cpu.maxAPRIndex else {
                    throw ModelRefusal(.EINVAL, .aprIndex(index: index, priorityBits: cpu.priorityBits))
                }
                let word = UInt32(truncatingIfNeeded: value)
                if group == 1 { cpu.ap1r[Int(index)] = word } else { cpu.ap0r[Int(index)] = word }
                return
            }
            switch register.access {
            case .stored(let mask):
                let kept = UInt8(truncatingIfNeeded: value & mask)
                switch register {
                case .iccPMR: cpu.pmr = kept
                case .iccBPR0: cpu.bpr0 = kept
                case .iccIGRPEN0: cpu.groupEnable0 = kept != 0
                default: cpu.groupEnable1 = kept != 0
                }
            case .bpr1:
                if !cpu.cbpr { cpu.bpr1 = UInt8(truncatingIfNeeded: value) & 0x7 }
            case .control:
                let control = ICCControl(rawValue: value)
                let priorityBits = UInt8(truncatingIfNeeded: control.priorityBits)
                guard priorityBits <= cpu.priorityBits else {
                    throw ModelRefusal(.EINVAL, .ctlrPriorityBits(requested: priorityBits, allowed: cpu.priorityBits))
                }
                cpu.priorityBits = priorityBits
                let idBits = UInt8(truncatingIfNeeded: control.idBits)
                guard idBits <= cpu.idBits else {
                    throw ModelRefusal(.EINVAL, .ctlrIDBits(requested: idBits, allowed: cpu.idBits))
                }
                cpu.idBits = idBits
                guard control.seis == host.seis else {
                    throw ModelRefusal(.EINVAL, .ctlrSEIS(requested: control.seis, host: host.seis))
                }
                guard control.a3v == host.a3v else {
                    throw ModelRefusal(.EINVAL, .ctlrA3V(requested: control.a3v, host: host.a3v))
                }
                cpu.cbpr = control.cbpr
                cpu.eoiMode = control.eoiMode
            case .systemRegisterEnable:
                // Only checked, never stored: SRE, DFB and DIB read as 1 whatever was written.
                guard value & 1 != 0 else { throw ModelRefusal(.EINVAL, .sreDisabled(value)) }
            case .readOnly, .virtualEL2:
                // Unreachable: `exposedRegister` hides the EL2 registers, the only ones with these rules.
                throw ModelRefusal(.ENOENT, .noSuchSystemRegister(encoding))
            }
        }
    }

    /// ICC_CTLR_EL1 as `get_gic_ctlr` builds it: PRIbits and IDbits from the vCPU, SEIS and A3V
    /// from the host, CBPR and EOImode from the VMCR. Nothing else (no PMHE, RSS, ExtRange).
    func iccCTLR(_ cpu: CPUInterfaceState) -> ICCControl {
        var control = ICCControl(rawValue: 0)
        control.priorityBits = UInt32(cpu.priorityBits)
        control.idBits = UInt32(cpu.idBits)
        control.seis = configuration.host.seis
        control.a3v = configuration.host.a3v
        control.cbpr = cpu.cbpr
        control.eoiMode = cpu.eoiMode
        return control
    }

    private mutating func withCPUInterface(
        _ vcpu: Int, _ body: (inout CPUInterfaceState) throws(ModelRefusal) -> Void
    ) throws(ModelRefusal) {
        // Apply to a copy and store it even when the body throws: the kernel keeps what it
        // stored before refusing.
        var cpu = redistributors[vcpu].cpuInterface
        defer { redistributors[vcpu].cpuInterface = cpu }
        try body(&cpu)
    }

    /// The EL1 register of the ICC table with this encoding, or ENOENT for anything
    /// `gic_v3_icc_reg_descs` lacks or hides (the EL2 registers: the model has no nested vCPU).
    static func exposedRegister(_ encoding: SysRegEncoding) throws(ModelRefusal) -> ICCRegister {
        guard let register = ICCRegister.lookup(instr: encoding.instr), !register.requiresEL2 else {
            throw ModelRefusal(.ENOENT, .noSuchSystemRegister(encoding))
        }
        return register
    }
}
