import GICVocabulary

/// Which registers hold the state, and which ones an operation can change: the read lists of the
/// full and the targeted comparisons.
extension GICv3Model {
    /// How much of the register map a full comparison reads.
    public enum Coverage: Hashable, Sendable {
        /// Every register that holds state, each per-interrupt bank up to NR_IRQS, every vCPU's RD
        /// and SGI frame, ICC registers and line levels (SPI line levels once, through vCPU 0).
        case state
        /// `.state` plus everything with a fixed answer: the RAZ/WI banks (ITARGETSR, IGRPMODR,
        /// NSACR), the ID registers, INVLPIR/INVALLR, the private parts of the distributor banks,
        /// and the SPI line levels through every vCPU.
        case exhaustive
    }

    /// The distributor banks whose words are read from INTID 0 up to NR_IRQS.
    static let distributorStateBanks: [GICv3Register] = [
        .gicdIGROUPR, .gicdISENABLER, .gicdICENABLER, .gicdISPENDR, .gicdICPENDR, .gicdISACTIVER,
        .gicdICACTIVER, .gicdIPRIORITYR, .gicdICFGR,
    ]

    /// The SGI-frame registers that hold private state.
    static let sgiFrameStateRegisters: [GICv3Register] = [
        .gicrIGROUPR0, .gicrISENABLER0, .gicrICENABLER0, .gicrISPENDR0, .gicrICPENDR0, .gicrISACTIVER0,
        .gicrICACTIVER0, .gicrIPRIORITYR, .gicrICFGR,
    ]

    /// The RD-frame registers that hold state or identify the vCPU.
    static let rdFrameStateRegisters: [GICv3Register] = [
        .gicrCTLR, .gicrIIDR, .gicrTYPER, .gicrSTATUSR, .gicrWAKER, .gicrPROPBASER, .gicrPENDBASER, .gicrSYNCR,
    ]

    /// Every location of the userspace-visible state, in a fixed order.
    public func stateLocations(_ coverage: Coverage = .state) -> [RegisterLocation] {
        var locations: [RegisterLocation] = []
        let exhaustive = coverage == .exhaustive
        for register in [GICv3Register.gicdCTLR, .gicdTYPER, .gicdIIDR, .gicdTYPER2, .gicdSTATUSR] {
            locations.append(.distributor(register, index: 0))
        }
        var banks = Self.distributorStateBanks
        if exhaustive { banks += [.gicdITARGETSR, .gicdIGRPMODR] }
        for register in banks {
            let words = interruptCount * register.bitsPerInterrupt / 32
            let firstWord: UInt32 = exhaustive ? 0 : Self.privateCount * register.bitsPerInterrupt / 32
            for index in firstWord..<words { locations.append(.distributor(register, index: index)) }
        }
        for intid in (exhaustive ? 0 : Self.privateCount)..<interruptCount {
            locations.append(.distributor(.gicdIROUTER, index: intid))
        }
        if exhaustive {
            for index in 0..<GICv3Register.gicdIDREGS.elementCount {
                locations.append(.distributor(.gicdIDREGS, index: index))
            }
        }
        for (vcpu, redistributor) in redistributors.enumerated() {
            let affinity = redistributor.affinity
            var rd = Self.rdFrameStateRegisters
            var sgi = Self.sgiFrameStateRegisters
            if exhaustive {
                rd += [.gicrINVLPIR, .gicrINVALLR, .gicrIDREGS]
                sgi += [.gicrIGRPMODR0, .gicrNSACR]
            }
            for register in rd + sgi {
                for index in 0..<register.elementCount {
                    locations.append(.redistributor(register, index: index, vcpu: affinity))
                }
            }
            for register in ICCRegister.el1 {
                locations.append(.systemRegister(register, vcpu: affinity))
            }
            locations.append(.lineLevels(vcpu: affinity, firstINTID: 0))
            if vcpu == 0 || exhaustive {
                for first in stride(from: Self.privateCount, to: interruptCount, by: 32) {
                    locations.append(.lineLevels(vcpu: affinity, firstINTID: first))
                }
            }
        }
        return locations
    }

