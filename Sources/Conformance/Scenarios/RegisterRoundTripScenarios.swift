import GICVocabulary
import KVM
import VGIC

/// Every stateful distributor, redistributor and ICC register written through the attribute interface and
/// read back, with the userspace-access rules KVM applies (GICModel.docc/AttributeView.md, vectors
/// G3-15..G3-22 in GICModel.docc/GICv3TestVectors.md; GICVocabulary.docc/GICv3RegisterMap.md): set/clear
/// pairs, ISPENDR as the latch and ICPENDR RAZ/WI, priorities masked to 5 bits, ICFGR's fixed private
/// configuration and bit 0 ignored, IROUTER keeping Aff2.Aff1.Aff0 only, RAZ/WI registers, IIDR write-back
/// rules, and the ICC validation rules. The steps are data (`RoundTripStep`), run in order.
extension ScenarioCatalog {
    public static var registerRoundTrips: [Scenario] {
        [
            Scenario("registers.v3.distributor") { context in
                RegisterRoundTripScenarios.run(RegisterRoundTripScenarios.distributor, context)
            },
            Scenario("registers.v3.redistributor") { context in
                RegisterRoundTripScenarios.run(RegisterRoundTripScenarios.redistributor, context)
            },
            Scenario("registers.v3.icc") { context in RegisterRoundTripScenarios.icc(context) },
        ]
    }
}

/// One write and the read that checks it.
struct RoundTripStep {
    /// Where a value goes or comes from. Redistributor and ICC targets name a vCPU by position
    /// in the scenario's vCPU list; the selector is that vCPU's affinity as read back.
    enum Target {
        case distributor(GICv3Register, index: UInt32)
        case redistributor(GICv3Register, index: UInt32)
        case icc(ICCRegister)
    }

    /// What the read after the write must show.
    enum Expectation {
        /// Exactly this value.
        case reads(UInt64)
        /// This value under `mask` (fields KVM derives from the host are not compared).
        case readsMasked(mask: UInt64, UInt64)
        /// The write itself is refused with this errno (and the read is not made).
        case refused(Errno)
    }

    let label: String
    let write: Target
    let value: UInt64
    let read: Target
    let expectation: Expectation

    init(_ label: String, write: Target, _ value: UInt64, read: Target? = nil, _ expectation: Expectation) {
        self.label = label
        self.write = write
        self.value = value
        self.read = read ?? write
        self.expectation = expectation
    }
}

enum RegisterRoundTripScenarios {
    /// The vgic these steps assume: 4 vCPUs, 128 INTIDs, no ITS; redistributor steps use vCPU 1.
    static let interruptCount: UInt32 = 128
    static let vcpuUnderTest = 1

    /// KVM's GICD_IIDR at implementation revision 3: product 0x4B, revision [15:12], ARM 0x43B.
    static let iidrRevision3: UInt64 = 0x4B00_343B
    static let iidrRevision2: UInt64 = 0x4B00_243B

