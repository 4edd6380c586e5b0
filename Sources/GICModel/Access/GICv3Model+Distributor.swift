import GICVocabulary

/// `KVM_DEV_ARM_VGIC_GRP_DIST_REGS`: 32-bit words of the distributor frame, as
/// `vgic_v3_dist_uaccess` reads and writes them.
///
/// The kernel ignores the attr's selector for this group and acts as vCPU 0, so no selector can be
/// refused here. An offset that lies in no register region, or in a per-interrupt bank at or above
/// NR_IRQS, reads as 0 and ignores writes (`vgic_uaccess_read` / `_write` with no region); only
/// HAS_DEVICE_ATTR calls it ENXIO (`hasDistributorRegister`).
extension GICv3Model {
    /// GET of the distributor word at `offset`.
    public func readDistributor(offset: UInt32) -> UInt32 {
        guard let (register, first) = distributorRegion(offset) else { return 0 }
        if Self.isBank(register) {
            // The first 32 INTIDs' part of every bank is RAZ/WI (`REGISTER_DESC_WITH_BITS_PER_IRQ_SHARED`).
            return first < Self.privateCount ? 0 : readBank(register, first: first, vcpu: 0)
        }
        switch register {
        case .gicdCTLR: return distributorCTLR
        case .gicdTYPER: return distributorTYPER
        case .gicdIIDR: return distributorIIDR
        case .gicdTYPER2: return Self.distributorTYPER2
        case .gicdSTATUSR: return 0xFFFF_FFFF  // vgic_mmio_read_rao
        case .gicdIROUTER:
            guard first >= Self.privateCount, offset & 4 == 0 else { return 0 }
            return interrupt(first, vcpu: 0).route
        case .gicdIDREGS: return Self.idRegister(offset)
        default: return 0
        }
    }

    /// SET of the distributor word at `offset`; throws only where `vgic_mmio_uaccess_write_v3_misc`
    /// refuses (GICD_IIDR and GICD_TYPER2).
    public mutating func writeDistributor(offset: UInt32, _ value: UInt32) throws(ModelRefusal) {
        guard let (register, first) = distributorRegion(offset) else { return }
        if Self.isBank(register) {
            if first >= Self.privateCount { writeBank(register, first: first, vcpu: 0, value) }
            return
        }
        switch register {
        case .gicdCTLR:
            // Userspace sets the stored enable directly; nASSGIreq needs GICv4.1, which the hosts
            // here lack, so it is dropped.
            distributor.enabled = value & register.storedBits(ofWordAt: offset) != 0
        case .gicdIIDR:
            distributor.implementationRevision = try Self.revision(ofIIDRWrite: value, current: distributorIIDR)
        case .gicdTYPER2:
            // A change is refused: EINVAL on 6.12, EBUSY (read-only after CTRL_INIT) on 7.x.
            if value != Self.distributorTYPER2 {
                throw ModelRefusal(
                    configuration.kernel.typer2ChangeErrno,
                    .typer2Rejected(written: value, current: Self.distributorTYPER2))
            }
        case .gicdIROUTER:
            // The upper word is WI: KVM does not implement Aff3. The lower keeps Aff2.Aff1.Aff0.
            guard first >= Self.privateCount, offset & 4 == 0 else { return }
            let kept = register.storedBits(ofWordAt: offset)
            let mask: UInt32 = configuration.mutations.contains(.routingKeepsIRM) ? kept | 0x8000_0000 : kept
            update(first, vcpu: 0) { $0.route = value & mask }
        default:
            return  // TYPER, STATUSR, IDREGS: WI
        }
    }

    /// The register whose region holds `offset` and, for per-interrupt banks, the first INTID of
    /// the word; nil where the kernel finds no region (a hole, a misaligned offset, a bank word at
    /// or above NR_IRQS).
    func distributorRegion(_ offset: UInt32) -> (GICv3Register, UInt32)? {
        guard offset & 3 == 0, let register = GICv3Register.containing(distributorOffset: offset) else {
            return nil
        }
        guard register.bitsPerInterrupt != 0 else { return (register, 0) }
        let first = (offset - register.offset) * 8 / register.bitsPerInterrupt
        guard first < interruptCount else { return nil }
        return (register, first)
    }

    // MARK: Identification registers

    /// GICD_CTLR: EnableGrp1 (bit 1) as stored, ARE_NS (bit 4) and DS (bit 6) always set.
    var distributorCTLR: UInt32 {
        (distributor.enabled ? Self.ctlrEnableGroup1 : 0) | Self.ctlrARENS | Self.ctlrDS
    }

    /// GICD_TYPER: ITLinesNumber = NR_IRQS / 32 − 1, IDbits − 1 at [23:19] (10 bits without an
    /// ITS, 16 with, plus LPIS bit 17).
    var distributorTYPER: UInt32 {
        let lines = (interruptCount >> 5) - 1
        if configuration.hasITS { return lines | (16 - 1) << 19 | 1 << 17 }
        return lines | (10 - 1) << 19
    }

    /// GICD_IIDR: ProductID 0x4B (KVM) at [31:24], Revision at [15:12], Implementer 0x43B (Arm).
    var distributorIIDR: UInt32 {
        Self.iidr(revision: distributor.implementationRevision)
    }

    /// GICD_IIDR at implementation revision `revision`.
    static func iidr(revision: UInt32) -> UInt32 {
        0x4B << 24 | revision << 12 | 0x43B
    }

    /// `KVM_VGIC_IMP_REV_LATEST`: the revision a new vgic has (`kvm_vgic_create`).
    public static let latestImplementationRevision: UInt32 = 3

    /// The revision a userspace GICD_IIDR write of `value` sets, or EINVAL
    /// (`vgic_mmio_uaccess_write_v3_misc`): only the Revision field may differ from `current`, and
    /// it must be one KVM implements (`KVM_VGIC_IMP_REV_2` or `_3`). It becomes
    /// `implementation_rev`: a write of revision 2 turns GICR_CTLR.{IR,CES} off, even after
    /// CTRL_INIT, on 6.12 and 7.x alike (seen in the lab; one source version read takes the
    /// revision from the value read back, which would make it a no-op).
    static func revision(ofIIDRWrite value: UInt32, current: UInt32) throws(ModelRefusal) -> UInt32 {
        guard (current ^ value) & ~iidrRevisionMask == 0 else {
            throw ModelRefusal(.EINVAL, .iidrRejected(written: value, current: current))
        }
        let revision = (value & iidrRevisionMask) >> 12
        guard revision == 2 || revision == 3 else {
            throw ModelRefusal(.EINVAL, .iidrRejected(written: value, current: current))
        }
        return revision
    }

    /// GICD_TYPER2: nASSGIcap only with GICv4.1 vSGIs, which the hosts here do not have.
    static let distributorTYPER2: UInt32 = 0

    /// The ID register block (GICD/GICR 0xFFD0–0xFFFF): PIDR2 (0xFFE8) reads 0x3B (ArchRev GICv3),
    /// the rest 0 (`vgic_mmio_read_v3_idregs`).
    static func idRegister(_ offset: UInt32) -> UInt32 {
        offset & 0xFFFF == 0xFFE8 ? 0x3B : 0
    }

    static let ctlrEnableGroup1: UInt32 = 1 << 1
    static let ctlrARENS: UInt32 = 1 << 4
    static let ctlrDS: UInt32 = 1 << 6
    static let iidrRevisionMask: UInt32 = 0xF << 12
}
