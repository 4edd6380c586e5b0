/// Finding registers by offset, and the word of a bank that covers a given INTID.
extension GICv3Register {
    /// The INTIDs this register has fields for, or nil if it is not per-interrupt.
    ///
    /// Distributor banks start at INTID 32: the first 32 INTIDs' bits are RAZ/WI there, because
    /// private interrupts live in each redistributor's SGI frame (GICVocabulary.docc/GICv3RegisterMap.md,
    /// `REGISTER_DESC_WITH_BITS_PER_IRQ_SHARED`); they end at 1019, the last SPI. SGI-frame banks cover
    /// INTIDs 0–31 (GICR_NSACR only the 16 SGIs).
    public var intids: ClosedRange<UInt32>? {
        guard bitsPerInterrupt != 0 else { return nil }
        let fields = length * 8 / bitsPerInterrupt
        let last = Swift.min(fields - 1, SPI.intids.upperBound)
        return frame.firstINTID...last
    }

    /// The word (and bit position) holding `intid`'s field, e.g. GICD_ISPENDR INTID 40 → offset 0x0204
    /// bit 8, GICD_IROUTER INTID 32 → 0x6100, GICR_IPRIORITYR INTID 5 → 0x10404 bit 8.
    ///
    /// Throws `.notInRegister(frame:offset:intid:allowed:)` when the register has no field for `intid`:
    /// a private INTID asked of a distributor bank, an SPI asked of an SGI-frame bank, anything above
    /// 1019, or any INTID for a register that is not per-interrupt (then `allowed` is nil).
    public func location(of intid: UInt32) throws(GICValueError) -> InterruptFieldLocation {
        guard let allowed = intids, allowed.contains(intid) else {
            throw .notInRegister(frame: frame, offset: offset, intid: intid, allowed: intids)
        }
        let bit = intid * bitsPerInterrupt
        return InterruptFieldLocation(
            intid: intid,
            offset: offset + (bit / 32) * 4,
            shift: bit % 32,
            bitWidth: bitsPerInterrupt)
    }

    /// The register of `frame` whose bytes include attr `offset`, or nil for a hole in the map.
    public static func containing(frame: GICv3Frame, offset: UInt32) -> GICv3Register? {
        all.first { $0.frame == frame && $0.offsets.contains(offset) }
    }

    /// The distributor register whose bytes include `offset` (a `DIST_REGS` attr offset).
    public static func containing(distributorOffset offset: UInt32) -> GICv3Register? {
        distributor.first { $0.offsets.contains(offset) }
    }

    /// The redistributor register, RD or SGI frame, whose bytes include `offset` (a `REDIST_REGS` attr
    /// offset, counted from RD_base).
    public static func containing(redistributorOffset offset: UInt32) -> GICv3Register? {
        redistributor.first { $0.offsets.contains(offset) }
    }
}