    /// The locations `operation` can change, read after it to compare kernel and model: the
    /// element written and its other views (set/clear pairs), the line levels a configuration
    /// change makes visible, and every ICC register of a vCPU whose ICC state was written (a
    /// refused ICC_CTLR_EL1 write can still have changed the priority bits, which decide which
    /// APn registers exist). Locations keep the operation's selector, so a refused selector is
    /// also checked on the read path.
    public func affectedLocations(of operation: GICv3Operation) -> [RegisterLocation] {
        switch operation {
        case .setLine(let word, _):
            let number = word.number
            switch IRQLineWord.LineType(rawValue: word.typeField) {
            case .ppi?:
                guard let id = configuration.vcpuIndex(id: word.vcpuIndex.value), number < Self.privateCount else {
                    return []
                }
                let affinity = redistributors[id].affinity
                return [
                    .lineLevels(vcpu: affinity, firstINTID: 0),
                    .redistributor(.gicrISPENDR0, index: 0, vcpu: affinity),
                ]
            case .spi?:
                guard number >= Self.privateCount, number < interruptCount else { return [] }
                return [
                    .lineLevels(vcpu: redistributors[0].affinity, firstINTID: number & ~31),
                    .distributor(.gicdISPENDR, index: number / 32),
                ]
            default:
                return []
            }
        case .writeDistributor(let register, let index, _):
            var locations: [RegisterLocation] = []
            for view in Self.views(of: register) { locations.append(.distributor(view, index: index)) }
            switch register {
            case .gicdICFGR:
                let first = index * 16
                if first < interruptCount {
                    locations.append(.lineLevels(vcpu: redistributors[0].affinity, firstINTID: first & ~31))
                }
            case .gicdIIDR:
                locations.append(.redistributor(.gicrCTLR, index: 0, vcpu: redistributors[0].affinity))
            default:
                break
            }
            return locations
        case .writeRedistributor(let register, let index, let vcpu, _):
            var locations: [RegisterLocation] = []
            for view in Self.views(of: register) {
                locations.append(.redistributor(view, index: index, vcpu: vcpu))
            }
            switch register {
            case .gicrICFGR:
                locations.append(.lineLevels(vcpu: vcpu, firstINTID: 0))
            case .gicrPROPBASER:
                // Shared by every redistributor: read it back through another one too.
                locations.append(.redistributor(.gicrPROPBASER, index: 0, vcpu: redistributors[0].affinity))
            default:
                break
            }
            return locations
        case .writeLineLevels(let vcpu, let first, _):
            return [.lineLevels(vcpu: vcpu, firstINTID: first)]
        case .writeSystemRegister(_, let vcpu, _):
            return ICCRegister.el1.map { .systemRegister($0, vcpu: vcpu) }
        }
    }

    /// The registers that show the same state as `register`: a set/clear pair reads the same bits.
    static func views(of register: GICv3Register) -> [GICv3Register] {
        switch register {
        case .gicdISENABLER, .gicdICENABLER: [.gicdISENABLER, .gicdICENABLER]
        case .gicdISPENDR, .gicdICPENDR: [.gicdISPENDR, .gicdICPENDR]
        case .gicdISACTIVER, .gicdICACTIVER: [.gicdISACTIVER, .gicdICACTIVER]
        case .gicrISENABLER0, .gicrICENABLER0: [.gicrISENABLER0, .gicrICENABLER0]
        case .gicrISPENDR0, .gicrICPENDR0: [.gicrISPENDR0, .gicrICPENDR0]
        case .gicrISACTIVER0, .gicrICACTIVER0: [.gicrISACTIVER0, .gicrICACTIVER0]
        default: [register]
        }
    }
}
