import GICVocabulary

/// What a per-interrupt register word does, for the banks the distributor and the SGI frame share.
///
/// One case per distinct kernel handler pair (`vgic_mmio_read_*` / `vgic_*uaccess_write_*`), so
/// the distributor and redistributor code dispatch a `GICv3Register` to one of these and share the
/// bit loops.
enum InterruptBank: Hashable, Sendable {
    /// IGROUPR: `vgic_mmio_{read,write}_group`.
    case group
    /// ISENABLER: read `enabled`, write `vgic_uaccess_write_senable`.
    case setEnable
    /// ICENABLER: read `enabled`, write `vgic_uaccess_write_cenable`.
    case clearEnable
    /// ISPENDR: `vgic_uaccess_read_pending` (the latch) / `vgic_v3_uaccess_write_pending`
    /// (the latch takes every bit written, 0 clears).
    case setPending
    /// ICPENDR: RAZ/WI for userspace (`vgic_mmio_read_raz` / `vgic_mmio_uaccess_write_wi`).
    case clearPending
    /// ISACTIVER: `vgic_uaccess_read_active` / `vgic_mmio_uaccess_write_sactive`.
    case setActive
    /// ICACTIVER: `vgic_uaccess_read_active` / `vgic_mmio_uaccess_write_cactive`.
    case clearActive
    /// IPRIORITYR: `vgic_mmio_{read,write}_priority`, 8 bits per interrupt, top 5 kept.
    case priority
    /// ICFGR: `vgic_mmio_{read,write}_config`, 2 bits per interrupt; private INTIDs read-only.
    case config
    /// ITARGETSR, IGRPMODR, NSACR and the distributor's private part: RAZ/WI.
    case razWI

    /// The bank a register is, or nil for a register that is not one of these banks.
    static func of(_ register: GICv3Register) -> InterruptBank? {
        switch register {
        case .gicdIGROUPR, .gicrIGROUPR0: .group
        case .gicdISENABLER, .gicrISENABLER0: .setEnable
        case .gicdICENABLER, .gicrICENABLER0: .clearEnable
        case .gicdISPENDR, .gicrISPENDR0: .setPending
        case .gicdICPENDR, .gicrICPENDR0: .clearPending
        case .gicdISACTIVER, .gicrISACTIVER0: .setActive
        case .gicdICACTIVER, .gicrICACTIVER0: .clearActive
        case .gicdIPRIORITYR, .gicrIPRIORITYR: .priority
        case .gicdICFGR, .gicrICFGR: .config
        case .gicdITARGETSR, .gicdIGRPMODR, .gicrIGRPMODR0, .gicrNSACR: .razWI
        default: nil
        }
    }

    /// Interrupts per 32-bit word.
    var interruptsPerWord: UInt32 {
        switch self {
        case .priority: 4
        case .config: 16
        default: 32
        }
    }
}

extension GICv3Model {
    /// Reads the bank word whose first interrupt is `first`, on `vcpu`.
    func readBank(_ bank: InterruptBank, first: UInt32, vcpu: Int) -> UInt32 {
        var word: UInt32 = 0
        switch bank {
        case .razWI, .clearPending:
            return 0
        case .priority:
            for i in 0..<UInt32(4) {
                word |= UInt32(interrupt(first + i, vcpu: vcpu).priority) << (i * 8)
            }
        case .config:
            for i in 0..<UInt32(16) where interrupt(first + i, vcpu: vcpu).edge {
                word |= 2 << (i * 2)
            }
        case .group, .setEnable, .clearEnable, .setPending, .setActive, .clearActive:
            let latchOrLine = configuration.mutations.contains(.ispendrReadsLatchOrLine)
            for i in 0..<UInt32(32) {
                let irq = interrupt(first + i, vcpu: vcpu)
                let bit: Bool
                switch bank {
                case .group: bit = irq.group1
                case .setEnable, .clearEnable: bit = irq.enabled
                case .setPending: bit = latchOrLine ? irq.isPending : irq.latch
                default: bit = irq.active
                }
                if bit { word |= 1 << i }
            }
        }
        return word
    }

    /// Writes the bank word whose first interrupt is `first`, on `vcpu`, with userspace semantics.
    mutating func writeBank(_ bank: InterruptBank, first: UInt32, vcpu: Int, _ value: UInt32) {
        switch bank {
        case .razWI, .clearPending:
            return
        case .priority:
            let mask: UInt8 = configuration.mutations.contains(.priorityNotMasked) ? 0xFF : Self.priorityMask
            for i in 0..<UInt32(4) {
                let byte = UInt8(truncatingIfNeeded: value >> (i * 8))
                update(first + i, vcpu: vcpu) { $0.priority = byte & mask }
            }
        case .config:
            let privateWritable = configuration.mutations.contains(.privateConfigWritable)
            for i in 0..<UInt32(16) {
                let intid = first + i
                // SGIs are always edge and PPIs always level: "The arch timer code relies on PPIs
                // being level triggered" (`vgic_mmio_write_config`).
                if intid < Self.privateCount && !(privateWritable && intid >= Self.sgiCount) { continue }
                let edge = value & (2 << (i * 2)) != 0
                update(intid, vcpu: vcpu) { $0.edge = edge }
            }
        case .group, .setEnable, .clearEnable, .setPending, .setActive, .clearActive:
            for i in 0..<UInt32(32) {
                let bit = value & (1 << i) != 0
                switch bank {
                case .group: update(first + i, vcpu: vcpu) { $0.group1 = bit }
                case .setEnable: if bit { update(first + i, vcpu: vcpu) { $0.enabled = true } }
                case .clearEnable: if bit { update(first + i, vcpu: vcpu) { $0.enabled = false } }
                case .setPending: update(first + i, vcpu: vcpu) { $0.latch = bit }
                case .setActive: if bit { update(first + i, vcpu: vcpu) { $0.active = true } }
                default: if bit { update(first + i, vcpu: vcpu) { $0.active = false } }
                }
            }
        }
    }

    /// `GENMASK(7, 8 - VGIC_PRI_BITS)`: KVM keeps five priority bits.
    public static let priorityMask: UInt8 = 0xF8
}
