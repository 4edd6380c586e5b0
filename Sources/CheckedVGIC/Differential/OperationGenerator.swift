import GICModel
import GICVocabulary

/// Draws random operations for a vgic of the model's shape: line changes on SPIs and PPIs,
/// register writes through uaccess, line-level writes and ICC writes, including invalid ones the
/// kernel must refuse exactly as the model does (no such vCPU, no such INTID, a type the ioctl
/// does not know, ICC values `set_gic_ctlr` rejects, EL2 registers).
///
/// Operations stay within what the `VGIC` API sends (valid element indices, 32-bit values for
/// 32-bit elements, LEVEL_INFO INTIDs that are multiples of 32). A third of the interrupt choices
/// fall in one "hot" word (INTIDs 32–63, or the PPIs), so operations on the same interrupts meet.
public struct OperationGenerator: Sendable {
    /// Relative weights of the five kinds of operation.
    public var lineWeight: UInt32 = 25
    public var distributorWeight: UInt32 = 30
    public var redistributorWeight: UInt32 = 15
    public var lineLevelWeight: UInt32 = 10
    public var systemRegisterWeight: UInt32 = 20

    public init() {}

    /// The next operation, chosen with `rng` and informed by `model` (its current ICC_CTLR_EL1 and
    /// IIDR values, so most writes to them are plausible).
    public func next(for model: GICv3Model, _ rng: inout SplitMix64) -> GICv3Operation {
        let total = lineWeight + distributorWeight + redistributorWeight + lineLevelWeight + systemRegisterWeight
        var roll = rng.below(total)
        if roll < lineWeight { return line(model, &rng) }
        roll -= lineWeight
        if roll < distributorWeight { return distributor(model, &rng) }
        roll -= distributorWeight
        if roll < redistributorWeight { return redistributor(model, &rng) }
        roll -= redistributorWeight
        if roll < lineLevelWeight { return lineLevels(model, &rng) }
        return systemRegister(model, &rng)
    }

    // MARK: Choices

    /// A vCPU selector: an existing vCPU, or (3 %) an affinity no vCPU has.
    func selector(_ model: GICv3Model, _ rng: inout SplitMix64) -> Affinity {
        if rng.chance(3) { return Affinity(aff2: 0x5A, aff1: 0, aff0: UInt8(truncatingIfNeeded: rng.below(4))) }
        return model.redistributors[Int(rng.below(UInt32(model.vcpuCount)))].affinity
    }

    /// An SPI INTID: the hot word, any SPI, or (5 %) one at or above NR_IRQS.
    func spi(_ model: GICv3Model, _ rng: inout SplitMix64) -> UInt32 {
        if rng.chance(5) { return model.interruptCount + rng.below(40) }
        if rng.chance(40) { return 32 + rng.below(32) }
        return 32 + rng.below(model.interruptCount - 32)
    }

    func line(_ model: GICv3Model, _ rng: inout SplitMix64) -> GICv3Operation {
        let level = rng.chance(55)
        let roll = rng.below(100)
        if roll < 60 {
            return .setLine(IRQLineWord(rawValue: 1 << 24 | spi(model, &rng)), level: level)
        }
        if roll < 94 {
            var vcpu = rng.below(UInt32(model.vcpuCount))
            if rng.chance(5) { vcpu = UInt32(model.vcpuCount) + rng.below(2) }
            let number = rng.chance(4) ? rng.below(16) : 16 + rng.below(16)
            return .setLine(IRQLineWord(rawValue: 2 << 24 | vcpu << 16 | number), level: level)
        }
        // A type the ioctl refuses: CPU (ENXIO with an in-kernel GIC) or 3–15 (EINVAL).
        let type: UInt32 = rng.chance(50) ? 0 : 3 + rng.below(13)
        return .setLine(IRQLineWord(rawValue: type << 24 | rng.below(64)), level: level)
    }

    /// An element index of `register`: mostly inside NR_IRQS, sometimes its private part (the
    /// distributor's RAZ/WI words) or beyond NR_IRQS (no region).
    func index(of register: GICv3Register, _ model: GICv3Model, _ rng: inout SplitMix64) -> UInt32 {
        let count = register.elementCount
        guard register.bitsPerInterrupt != 0, register.frame == .distributor else { return rng.below(count) }
        let perElement = register.elementSize * 8 / register.bitsPerInterrupt
        let privateElements = 32 / perElement == 0 ? 1 : 32 / perElement
        let usedElements = model.interruptCount / perElement
        let roll = rng.below(100)
        if roll < 5 { return rng.below(privateElements) }
        if roll < 10 { return Swift.min(usedElements + rng.below(4), count - 1) }
        if roll < 45 { return privateElements + rng.below(Swift.max(1, 32 / perElement)) }
        return privateElements + rng.below(usedElements - privateElements)
    }

    static let distributorChoices: [(GICv3Register, UInt32)] = [
        (.gicdISENABLER, 6), (.gicdICENABLER, 5), (.gicdISPENDR, 8), (.gicdICPENDR, 3), (.gicdISACTIVER, 5),
        (.gicdICACTIVER, 5), (.gicdIPRIORITYR, 6), (.gicdICFGR, 8), (.gicdIGROUPR, 4), (.gicdIROUTER, 6),
        (.gicdCTLR, 3), (.gicdTYPER, 1), (.gicdIIDR, 2), (.gicdTYPER2, 1), (.gicdSTATUSR, 1), (.gicdITARGETSR, 1),
        (.gicdIGRPMODR, 1), (.gicdIDREGS, 1),
    ]