    static var distributor: [RoundTripStep] {
        typealias S = RoundTripStep
        func d(_ register: GICv3Register, _ index: UInt32 = 0) -> S.Target { .distributor(register, index: index) }
        return [
            S("GICD_CTLR keeps EnableGrp1, not EnableGrp0; ARE_NS and DS always set (G3-22)", write: d(.gicdCTLR), 0x3, .reads(0x52)),
            S("GICD_CTLR disable", write: d(.gicdCTLR), 0x0, .reads(0x50)),
            S("GICD_TYPER ignores writes; ITLinesNumber 3 and IDbits 9 for 128 INTIDs (G3-20)",
              write: d(.gicdTYPER), 0, .readsMasked(mask: 0x00F8_001F, 0x0048_0003)),
            S("GICD_IIDR takes back its own value (G3-21)", write: d(.gicdIIDR), iidrRevision3, .reads(iidrRevision3)),
            S("GICD_IIDR accepts revision 2", write: d(.gicdIIDR), iidrRevision2, .reads(iidrRevision2)),
            S("GICD_IIDR refuses another product", write: d(.gicdIIDR), 0x4C00_343B, .refused(.EINVAL)),
            S("GICD_IIDR refuses an unknown revision", write: d(.gicdIIDR), 0x4B00_F43B, .refused(.EINVAL)),
            S("GICD_IIDR back to revision 3", write: d(.gicdIIDR), iidrRevision3, .reads(iidrRevision3)),
            S("GICD_IGROUPR1 round trip", write: d(.gicdIGROUPR, 1), 0x0F0F_0F0F, .reads(0x0F0F_0F0F)),
            S("GICD_ISENABLER1 sets", write: d(.gicdISENABLER, 1), 0x0000_FFFF, .reads(0x0000_FFFF)),
            S("GICD_ICENABLER1 clears", write: d(.gicdICENABLER, 1), 0x0000_00FF, read: d(.gicdISENABLER, 1), .reads(0x0000_FF00)),
            S("GICD_ICENABLER1 reads the enables", write: d(.gicdICENABLER, 1), 0, .reads(0x0000_FF00)),
            S("GICD_ISPENDR1 sets the latch", write: d(.gicdISPENDR, 1), 0x0000_0F00, .reads(0x0000_0F00)),
            S("GICD_ICPENDR1 is WI through uaccess", write: d(.gicdICPENDR, 1), 0xFFFF_FFFF, read: d(.gicdISPENDR, 1), .reads(0x0000_0F00)),
            S("GICD_ICPENDR1 is RAZ through uaccess", write: d(.gicdICPENDR, 1), 0xFFFF_FFFF, .reads(0)),
            S("GICD_ISPENDR1 written 0 clears the latch", write: d(.gicdISPENDR, 1), 0, .reads(0)),
            S("GICD_ISACTIVER1 sets (G3-12)", write: d(.gicdISACTIVER, 1), 0x3, .reads(0x3)),
            S("GICD_ICACTIVER1 clears (G3-13)", write: d(.gicdICACTIVER, 1), 0x1, read: d(.gicdISACTIVER, 1), .reads(0x2)),
            S("GICD_ICACTIVER1 reads the active bits", write: d(.gicdICACTIVER, 1), 0, .reads(0x2)),
            S("GICD_IPRIORITYR8 keeps 5 bits per byte (G3-15)", write: d(.gicdIPRIORITYR, 8), 0xFF7F_BF3F, .reads(0xF878_B838)),
            S("GICD_IPRIORITYR8 all ones (G3-16)", write: d(.gicdIPRIORITYR, 8), 0xFFFF_FFFF, .reads(0xF8F8_F8F8)),
            S("GICD_ICFGR2 keeps only the edge bit of each field", write: d(.gicdICFGR, 2), 0xFFFF_FFFF, .reads(0xAAAA_AAAA)),
            S("GICD_ICFGR2 bit 0 of a field is ignored", write: d(.gicdICFGR, 2), 0x5555_5555, .reads(0)),
            S("GICD_IROUTER32 drops IRM and Aff3 (G3-17)", write: d(.gicdIROUTER, 32), 0xFF_8000_0102, .reads(0x0102)),
            S("GICD_IROUTER32 keeps Aff2.Aff1.Aff0", write: d(.gicdIROUTER, 32), 0x00_00FF_FFFF, .reads(0xFF_FFFF)),
            S("GICD_ITARGETSR is RAZ/WI with ARE", write: d(.gicdITARGETSR, 8), 0xFFFF_FFFF, .reads(0)),
            S("GICD_IGRPMODR is RAZ/WI", write: d(.gicdIGRPMODR, 1), 0xFFFF_FFFF, .reads(0)),
            S("GICD_ISENABLER beyond nr_irqs is RAZ/WI", write: d(.gicdISENABLER, 4), 0xFFFF_FFFF, .reads(0)),
            S("GICD_IPRIORITYR beyond nr_irqs is RAZ/WI", write: d(.gicdIPRIORITYR, 32), 0xFFFF_FFFF, .reads(0)),
        ]
    }

