/// The one error type of GICVocabulary: a number that does not fit the GIC field it was meant for.
///
/// Every initialiser that takes a number from outside (a caller, a snapshot, a word read back from the
/// kernel) checks it and throws one of these instead of trapping. Firecracker and Cloud Hypervisor both
/// shipped panics on malformed GIC state (GICVocabulary.docc/Pitfalls.md item 13), so no path that caller
/// input reaches in this module may trap.
///
/// Each case carries the offending value and what would have been accepted, so the message can say
/// exactly what was wrong, and tests can assert the precise case and payload.
public enum GICValueError: Error, Hashable, Sendable, CustomStringConvertible {
    /// `value` lies outside the contiguous set `allowed` of `field`.
    case outOfRange(field: Field, value: UInt64, allowed: ClosedRange<UInt64>)

    /// `value` has bits set under `reservedMask`, which must be zero: an architectural RES0 field or a uAPI
    /// field the kernel requires to be 0 (for example the REDIST_REGION flags,
    /// GICVocabulary.docc/AttributeEncodings.md).
    case reservedBitsSet(field: Field, value: UInt64, reservedMask: UInt64)

    /// `value` is not a multiple of `alignment`.
    case misaligned(field: Field, value: UInt64, alignment: UInt64)

    /// `value` falls into `reserved`, a hole the architecture leaves unassigned, for example the GICv3
    /// INTIDs 1024–1055 between the special INTIDs and the extended PPIs.
    case reservedRange(field: Field, value: UInt64, reserved: ClosedRange<UInt64>)

    /// The register at attr `offset` of `frame` has no field for `intid`. `allowed` is the INTIDs the
    /// register does cover, or nil when it is not a per-interrupt register at all. Private INTIDs
    /// (0–31) are RAZ/WI in the distributor banks and live in the redistributor SGI frame instead
    /// (GICVocabulary.docc/GICv3RegisterMap.md, `REGISTER_DESC_WITH_BITS_PER_IRQ_SHARED`).
    case notInRegister(frame: GICv3Frame, offset: UInt32, intid: UInt32, allowed: ClosedRange<UInt32>?)

    /// A human-readable sentence naming the field, the value and what was allowed.
    public var description: String {
        switch self {
        case let .outOfRange(field, value, allowed):
            return "\(field.rawValue): \(hex(value)) is out of range; allowed \(hex(allowed.lowerBound))...\(hex(allowed.upperBound))"
        case let .reservedBitsSet(field, value, reservedMask):
            return "\(field.rawValue): \(hex(value)) sets reserved bits \(hex(value & reservedMask)) (reserved mask \(hex(reservedMask)) must be zero)"
        case let .misaligned(field, value, alignment):
            return "\(field.rawValue): \(hex(value)) is not a multiple of \(hex(alignment))"
        case let .reservedRange(field, value, reserved):
            return "\(field.rawValue): \(hex(value)) lies in the reserved range \(hex(reserved.lowerBound))...\(hex(reserved.upperBound))"
        case let .notInRegister(frame, offset, intid, allowed):
            let name = GICv3Register.containing(frame: frame, offset: offset)?.name.description ?? "register"
            let what = "\(name) (\(frame.rawValue) offset \(hex(offset)))"
            guard let allowed else {
                return "\(what) is not a per-interrupt register; it has no field for INTID \(intid)"
            }
            return "\(what) has no field for INTID \(intid); it covers INTIDs \(allowed.lowerBound)...\(allowed.upperBound)"
        }
    }
}

extension GICValueError {
    /// What was being built when a value was rejected.
    public enum Field: String, Hashable, Sendable, CaseIterable {
        case sgi = "SGI INTID"
        case ppi = "PPI INTID"
        case ppiIndex = "PPI index"
        case spi = "SPI INTID"
        case spiIndex = "SPI index"
        case extendedPPI = "extended PPI INTID"
        case extendedPPIIndex = "extended PPI index"
        case extendedSPI = "extended SPI INTID"
        case extendedSPIIndex = "extended SPI index"
        case lpi = "LPI INTID"
        case gicv3INTID = "GICv3 INTID"
        case gicv5INTID = "GICv5 INTID"
        case gicv5Type = "GICv5 INTID TYPE"
        case gicv5ID = "GICv5 INTID ID"
        case gicv5PPI = "GICv5 PPI"
        case vcpuIndex = "vCPU index"
        case irqLineType = "KVM_IRQ_LINE irq_type"
        case irqLineVCPU = "KVM_IRQ_LINE vcpu fields"
        case cpuLine = "KVM_IRQ_LINE CPU line"
        case v2CPUIndex = "GICv2 CPU index"
        case redistRegionCount = "REDIST_REGION count"
        case redistRegionBase = "REDIST_REGION base"
        case redistRegionFlags = "REDIST_REGION flags"
        case redistRegionIndex = "REDIST_REGION index"
        case levelInfoInfo = "LEVEL_INFO info"
        case levelInfoINTID = "LEVEL_INFO vINTID"
        case registerOffset = "register offset"
        case registerAttr = "register attr"
        case sysRegOp0 = "sysreg Op0"
        case sysRegOp1 = "sysreg Op1"
        case sysRegCRn = "sysreg CRn"
        case sysRegCRm = "sysreg CRm"
        case sysRegOp2 = "sysreg Op2"
        case sysRegAttr = "CPU_SYSREGS attr"
        case iccPriorityBits = "ICC_CTLR_EL1 priority bits"
        case iccIDBits = "ICC_CTLR_EL1 IDbits"
        case aprGroup = "active-priority group"
        case aprIndex = "active-priority index"
    }
}