    static let redistributorChoices: [(GICv3Register, UInt32)] = [
        (.gicrISENABLER0, 5), (.gicrICENABLER0, 4), (.gicrISPENDR0, 6), (.gicrICPENDR0, 2), (.gicrISACTIVER0, 4),
        (.gicrICACTIVER0, 4), (.gicrIPRIORITYR, 5), (.gicrICFGR, 4), (.gicrIGROUPR0, 3), (.gicrCTLR, 2),
        (.gicrPROPBASER, 3), (.gicrPENDBASER, 3), (.gicrTYPER, 1), (.gicrIIDR, 1), (.gicrSTATUSR, 1),
        (.gicrWAKER, 1), (.gicrINVLPIR, 1), (.gicrINVALLR, 1), (.gicrSYNCR, 1), (.gicrIGRPMODR0, 1),
        (.gicrNSACR, 1), (.gicrIDREGS, 1),
    ]

    static func weighted(_ choices: [(GICv3Register, UInt32)], _ rng: inout SplitMix64) -> GICv3Register {
        var total: UInt32 = 0
        for (_, weight) in choices { total += weight }
        var roll = rng.below(total)
        for (register, weight) in choices {
            if roll < weight { return register }
            roll -= weight
        }
        return choices[0].0
    }

    /// A value for an element of `register`: 64 bits for 64-bit elements.
    func value(for register: GICv3Register, _ model: GICv3Model, _ rng: inout SplitMix64) -> UInt64 {
        switch register {
        case .gicdIIDR:
            // Mostly what KVM reports, with the revision varied; sometimes anything.
            let current = UInt32(truncatingIfNeeded: model.read(.distributor(.gicdIIDR, index: 0)).valueOrZero)
            if rng.chance(25) { return UInt64(rng.word()) }
            return UInt64((current & ~0xF000) | rng.below(5) << 12)
        case .gicdIROUTER:
            // Mostly an existing vCPU's affinity, sometimes with IRM or Aff3, sometimes noise.
            let target = model.redistributors[Int(rng.below(UInt32(model.vcpuCount)))].affinity.packed & 0xFF_FFFF
            switch rng.below(4) {
            case 0: return UInt64(rng.word()) | UInt64(rng.word()) << 32
            case 1: return UInt64(target) | 1 << 31
            default: return UInt64(target)
            }
        default:
            let low = UInt64(rng.word())
            return register.elementSize == 8 ? low | UInt64(rng.word()) << 32 : low
        }
    }

    func distributor(_ model: GICv3Model, _ rng: inout SplitMix64) -> GICv3Operation {
        let register = Self.weighted(Self.distributorChoices, &rng)
        return .writeDistributor(register, index: index(of: register, model, &rng), value: value(for: register, model, &rng))
    }

    func redistributor(_ model: GICv3Model, _ rng: inout SplitMix64) -> GICv3Operation {
        let register = Self.weighted(Self.redistributorChoices, &rng)
        return .writeRedistributor(
            register, index: rng.below(register.elementCount), vcpu: selector(model, &rng),
            value: value(for: register, model, &rng))
    }

    func lineLevels(_ model: GICv3Model, _ rng: inout SplitMix64) -> GICv3Operation {
        let first: UInt32
        switch rng.below(10) {
        case 0, 1, 2: first = 0
        case 3, 4, 5: first = 32
        case 6: first = rng.below(32) * 32  // anywhere in 0–1023, including beyond NR_IRQS
        default: first = 32 * (1 + rng.below(model.interruptCount / 32 - 1))
        }
        return .writeLineLevels(vcpu: selector(model, &rng), firstINTID: first, bitmap: rng.word())
    }

    func systemRegister(_ model: GICv3Model, _ rng: inout SplitMix64) -> GICv3Operation {
        let vcpu = selector(model, &rng)
        if rng.chance(4) {
            return .writeSystemRegister(rng.pick(ICCRegister.el2), vcpu: vcpu, value: UInt64(rng.word()))
        }
        let register = rng.pick(ICCRegister.el1)
        var value = UInt64(rng.word())
        if register == .iccCTLR {
            value = ctlrValue(model, vcpu, &rng)
        } else if register == .iccSRE {
            value = rng.pick([0x7, 0x1, 0x6, 0x0, UInt64(rng.word())])
        } else if register == .iccPMR {
            value = rng.chance(80) ? UInt64(rng.below(256)) : UInt64(rng.word())
        } else if register.aprIndex != nil, rng.chance(30) {
            value |= UInt64(rng.word()) << 32
        }
        return .writeSystemRegister(register, vcpu: vcpu, value: value)
    }

    /// ICC_CTLR_EL1: the vCPU's current value with CBPR and EOImode varied; sometimes one field
    /// `set_gic_ctlr` checks is moved (more or fewer priority or ID bits, SEIS, A3V), sometimes
    /// noise in the bits it ignores.
    func ctlrValue(_ model: GICv3Model, _ vcpu: Affinity, _ rng: inout SplitMix64) -> UInt64 {
        let current: UInt64
        if case .value(let value) = model.read(.systemRegister(.iccCTLR, vcpu: vcpu)) {
            current = value
        } else {
            // No such vCPU: start from what a fresh one on the model's host reports.
            current = model.configuration.host.control.rawValue
        }
        var value = (current & ~0x3) | UInt64(rng.below(4))
        switch rng.below(12) {
        case 0: value = (value & ~ICCControl.priorityBitsMask) | UInt64(rng.below(8)) << 8
        case 1: value = (value & ~ICCControl.idBitsMask) | UInt64(rng.below(8)) << 11
        case 2: value ^= ICCControl.seisMask
        case 3: value ^= ICCControl.a3vMask
        case 4: value |= UInt64(rng.word()) & ~0xFF03
        default: break
        }
        return value
    }
}

extension AccessOutcome {
    /// The value, or 0 for a write or a refusal.
    var valueOrZero: UInt64 {
        if case .value(let value) = self { return value }
        return 0
    }
}
