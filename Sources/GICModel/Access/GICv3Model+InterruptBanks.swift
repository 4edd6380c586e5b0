import GICVocabulary

/// The per-interrupt banks the distributor and the SGI frame share, read and written from the
/// register table's columns: `field` says which state of each INTID the bank shows,
/// `bitsPerInterrupt` how wide its field is, `uaccess` whether a write sets, clears or replaces
/// it, and `storedBits` which bits of the field are kept.
///
/// So there is no second list of banks here to drift from the table: a register whose row names
/// a field and a write rule behaves accordingly (the kernel's handler pairs are
/// `vgic_mmio_{read,write}_group`, `vgic_uaccess_write_{s,c}enable`,
/// `vgic_uaccess_read_pending` / `vgic_v3_uaccess_write_pending`, `vgic_uaccess_read_active` /
/// `vgic_mmio_uaccess_write_{s,c}active`, `vgic_mmio_{read,write}_priority` and
/// `_config`; RAZ/WI banks read `vgic_mmio_read_raz`).
extension GICv3Model {
    /// Whether `register` is a per-interrupt bank handled here (GICD_IROUTER, one 64-bit
    /// register per INTID, is handled with the distributor's single registers).
    static func isBank(_ register: GICv3Register) -> Bool {
        register.isPerInterrupt && register.field != .routing
    }

    /// Reads the bank word whose first interrupt is `first`, on `vcpu`.
    func readBank(_ register: GICv3Register, first: UInt32, vcpu: Int) -> UInt32 {
        guard let field = register.field, register.uaccess != .razWI else { return 0 }
        let width = register.bitsPerInterrupt
        let latchOrLine = configuration.mutations.contains(.ispendrReadsLatchOrLine)
        var word: UInt32 = 0
        for i in 0..<(32 / width) {
            let irq = interrupt(first + i, vcpu: vcpu)
            let value: UInt32
            switch field {
            case .group: value = irq.group1 ? 1 : 0
            case .enable: value = irq.enabled ? 1 : 0
            case .pending: value = (latchOrLine ? irq.isPending : irq.latch) ? 1 : 0
            case .active: value = irq.active ? 1 : 0
            case .priority: value = UInt32(irq.priority)
            case .configuration: value = irq.edge ? 2 : 0
            case .routing: value = 0
            }
            word |= value << (i * width)
        }
        return word
    }

    /// Writes the bank word whose first interrupt is `first`, on `vcpu`, with userspace semantics.
    mutating func writeBank(_ register: GICv3Register, first: UInt32, vcpu: Int, _ value: UInt32) {
        guard let field = register.field, register.uaccess != .razWI else { return }
        let width = register.bitsPerInterrupt
        var kept = register.storedBits(ofWordAt: register.offset)
        if field == .priority && configuration.mutations.contains(.priorityNotMasked) { kept = 0xFFFF_FFFF }
        // The private ICFGR stores nothing (its row says so): SGIs are always edge and PPIs always
        // level. The mutation makes the PPIs' word writable, the bug the fuzzer must catch.
        if field == .configuration && (Self.sgiCount..<Self.privateCount).contains(first)
            && configuration.mutations.contains(.privateConfigWritable) {
            kept = GICv3Register.gicdICFGR.storedBits(ofWordAt: GICv3Register.gicdICFGR.offset)
        }
        let fieldMask: UInt32 = width == 32 ? .max : (1 << width) - 1
        for i in 0..<(32 / width) {
            let shift = i * width
            let bits = (value & kept) >> shift & fieldMask
            let isKept = (kept >> shift) & fieldMask != 0
            guard isKept else { continue }
            let bit = bits != 0
            // Set and clear registers act only where a 1 is written; the others replace the field.
            let isSetOrClear = register.uaccess == .setBits || register.uaccess == .clearBits
            if isSetOrClear && !bit { continue }
            let set = register.uaccess != .clearBits
            update(first + i, vcpu: vcpu) { irq in
                switch field {
                case .group: irq.group1 = bit
                case .enable: irq.enabled = set
                case .pending: irq.latch = bit
                case .active: irq.active = set
                case .priority: irq.priority = UInt8(truncatingIfNeeded: bits)
                case .configuration: irq.edge = bit
                case .routing: break
                }
            }
        }
    }

    /// `GENMASK(7, 8 - VGIC_PRI_BITS)`: the five priority bits KVM keeps, from the table.
    public static let priorityMask = UInt8(truncatingIfNeeded: GICv3Register.gicdIPRIORITYR.storedBits)
}