    static var redistributor: [RoundTripStep] {
        typealias S = RoundTripStep
        func r(_ register: GICv3Register, _ index: UInt32 = 0) -> S.Target { .redistributor(register, index: index) }
        return [
            S("GICR_CTLR.EnableLPIs stays 0 without an ITS", write: r(.gicrCTLR), 0x1, .readsMasked(mask: 0x1, 0)),
            S("GICR_WAKER is RAZ/WI", write: r(.gicrWAKER), 0x2, .reads(0)),
            S("GICR_PROPBASER round trip (inner-shareable, write-back, 16 ID bits)",
              write: r(.gicrPROPBASER), 0x1000_078F, .reads(0x1000_078F)),
            S("GICR_PENDBASER round trip", write: r(.gicrPENDBASER), 0x2000_0780, .reads(0x2000_0780)),
            S("GICR_IGROUPR0 round trip", write: r(.gicrIGROUPR0), 0xFFFF_0000, .reads(0xFFFF_0000)),
            S("GICR_ISENABLER0 sets", write: r(.gicrISENABLER0), 0xFFFF_FFFF, .reads(0xFFFF_FFFF)),
            S("GICR_ICENABLER0 clears", write: r(.gicrICENABLER0), 0x0000_FFFF, read: r(.gicrISENABLER0), .reads(0xFFFF_0000)),
            S("GICR_ISPENDR0 sets the latch", write: r(.gicrISPENDR0), 0x0001_0001, .reads(0x0001_0001)),
            S("GICR_ICPENDR0 is WI through uaccess", write: r(.gicrICPENDR0), 0xFFFF_FFFF, read: r(.gicrISPENDR0), .reads(0x0001_0001)),
            S("GICR_ICPENDR0 is RAZ through uaccess", write: r(.gicrICPENDR0), 0xFFFF_FFFF, .reads(0)),
            S("GICR_ISPENDR0 written 0 clears", write: r(.gicrISPENDR0), 0, .reads(0)),
            S("GICR_ISACTIVER0 sets", write: r(.gicrISACTIVER0), 0x8000_0001, .reads(0x8000_0001)),
            S("GICR_ICACTIVER0 clears", write: r(.gicrICACTIVER0), 0x1, read: r(.gicrISACTIVER0), .reads(0x8000_0000)),
            S("GICR_IPRIORITYR0 keeps 5 bits per byte", write: r(.gicrIPRIORITYR, 0), 0xFF7F_BF3F, .reads(0xF878_B838)),
            S("GICR_IPRIORITYR7 (PPIs 28-31)", write: r(.gicrIPRIORITYR, 7), 0x1020_3040, .reads(0x1020_3040)),
            S("GICR_ICFGR0: SGIs stay edge (G3-18)", write: r(.gicrICFGR, 0), 0, .reads(0xAAAA_AAAA)),
            S("GICR_ICFGR1: PPIs stay level (G3-18)", write: r(.gicrICFGR, 1), 0xAAAA_AAAA, .reads(0)),
            S("GICR_IGRPMODR0 is RAZ/WI", write: r(.gicrIGRPMODR0), 0xFFFF_FFFF, .reads(0)),
            S("GICR_NSACR is RAZ/WI", write: r(.gicrNSACR), 0xFFFF_FFFF, .reads(0)),
        ]
    }

    /// Runs `steps` on a fresh 4-vCPU, 128-INTID vgic; GICR_TYPER of the vCPU under test is
    /// checked too (its id, no Last bit, its affinity in the upper word).
    static func run(_ steps: [RoundTripStep], _ context: ScenarioContext) -> Outcome {
        LabMachine.withVGIC(context, vcpus: 4, interruptCount: interruptCount) { _, vgic, vcpus throws(VGICError) in
            var checks = VGICInitChecks()
            let vcpu = vcpus[vcpuUnderTest]
            let typer = try? vgic.redistributorRegister(.gicrTYPER, of: vcpu)
            checks.expect("GICR_TYPER of vCPU 1: affinity, processor 1, not Last",
                typer.map { $0 & ~0xFF }, UInt64(vcpu.affinity.packed) << 32 | 0x100)
            for step in steps { apply(step, vgic, vcpu, &checks) }
            return checks.outcome
        }
    }

