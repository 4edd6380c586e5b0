import GICModel
import GICVocabulary
import Testing

/// The state CTRL_INIT leaves (`vgic_init`, `kvm_vgic_vcpu_init`, `vgic_v3_enable`), read through the
/// attribute interface: vectors G3-19..22 in GICModel.docc/GICv3TestVectors.md and
/// GICVocabulary.docc/GICv3RegisterMap.md.
@Suite("Reset state after CTRL_INIT")
struct ResetStateTests {
    @Test("G3-19: SGIs enabled, PPIs disabled, every private INTID Group 1")
    func privateReset() throws {
        let model = makeModel()
        for vcpu in 0..<UInt32(4) {
            #expect(try model.readRedistributor(cpu(vcpu), offset: GICv3Register.gicrISENABLER0.offset) == 0x0000_FFFF)
            #expect(try model.readRedistributor(cpu(vcpu), offset: GICv3Register.gicrIGROUPR0.offset) == 0xFFFF_FFFF)
        }
    }

    @Test("G3-19: every SPI Group 1, disabled, not pending, not active, priority 0")
    func spiReset() throws {
        let model = makeModel()
        for word in stride(from: UInt32(32), to: 256, by: 32) {
            #expect(try dword(model, .gicdIGROUPR, word) == 0xFFFF_FFFF)
            #expect(try dword(model, .gicdISENABLER, word) == 0)
            #expect(try dword(model, .gicdISPENDR, word) == 0)
            #expect(try dword(model, .gicdISACTIVER, word) == 0)
        }
        #expect(try dword(model, .gicdIPRIORITYR, 100) == 0)
    }

    @Test("G3-18: GICR_ICFGR0 reads 0xAAAAAAAA (SGIs edge), GICR_ICFGR1 0 (PPIs level), SPIs edge")
    func configReset() throws {
        let model = makeModel()
        #expect(try model.readRedistributor(cpu(1), offset: 0x1_0C00) == 0xAAAA_AAAA)
        #expect(try model.readRedistributor(cpu(1), offset: 0x1_0C04) == 0)
        #expect(try dword(model, .gicdICFGR, 32) == 0xAAAA_AAAA)
        #expect(try dword(model, .gicdICFGR, 255) == 0xAAAA_AAAA)
    }

    @Test("G3-20: GICD_TYPER is 0x00480001 for 64 IRQs without an ITS, 0x007A0001 with one")
    func typer() {
        #expect(makeModel(interruptCount: 64).readDistributor(offset: 4) == 0x0048_0001)
        #expect(makeModel(interruptCount: 64, its: true).readDistributor(offset: 4) == 0x007A_0001)
        #expect(makeModel(interruptCount: 256).readDistributor(offset: 4) == 0x0048_0007)
        #expect(makeModel(interruptCount: 992).readDistributor(offset: 4) == 0x0048_001E)
    }

    @Test("G3-21/22: GICD_IIDR 0x4B00343B (revision 3), GICD_CTLR 0x50, TYPER2 0, STATUSR RAO, PIDR2 0x3B")
    func distributorIdentification() {
        let model = makeModel()
        #expect(model.readDistributor(offset: 8) == 0x4B00_343B)
        #expect(model.readDistributor(offset: 0) == 0x50)
        #expect(model.readDistributor(offset: 0xC) == 0)
        #expect(model.readDistributor(offset: 0x10) == 0xFFFF_FFFF)
        #expect(model.readDistributor(offset: 0xFFE8) == 0x3B)
        #expect(model.readDistributor(offset: 0xFFE4) == 0)
    }

    @Test("GICR_TYPER: affinity, vCPU id, Last only on the last redistributor of the legacy block")
    func redistributorTyper() throws {
        let model = makeModel()
        for vcpu in 0..<UInt32(4) {
            let low = try model.readRedistributor(cpu(vcpu), offset: 0x8)
            let high = try model.readRedistributor(cpu(vcpu), offset: 0xC)
            #expect(low == vcpu << 8 | (vcpu == 3 ? 0x10 : 0), "vCPU \(vcpu)")
            #expect(high == cpu(vcpu).packed)
        }
        // The selftest's example values: vCPU 3 last → 0x310; with three vCPUs, vCPU 2 → 0x210.
        #expect(try model.readRedistributor(cpu(3), offset: 0x8) == 0x310)
        #expect(try makeModel(vcpus: 3).readRedistributor(cpu(2), offset: 0x8) == 0x210)
        #expect(try makeModel(its: true).readRedistributor(cpu(0), offset: 0x8) == 0x1)
    }

    @Test("GICR_TYPER reports Aff2.Aff1.Aff0 only (bits 23:0 of the affinity)")
    func typerDropsAff3() throws {
        let odd = Affinity(aff3: 7, aff2: 1, aff1: 2, aff0: 3)
        let model = GICv3Model(configuration: GICv3ModelConfiguration(vcpuAffinities: [odd]))
        #expect(try model.readRedistributor(odd, offset: 0xC) == 0x01_0203)
    }

