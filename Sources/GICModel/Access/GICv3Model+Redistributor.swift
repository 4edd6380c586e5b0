import GICVocabulary

/// `KVM_DEV_ARM_VGIC_GRP_REDIST_REGS`: 32-bit words of a vCPU's RD frame (offsets from RD_base)
/// and SGI frame (RD_base + 0x10000), as `vgic_v3_redist_uaccess` reads and writes them.
///
/// The selector must name a vCPU (EINVAL otherwise). Offsets in no region read 0 and ignore writes;
/// regions are found the way the kernel finds them (`KernelRegionSearch`), which misses
/// GICR_STATUSR.
/// SGI-frame registers have no per-interrupt range check in the kernel (they are plain
/// `REGISTER_DESC_WITH_LENGTH` regions), so all their words exist.
extension GICv3Model {
    /// GET of the word at `offset` of the redistributor of the vCPU with affinity `selector`.
    public func readRedistributor(_ selector: Affinity, offset: UInt32) throws(ModelRefusal) -> UInt32 {
        let vcpu = try vcpu(selectedBy: selector)
        guard offset & 3 == 0, let register = KernelRegionSearch.redistributor(offset) else {
            return 0
        }
        if Self.isBank(register) {
            let first = (offset - register.offset) * 8 / register.bitsPerInterrupt
            return readBank(register, first: first, vcpu: vcpu)
        }
        let redistributor = redistributors[vcpu]
        switch register {
        case .gicrCTLR:
            var value: UInt32 = redistributor.lpisEnabled ? Self.gicrCTLREnableLPIs : 0
            if distributor.implementationRevision >= 3 { value |= Self.gicrCTLRIR | Self.gicrCTLRCES }
            return value
        case .gicrIIDR:
            return 0x4B << 24 | 0x43B
        case .gicrTYPER:
            return Self.half(redistributorTYPER(vcpu), offset)
        case .gicrPROPBASER:
            return Self.half(distributor.propbaser, offset)
        case .gicrPENDBASER:
            return Self.half(redistributor.pendbaser & ~Self.pendbaserPTZ, offset)
        case .gicrIDREGS:
            return Self.idRegister(offset)
        default:
            return 0  // STATUSR, WAKER, INVLPIR, INVALLR: RAZ; SYNCR: never busy
        }
    }

    /// SET of the word at `offset` of the redistributor of the vCPU with affinity `selector`.
    public mutating func writeRedistributor(_ selector: Affinity, offset: UInt32, _ value: UInt32) throws(ModelRefusal) {
        let vcpu = try vcpu(selectedBy: selector)
        guard offset & 3 == 0, let register = KernelRegionSearch.redistributor(offset) else {
            return
        }
        if Self.isBank(register) {
            let first = (offset - register.offset) * 8 / register.bitsPerInterrupt
            writeBank(register, first: first, vcpu: vcpu, value)
            return
        }
        switch register {
        case .gicrCTLR:
            // Only with an ITS; enabling LPIs also reads the guest's pending table, which the
            // model does not have (the differential fuzzer runs without an ITS).
            if configuration.hasITS {
                redistributors[vcpu].lpisEnabled = value & register.storedBits(ofWordAt: offset) != 0
            }
        case .gicrPROPBASER:
            // "Storing a value with LPIs already enabled is undefined": ignored.
            guard !redistributors[vcpu].lpisEnabled else { return }
            let updated = Self.replacingHalf(distributor.propbaser, offset, value)
            distributor.propbaser = Self.sanitisedPROPBASER(updated)
        case .gicrPENDBASER:
            guard !redistributors[vcpu].lpisEnabled else { return }
            let updated = Self.replacingHalf(redistributors[vcpu].pendbaser, offset, value)
            redistributors[vcpu].pendbaser = Self.sanitisedPENDBASER(updated)
        default:
            return  // IIDR, TYPER, STATUSR, WAKER, SYNCR, IDREGS: WI; INVLPIR/INVALLR need LPIs
        }
    }

    /// GICR_TYPER: Aff2.Aff1.Aff0 at [55:32] (`kvm_vcpu_get_mpidr_aff(vcpu) & GENMASK(23, 0)`: Aff3
    /// is not reported), the vCPU id at [23:8], Last (bit 4), PLPIS (bit 0) with an ITS.
    func redistributorTYPER(_ vcpu: Int) -> UInt64 {
        let affinity = UInt64(redistributors[vcpu].affinity.packed & 0xFF_FFFF)
        var value = affinity << 32 | (UInt64(vcpu) & 0xFFFF) << 8
        if configuration.hasITS { value |= 1 }
        if lastFlags[vcpu] { value |= 1 << 4 }
        return value
    }

    // MARK: 64-bit registers in 32-bit words

    /// The word at `offset` of a 64-bit register: low half at an 8-aligned offset, high half at +4.
    static func half(_ value: UInt64, _ offset: UInt32) -> UInt32 {
        UInt32(truncatingIfNeeded: offset & 4 == 0 ? value : value >> 32)
    }

    /// `update_64bit_reg`: `register` with the half at `offset` replaced by `word`.
    static func replacingHalf(_ register: UInt64, _ offset: UInt32, _ word: UInt32) -> UInt64 {
        offset & 4 == 0
            ? (register & 0xFFFF_FFFF_0000_0000) | UInt64(word)
            : (register & 0xFFFF_FFFF) | UInt64(word) << 32
    }

    // MARK: Sanitising the LPI table registers (`vgic_sanitise_*`)

    /// `vgic_sanitise_propbaser`: shareability [11:10], inner cacheability [9:7], outer
    /// cacheability [58:56] fixed up, RES0 bits cleared (those outside the row's stored bits).
    static func sanitisedPROPBASER(_ value: UInt64) -> UInt64 {
        sanitisedBaser(value) & GICv3Register.gicrPROPBASER.storedBits
    }

    /// `vgic_sanitise_pendbaser`: the same fields and RES0 bits cleared; PTZ is kept, though it
    /// always reads as zero (so it is not among the row's stored bits).
    static func sanitisedPENDBASER(_ value: UInt64) -> UInt64 {
        sanitisedBaser(value) & (GICv3Register.gicrPENDBASER.storedBits | pendbaserPTZ)
    }

    /// The three field fix-ups common to both: Outer Shareable becomes Inner Shareable; inner
    /// nCnB or nC becomes RaWb; outer anything but SameAsInner or nC becomes SameAsInner.
    static func sanitisedBaser(_ value: UInt64) -> UInt64 {
        var result = value
        let shareability = (result >> 10) & 0x3
        if shareability == 2 { result = (result & ~(0x3 << 10)) | 1 << 10 }
        let inner = (result >> 7) & 0x7
        if inner == 0 || inner == 1 { result = (result & ~(0x7 << 7)) | 3 << 7 }
        let outer = (result >> 56) & 0x7
        if outer != 0 && outer != 1 { result &= ~(0x7 << 56) }
        return result
    }

    static let gicrCTLREnableLPIs: UInt32 = 1 << 0
    static let gicrCTLRCES: UInt32 = 1 << 1
    static let gicrCTLRIR: UInt32 = 1 << 2
    static let pendbaserPTZ: UInt64 = 1 << 62
}