    /// The ICC registers of vCPU 0: the fields KVM derives from the host (PRIbits, IDbits,
    /// SEIS, A3V) are read first and kept in every ICC_CTLR write that must succeed.
    static func icc(_ context: ScenarioContext) -> Outcome {
        LabMachine.withVGIC(context, vcpus: 1) { _, vgic, vcpus throws(VGICError) in
            var checks = VGICInitChecks()
            let vcpu = vcpus[0]
            let ctlr = ICCControl(rawValue: try vgic.systemRegister(.iccCTLR, of: vcpu))
            // Everything but the state fields CBPR and EOImode.
            let hostFields = ctlr.rawValue & ~(ICCControl.cbprMask | ICCControl.eoiModeMask)
            let priorityBits = ctlr.priorityBits
            let seis = ICCControl.seisMask
            typealias S = RoundTripStep
            var steps: [S] = [
                S("ICC_PMR_EL1 0xF0", write: .icc(.iccPMR), 0xF0, .reads(0xF0)),
                S("ICC_PMR_EL1 0x80", write: .icc(.iccPMR), 0x80, .reads(0x80)),
                S("ICC_BPR0_EL1 3", write: .icc(.iccBPR0), 3, .reads(3)),
                S("ICC_BPR0_EL1 2", write: .icc(.iccBPR0), 2, .reads(2)),
                S("ICC_BPR1_EL1 4 (CBPR 0)", write: .icc(.iccBPR1), 4, .reads(4)),
                S("ICC_CTLR_EL1 EOImode", write: .icc(.iccCTLR), hostFields | 0b10, .reads(hostFields | 0b10)),
                S("ICC_CTLR_EL1 CBPR", write: .icc(.iccCTLR), hostFields | 0b01, .reads(hostFields | 0b01)),
                S("ICC_BPR1_EL1 with CBPR reads min(BPR0 + 1, 7)", write: .icc(.iccBPR1), 6, .reads(3)),
                S("ICC_CTLR_EL1 clear", write: .icc(.iccCTLR), hostFields, .reads(hostFields)),
                S("ICC_BPR1_EL1 without CBPR is its own again", write: .icc(.iccBPR1), 4, .reads(4)),
                S("ICC_CTLR_EL1 refuses another SEIS", write: .icc(.iccCTLR), hostFields ^ seis, .refused(.EINVAL)),
                S("ICC_SRE_EL1 refuses SRE 0", write: .icc(.iccSRE), 0x6, .refused(.EINVAL)),
                S("ICC_SRE_EL1 keeps SRE 1", write: .icc(.iccSRE), 0x7, .readsMasked(mask: 0x1, 0x1)),
                S("ICC_IGRPEN0_EL1 1", write: .icc(.iccIGRPEN0), 1, .reads(1)),
                S("ICC_IGRPEN0_EL1 0", write: .icc(.iccIGRPEN0), 0, .reads(0)),
                S("ICC_IGRPEN1_EL1 1", write: .icc(.iccIGRPEN1), 1, .reads(1)),
                S("ICC_AP0R0_EL1 round trip", write: .icc(.iccAP0R0), 0x1, .reads(0x1)),
                S("ICC_AP1R0_EL1 round trip", write: .icc(.iccAP1R0), 0x8000_0001, .reads(0x8000_0001)),
                S("ICC_AP1R0_EL1 clear", write: .icc(.iccAP1R0), 0, .reads(0)),
            ]
            if priorityBits < 7 {
                var more = ICCControl(rawValue: hostFields)
                more.priorityBits = priorityBits + 1
                let morePriorityBits = more.rawValue
                steps.append(S("ICC_CTLR_EL1 refuses more PRIbits than the host", write: .icc(.iccCTLR),
                               morePriorityBits, .refused(.EINVAL)))
            }
            for step in steps { apply(step, vgic, vcpu, &checks) }
            return checks.outcome.annotated("PRIbits \(priorityBits)")
        }
    }

    static func apply(_ step: RoundTripStep, _ vgic: borrowing VGIC, _ vcpu: VCPUIdentity, _ checks: inout VGICInitChecks) {
        do throws(VGICError) {
            try write(step.write, step.value, vgic, vcpu)
        } catch {
            if case .refused(let errno) = step.expectation {
                return checks.check("\(step.label): refused with \(errno), got \(error)", error.errno == errno)
            }
            return checks.check("\(step.label): write refused: \(error)", false)
        }
        let actual: UInt64
        do throws(VGICError) {
            actual = try read(step.read, vgic, vcpu)
        } catch {
            return checks.check("\(step.label): read refused: \(error)", false)
        }
        switch step.expectation {
        case .reads(let value): checks.expect(step.label, actual, value)
        case .readsMasked(let mask, let value): checks.expect(step.label + " (masked \(hex(mask)))", actual & mask, value)
        case .refused(let errno): checks.check("\(step.label): accepted, expected \(errno)", false)
        }
    }

    static func write(_ target: RoundTripStep.Target, _ value: UInt64, _ vgic: borrowing VGIC, _ vcpu: VCPUIdentity) throws(VGICError) {
        switch target {
        case .distributor(let register, let index): try vgic.setDistributorRegister(register, index: index, to: value)
        case .redistributor(let register, let index): try vgic.setRedistributorRegister(register, index: index, of: vcpu, to: value)
        case .icc(let register): try vgic.setSystemRegister(register, of: vcpu, to: value)
        }
    }

    static func read(_ target: RoundTripStep.Target, _ vgic: borrowing VGIC, _ vcpu: VCPUIdentity) throws(VGICError) -> UInt64 {
        switch target {
        case .distributor(let register, let index): try vgic.distributorRegister(register, index: index)
        case .redistributor(let register, let index): try vgic.redistributorRegister(register, index: index, of: vcpu)
        case .icc(let register): try vgic.systemRegister(register, of: vcpu)
        }
    }
}
