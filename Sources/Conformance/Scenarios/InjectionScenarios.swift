import GICVocabulary
import KVM
import VGIC

/// Lines driven through `setLevel` and read back the two ways the attribute interface shows
/// them (GICModel.docc/AttributeView.md;
/// vectors G3-01..G3-09 in GICModel.docc/GICv3TestVectors.md): the pending *latch* through GICD_ISPENDR /
/// GICR_ISPENDR0, and the *line* through LEVEL_INFO (which reads 0 for edge interrupts).
extension ScenarioCatalog {
    public static var injection: [Scenario] {
        [
            Scenario("injection.v3.spi_level") { context in InjectionScenarios.spiLevel(context) },
            Scenario("injection.v3.spi_edge") { context in InjectionScenarios.spiEdge(context) },
            Scenario("injection.v3.ppi_by_id_read_by_affinity") { context in InjectionScenarios.ppiByIDReadByAffinity(context) },
            Scenario("injection.v3.ppi_config_fixed_level") { context in InjectionScenarios.ppiConfigFixed(context) },
            Scenario("injection.v3.vcpu2_field") { context in InjectionScenarios.vcpu2Field(context) },
        ]
    }
}

enum InjectionScenarios {
    static let levelSPI = 40 as UInt32
    static let edgeSPI = 41 as UInt32

    /// G3-01, G3-03, G3-04: after ICFGR makes it level (KVM resets SPIs to edge), a level SPI's line shows in LEVEL_INFO and not in the latch; a
    /// latch written through ISPENDR holds while the line goes up and down; writing the word
    /// without the bit clears it (uaccess ISPENDR sets the latch to exactly what is written).
    static func spiLevel(_ context: ScenarioContext) -> Outcome {
        LabMachine.withVGIC(context, vcpus: 4) { _, vgic, vcpus throws(VGICError) in
            var checks = VGICInitChecks()
            let spi = try spiValue(levelSPI)
            // KVM resets SPIs to edge (`kvm_vgic_dist_init` leaves config 0 = VGIC_CONFIG_EDGE).
            checks.expect("SPI 40 is edge after init", SharedInterrupt.isEdge(vgic, levelSPI), true)
            try SharedInterrupt.setEdge(vgic, levelSPI, false)
            checks.expect("ICFGR made SPI 40 level", SharedInterrupt.isEdge(vgic, levelSPI), false)
            try vgic.setLevel(spi, true)
            checks.expect("line 1 shows in LEVEL_INFO", SharedInterrupt.line(vgic, vcpus[0], levelSPI), true)
            checks.expect("line 1 leaves the latch clear", SharedInterrupt.latch(vgic, levelSPI), false)
            try vgic.setLevel(spi, true)
            checks.expect("an unchanged level is ignored", SharedInterrupt.line(vgic, vcpus[0], levelSPI), true)
            try vgic.setLevel(spi, false)
            checks.expect("line 0 shows in LEVEL_INFO", SharedInterrupt.line(vgic, vcpus[0], levelSPI), false)
            checks.expect("latch still clear", SharedInterrupt.latch(vgic, levelSPI), false)
            try SharedInterrupt.setLatch(vgic, levelSPI, true)
            checks.expect("ISPENDR sets the latch", SharedInterrupt.latch(vgic, levelSPI), true)
            checks.expect("the latch is not the line", SharedInterrupt.line(vgic, vcpus[0], levelSPI), false)
            try vgic.setLevel(spi, true)
            try vgic.setLevel(spi, false)
            checks.expect("latch holds through a line pulse (G3-04)", SharedInterrupt.latch(vgic, levelSPI), true)
            try SharedInterrupt.setLatch(vgic, levelSPI, false)
            checks.expect("ISPENDR word without the bit clears the latch", SharedInterrupt.latch(vgic, levelSPI), false)
            return checks.outcome
        }
    }