    @Test("GICR_TYPER.Last with regions: the last used slot of each region, unless a contiguous region follows with vCPUs")
    func lastWithRegions() {
        let contiguous = RedistributorLayout.regions([.init(base: 0x20_0000, count: 2), .init(base: 0x24_0000, count: 2)])
        #expect(contiguous.lastFlags(vcpuCount: 3) == [false, false, true])
        let apart = RedistributorLayout.regions([.init(base: 0x20_0000, count: 2), .init(base: 0x40_0000, count: 2)])
        #expect(apart.lastFlags(vcpuCount: 3) == [false, true, true])
        #expect(apart.lastFlags(vcpuCount: 1) == [true])
        #expect(RedistributorLayout.legacy.lastFlags(vcpuCount: 4) == [false, false, false, true])
    }

    @Test("GICR_TYPER.Last before any redistributor address: no vCPU has a redistributor, so none is Last")
    func lastUnplaced() throws {
        #expect(RedistributorLayout.unplaced.lastFlags(vcpuCount: 3) == [false, false, false])
        var configuration = GICv3ModelConfiguration.vcpus(2)
        configuration.redistributors = .unplaced
        let model = GICv3Model(configuration: configuration)
        #expect(try model.readRedistributor(cpu(1), offset: 0x8) == 0x100)
    }

    @Test("GICR_TYPER.Last follows regions added after CTRL_INIT (vgic_init.c test_v3_typer_accesses)")
    func lastAfterPlacement() throws {
        // vCPUs created in the order 0, 3, 1, 2: the model's positions are creation order.
        var configuration = GICv3ModelConfiguration(
            vcpuAffinities: [0, 3, 1, 2].map { Affinity.kvmResetDefault(vcpuID: $0) }, vcpuIDs: [0, 3, 1, 2])
        configuration.redistributors = .unplaced
        var model = GICv3Model(configuration: configuration)
        func typer(_ id: UInt32) throws -> UInt32 { try model.readRedistributor(.kvmResetDefault(vcpuID: id), offset: 0x8) }
        #expect(try [0, 1, 2, 3].map(typer) == [0x000, 0x100, 0x200, 0x300])
        model.placeRedistributors(.regions([.init(base: 0x20_0000, count: 2)]))
        #expect(try [0, 1, 2, 3].map(typer) == [0x000, 0x100, 0x200, 0x310])
        model.placeRedistributors(.regions([.init(base: 0x20_0000, count: 2), .init(base: 0x2_0000, count: 10)]))
        #expect(try [0, 1, 2, 3].map(typer) == [0x000, 0x100, 0x210, 0x310])
        #expect(model.redistributorLayout == .regions([.init(base: 0x20_0000, count: 2), .init(base: 0x2_0000, count: 10)]))
    }

    @Test("GICR_CTLR reads IR|CES (0x6) at revision 3, GICR_IIDR 0x4B00043B, PENDBASER 0x580, PROPBASER 0")
    func redistributorIdentification() throws {
        let model = makeModel()
        #expect(try model.readRedistributor(cpu(0), offset: 0) == 0x6)
        #expect(try model.readRedistributor(cpu(0), offset: 4) == 0x4B00_043B)
        #expect(try model.readRedistributor(cpu(0), offset: 0x78) == 0x580)
        #expect(try model.readRedistributor(cpu(0), offset: 0x7C) == 0)
        #expect(try model.readRedistributor(cpu(0), offset: 0x70) == 0)
        #expect(try model.readRedistributor(cpu(0), offset: 0xFFE8) == 0x3B)
    }

    @Test("ICC registers: VMCR zero, SRE 0x7, CTLR from the host's ICH_VTR_EL2")
    func cpuInterfaceReset() throws {
        let model = makeModel(host: HostCPUInterface(priorityBits: 5, idBits: 1, seis: false, a3v: true))
        for register in [ICCRegister.iccPMR, .iccBPR0, .iccBPR1, .iccIGRPEN0, .iccIGRPEN1, .iccAP0R0, .iccAP1R0] {
            #expect(try model.readSystemRegister(cpu(0), register.encoding) == 0, "\(register.name)")
        }
        #expect(try model.readSystemRegister(cpu(0), ICCRegister.iccSRE.encoding) == 0x7)
        // PRIbits 4 (5 bits) at [10:8], IDbits 1 at [13:11], A3V bit 15.
        #expect(try model.readSystemRegister(cpu(0), ICCRegister.iccCTLR.encoding) == 0x8C00)
    }

    @Test("HostCPUInterface reads PRIbits, IDbits, SEIS and A3V back out of ICC_CTLR_EL1")
    func hostFromCTLR() {
        let host = HostCPUInterface(iccCTLR: 0x8C00)
        #expect(host == HostCPUInterface(priorityBits: 5, idBits: 1, seis: false, a3v: true))
        #expect(HostCPUInterface(iccCTLR: 0x4603) == HostCPUInterface(priorityBits: 7, idBits: 0, seis: true, a3v: false))
    }
}
