import GICVocabulary

/// `KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO`: line levels, 32 INTIDs per access
/// (`vgic_v3_line_level_info_uaccess`, `vgic_{read,write}_irq_line_level_info`).
///
/// The half of the pending state that ISPENDR does not show. SGIs and INTIDs at or above NR_IRQS
/// read 0 and ignore writes; an edge interrupt's line reads 0 but a write sets it anyway ("Line
/// level is set irrespective of irq type").
extension GICv3Model {
    /// GET: bit n is the line of INTID `selector.firstINTID + n`, for level interrupts only.
    public func readLineLevels(_ selector: LevelInfoSelector) throws(ModelRefusal) -> UInt32 {
        let vcpu = try vcpu(selectedBy: selector.affinity)
        var word: UInt32 = 0
        for i in 0..<UInt32(32) {
            let intid = selector.firstINTID + i
            guard intid >= Self.sgiCount, intid < interruptCount else { continue }
            if interrupt(intid, vcpu: vcpu).reportedLine { word |= 1 << i }
        }
        return word
    }

    /// SET: each bit becomes the line of its INTID, whatever the configuration.
    public mutating func writeLineLevels(_ selector: LevelInfoSelector, _ word: UInt32) throws(ModelRefusal) {
        let vcpu = try vcpu(selectedBy: selector.affinity)
        for i in 0..<UInt32(32) {
            let intid = selector.firstINTID + i
            guard intid >= Self.sgiCount, intid < interruptCount else { continue }
            let level = word & (1 << i) != 0
            update(intid, vcpu: vcpu) { $0.line = level }
        }
    }

    /// GET with a raw attr, for the refusals `LevelInfoSelector` cannot express: the selector is
    /// checked first (EINVAL), then the info field (EINVAL), then the vINTID alignment (EINVAL).
    public func readLineLevels(attr: UInt64) throws(ModelRefusal) -> UInt32 {
        try readLineLevels(try levelSelector(attr))
    }

    /// SET with a raw attr; refusals as for `readLineLevels(attr:)`.
    public mutating func writeLineLevels(attr: UInt64, _ word: UInt32) throws(ModelRefusal) {
        try writeLineLevels(try levelSelector(attr), word)
    }

    func levelSelector(_ attr: UInt64) throws(ModelRefusal) -> LevelInfoSelector {
        let affinity = Affinity(attr: attr)
        _ = try vcpu(selectedBy: affinity)
        let info = UInt32(truncatingIfNeeded: (attr & LevelInfoSelector.infoMask) >> 10)
        guard info == 0 else { throw ModelRefusal(.EINVAL, .levelInfoKind(info)) }
        let intid = UInt32(truncatingIfNeeded: attr & LevelInfoSelector.intidMask)
        do throws(GICValueError) {
            return try LevelInfoSelector(affinity: affinity, firstINTID: intid)
        } catch {
            throw ModelRefusal(.EINVAL, .levelInfoMisaligned(intid))
        }
    }
}