    /// G3-06, G3-07, G3-09 and ICPENDR RAZ/WI: an edge SPI latches on level 1, keeps the latch
    /// on level 0, never shows in LEVEL_INFO; ICPENDR through uaccess neither reads nor clears.
    static func spiEdge(_ context: ScenarioContext) -> Outcome {
        LabMachine.withVGIC(context, vcpus: 4) { _, vgic, vcpus throws(VGICError) in
            var checks = VGICInitChecks()
            let spi = try spiValue(edgeSPI)
            try SharedInterrupt.setEdge(vgic, edgeSPI, true)
            checks.expect("ICFGR made SPI 41 edge", SharedInterrupt.isEdge(vgic, edgeSPI), true)
            try vgic.setLevel(spi, false)
            checks.expect("level 0 on an idle edge SPI is ignored (G3-09)", SharedInterrupt.latch(vgic, edgeSPI), false)
            try vgic.setLevel(spi, true)
            checks.expect("level 1 latches (G3-06)", SharedInterrupt.latch(vgic, edgeSPI), true)
            checks.expect("LEVEL_INFO reads 0 for an edge SPI", SharedInterrupt.line(vgic, vcpus[0], edgeSPI), false)
            try vgic.setLevel(spi, false)
            checks.expect("level 0 keeps the latch (G3-07)", SharedInterrupt.latch(vgic, edgeSPI), true)
            let icpendr = try vgic.distributorRegister(.gicdICPENDR, covering: edgeSPI)
            checks.expect("ICPENDR reads as zero through uaccess", icpendr, 0)
            try vgic.setDistributorRegister(.gicdICPENDR, index: edgeSPI / 32, to: 0xFFFF_FFFF)
            checks.expect("ICPENDR writes are ignored through uaccess", SharedInterrupt.latch(vgic, edgeSPI), true)
            try SharedInterrupt.setLatch(vgic, edgeSPI, false)
            checks.expect("ISPENDR clears it", SharedInterrupt.latch(vgic, edgeSPI), false)
            try vgic.setLevel(spi, true)
            checks.expect("a new level 1 is a new edge", SharedInterrupt.latch(vgic, edgeSPI), true)
            return checks.outcome
        }
    }

    /// A PPI targeted by vCPU *id* through `KVM_IRQ_LINE` shows in the LEVEL_INFO of the vCPU
    /// selected by its *affinity*. The vCPUs' MPIDRs are rewritten so that id and affinity
    /// disagree (vCPU i gets Aff1 = 1, Aff0 = 3 - i): only vCPU 2's affinity shows the line,
    /// and a selector built from the id names no vCPU at all (EINVAL).
    static func ppiByIDReadByAffinity(_ context: ScenarioContext) -> Outcome {
        let mpidr: (UInt32) -> UInt64 = { id in UInt64(1) << 8 | UInt64(3 - id) }
        return LabMachine.withVGIC(context, vcpus: 4, mpidr: mpidr) { _, vgic, vcpus throws(VGICError) in
            var checks = VGICInitChecks()
            for vcpu in vcpus {
                checks.expect("vCPU \(vcpu.id) kept its written MPIDR", UInt64(vcpu.affinity.packed), mpidr(vcpu.id))
            }
            let intid: UInt32 = 23
            let ppi: PPI
            do throws(GICValueError) { ppi = try PPI(intid: intid) } catch { throw .configuration(.invalidValue(error)) }
            try vgic.setLevel(ppi, on: vcpus[2], true)
            for vcpu in vcpus {
                let line = try vgic.lineLevel(of: intid, on: vcpu)
                checks.expect("PPI 23 line on vCPU \(vcpu.id)", line, vcpu.id == 2)
            }
            // Affinity 0.0.0.2, assumed from the id, belongs to no vCPU here: the kernel refuses it.
            let assumed = VCPUIdentity(id: 2, affinity: Affinity(aff0: 2))
            checks.refused("a selector assumed from the id names no vCPU", Expect.kernel(.EINVAL)) { () throws(VGICError) in
                _ = try vgic.lineLevel(of: intid, on: assumed)
            }
            let latch = try vgic.redistributorRegister(.gicrISPENDR0, of: vcpus[2])
            checks.expect("level PPI leaves the latch clear", latch & (1 << intid), 0)
            try vgic.setLevel(ppi, on: vcpus[2], false)
            checks.expect("PPI 23 line lowered", try vgic.lineLevel(of: intid, on: vcpus[2]), false)
            return checks.outcome
        }
    }

    /// KVM keeps private interrupts' configuration fixed (vector G3-18 in GICModel.docc/GICv3TestVectors.md):
    /// SGIs edge, PPIs level ("the arch timer code relies on PPIs being level triggered"), so there is no
    /// edge PPI to inject; GICR_ICFGR writes are ignored.
    static func ppiConfigFixed(_ context: ScenarioContext) -> Outcome {
        LabMachine.withVGIC(context, vcpus: 2) { _, vgic, vcpus throws(VGICError) in
            var checks = VGICInitChecks()
            let vcpu = vcpus[1]
            try vgic.setRedistributorRegister(.gicrICFGR, index: 1, of: vcpu, to: 0xAAAA_AAAA)
            checks.expect("GICR_ICFGR1 (PPIs) stays level", try vgic.redistributorRegister(.gicrICFGR, index: 1, of: vcpu), 0)
            try vgic.setRedistributorRegister(.gicrICFGR, index: 0, of: vcpu, to: 0)
            checks.expect("GICR_ICFGR0 (SGIs) stays edge", try vgic.redistributorRegister(.gicrICFGR, index: 0, of: vcpu), 0xAAAA_AAAA)
            return checks.outcome
        }
    }

    /// The vCPU2 field of `KVM_IRQ_LINE` (layout 2): with more than 256 vCPUs, a PPI for vCPU
    /// 260 needs vcpu2 = 1, vcpu = 4; it must reach vCPU 260 and not vCPU 4. On a kernel
    /// without `KVM_CAP_ARM_IRQ_LINE_LAYOUT_2` the same request is refused before the ioctl
    /// with `.invalidArgument`. Skips when the VM cannot have 261 vCPUs.
    static func vcpu2Field(_ context: ScenarioContext) -> Outcome {
        let count: UInt32 = 261
        let target: UInt32 = 260
        return LabMachine.with(context) { machine throws(VGICError) in
            let maxVCPUs: Int
            do throws(KVMError) { maxVCPUs = try machine.vm.checkExtension(.maxVCPUs) } catch { throw .kernel(error) }
            if maxVCPUs < Int(count) { return .skip("KVM_CAP_MAX_VCPUS is \(maxVCPUs), the vCPU2 field needs more than 256") }
            var identities: [VCPUIdentity] = []
            for id in 0..<count { identities.append(try machine.addVCPU(id: id)) }
            let vgic = try VGIC.create(
                on: machine.vm, configuration: LabLayout.v3(vcpuCount: Int(count)), vcpus: identities)
            var checks = VGICInitChecks()
            let intid: UInt32 = 20
            let ppi: PPI
            do throws(GICValueError) { ppi = try PPI(intid: intid) } catch { throw .configuration(.invalidValue(error)) }
            let word = IRQLineWord.ppi(ppi, vcpu: try identities[Int(target)].lineIndex())
            checks.check("the word needs layout 2", word.needsLayout2)
            if machine.vm.supportsIRQLineLayout2 {
                try vgic.setLevel(ppi, on: identities[Int(target)], true)
                checks.expect("vCPU 260 sees the line", try vgic.lineLevel(of: intid, on: identities[Int(target)]), true)
                checks.expect("vCPU 4 (the low 8 bits alone) does not", try vgic.lineLevel(of: intid, on: identities[4]), false)
            } else {
                checks.refused("refused before the ioctl without layout 2", { error in
                    if case .kernel(let kvm) = error, case .invalidArgument = kvm { return true }
                    return false
                }) { () throws(VGICError) in try vgic.setLevel(ppi, on: identities[Int(target)], true) }
            }
            return checks.outcome
        }
    }

    static func spiValue(_ intid: UInt32) throws(VGICError) -> SPI {
        do throws(GICValueError) { return try SPI(intid: intid) } catch { throw .configuration(.invalidValue(error)) }
    }
}

/// One shared interrupt's latch, line and trigger, read and written through the vgic; reads
/// answer nil when refused, so a refusal fails the check that uses it.
enum SharedInterrupt {
    /// The pending latch: the INTID's bit of GICD_ISPENDR through uaccess.
    static func latch(_ vgic: borrowing VGIC, _ intid: UInt32) -> Bool? {
        (try? vgic.distributorRegister(.gicdISPENDR, covering: intid)).map { $0 & (1 << UInt64(intid % 32)) != 0 }
    }

    /// The line, from LEVEL_INFO (any vCPU selects the SPIs).
    static func line(_ vgic: borrowing VGIC, _ vcpu: VCPUIdentity, _ intid: UInt32) -> Bool? {
        try? vgic.lineLevel(of: intid, on: vcpu)
    }

    /// The active bit: the INTID's bit of GICD_ISACTIVER.
    static func isActive(_ vgic: borrowing VGIC, _ intid: UInt32) -> Bool? {
        (try? vgic.distributorRegister(.gicdISACTIVER, covering: intid)).map { $0 & (1 << UInt64(intid % 32)) != 0 }
    }

    /// Whether GICD_ICFGR says edge (0b10 in the INTID's 2-bit field).
    static func isEdge(_ vgic: borrowing VGIC, _ intid: UInt32) -> Bool? {
        (try? vgic.distributorRegister(.gicdICFGR, covering: intid)).map { $0 >> UInt64(2 * (intid % 16)) & 0b10 != 0 }
    }

    /// Sets or clears the latch: the ISPENDR word is read, the bit changed, the word written
    /// back (a uaccess ISPENDR write sets every latch of the word to the bit written).
    static func setLatch(_ vgic: borrowing VGIC, _ intid: UInt32, _ pending: Bool) throws(VGICError) {
        let word = try vgic.distributorRegister(.gicdISPENDR, covering: intid)
        let bit: UInt64 = 1 << UInt64(intid % 32)
        try vgic.setDistributorRegister(.gicdISPENDR, index: intid / 32, to: pending ? word | bit : word & ~bit)
    }

    /// Makes the INTID edge- or level-triggered through GICD_ICFGR.
    static func setEdge(_ vgic: borrowing VGIC, _ intid: UInt32, _ edge: Bool) throws(VGICError) {
        let word = try vgic.distributorRegister(.gicdICFGR, covering: intid)
        let bit: UInt64 = 0b10 << UInt64(2 * (intid % 16))
        try vgic.setDistributorRegister(.gicdICFGR, index: intid / 16, to: edge ? word | bit : word & ~bit)
    }
}
