import GICVocabulary
import Testing
@testable import GICv5Model

/// What the architecture leaves to an implementation, and the defects the cross-check against QEMU
/// 11 (the `gicv5_guest.*` lab) found (GICv5Model.docc/GICv5Implementations.md). Each of these
/// failed before its fix.
@Suite("GICv5 implementation parameters and the QEMU cross-check's findings")
struct ImplementationTests {
    func qemuIRS() -> GICv5IRS {
        GICv5IRS(spiCount: 8, enabled: true, implementation: .qemu11)
    }

    @Test("with no IST (lpiIDBits 0, no LPIs) LPI 0 is unreachable: CDRCFG says F, CDEN/CDPRI/CDPEND do nothing, CDIA acknowledges nothing")
    func noLPIsWithoutAnIST() {
        var cpu = readyCPU(priorityMask: 31)
        var irs = GICv5IRS(spiCount: 4, lpiIDBits: 0, enabled: true)
        #expect(!irs.contains(lpi(0)))
        GICv5Guest.execute(.requestConfig(lpi(0)), cpu: &cpu, irs: &irs)
        #expect(cpu.interruptStatus == .failed)
        for command in [GICv5Command.setPriority(lpi(0), priority: 3), .enable(lpi(0)), .setPending(lpi(0), pending: true)] {
            GICv5Guest.execute(command, cpu: &cpu, irs: &irs)
        }
        #expect(irs.lpis.isEmpty)
        let acknowledged = GICv5Guest.acknowledge(cpu: &cpu, irs: &irs)
        #expect(acknowledged == .none)
        #expect(throws: GICv5ModelError.noSuchLPI(id: 0, idBits: 0)) { try irs.setLPIPending(0) }
    }

    @Test("GIC CDAFF with IRM 1 on an IRS without 1-of-N routing: IRM is RES0, ICC_ICSR_EL1.IRM reads 0")
    func irmIsRES0WithoutOneOfN() {
        var cpu = readyCPU()
        var irs = qemuIRS()
        GICv5Guest.execute(.setAffinity(spi(4), iaffid: 0, routing: .oneOfN), cpu: &cpu, irs: &irs)
        GICv5Guest.execute(.requestConfig(spi(4)), cpu: &cpu, irs: &irs)
        #expect(cpu.interruptStatus.routing == .targeted)
        #expect(irs.interrupt(spi(4))?.routing == .targeted)

        var oneOfN = GICv5Implementation.default
        oneOfN.oneOfNRouting = true
        var capable = GICv5IRS(spiCount: 8, enabled: true, implementation: oneOfN)
        GICv5Guest.execute(.setAffinity(spi(4), iaffid: 0, routing: .oneOfN), cpu: &cpu, irs: &capable)
        GICv5Guest.execute(.requestConfig(spi(4)), cpu: &cpu, irs: &capable)
        #expect(cpu.interruptStatus.routing == .oneOfN)
    }

    @Test("a two-level IST: an LPI under an L1 entry the IRS has not made valid is unreachable until IRS_MAP_L2_ISTR")
    func twoLevelNeedsMappedL2() throws {
        var irs = qemuIRS()
        irs.configureStateTable(try ISTGeometry(configRegister: 14 | 1 << 16))   // 4 KiB L2 tables: 10 ID bits each
        #expect(!irs.contains(lpi(5)))
        let reached = irs.setEnabled(lpi(5), true)
        #expect(!reached)
        irs.mapLevel2Table(containing: 5)
        #expect(irs.contains(lpi(5)) && irs.contains(lpi(1023)))
        #expect(!irs.contains(lpi(1024)))
        irs.configureStateTable(nil)
        #expect(!irs.contains(lpi(5)))
    }

    @Test("the configuration frame: IRS_IST_CFGR.LPI_ID_BITS below IRS_IDR2.MIN_LPI_ID_BITS acts as the minimum")
    func minimumLPIIDBits() {
        var frame = GICv5IRSConfigFrame(irs: qemuIRS())
        frame.write(GICv5IRSConfigFrame.Offset.istConfig, 4)
        frame.write(GICv5IRSConfigFrame.Offset.istBase, 0x4010_0001)
        #expect(frame.irs.lpiIDBits == 14)
        #expect(frame.irs.contains(lpi(16383)) && !frame.irs.contains(lpi(16384)))
        #expect(frame.read(GICv5IRSConfigFrame.Offset.istBase) == 0x4010_0001)
        frame.write(GICv5IRSConfigFrame.Offset.istConfig, 20)      // read-only while VALID
        #expect(frame.read(GICv5IRSConfigFrame.Offset.istConfig) == 4)
    }

    @Test("a priority tie between the best SPI and the best LPI goes as the implementation says (R_VVBPS)",
          arguments: [(GICv5Implementation.default, GICv5InterruptType.spi), (.qemu11, .lpi)])
    func spiLPITie(implementation: GICv5Implementation, winner: GICv5InterruptType) throws {
        var irs = GICv5IRS(spiCount: 8, lpiIDBits: 14, enabled: true, implementation: implementation)
        for id in [spi(3), lpi(7)] {
            irs.setEnabled(id, true)
            irs.setPriority(id, 12)
            irs.setPending(id, true)
        }
        #expect(irs.highestPriorityPending(target: 0)?.id.type == winner)
    }

    @Test("QEMU 11: GIC CDDIS and CDPEND 0 leave an SPI enabled and pending; an LPI follows the architecture")
    func qemuSPIEnableAndPend() {
        var irs = GICv5IRS(spiCount: 8, lpiIDBits: 14, enabled: true, implementation: .qemu11)
        irs.setEnabled(spi(2), false)
        irs.setPending(spi(2), false)
        #expect(irs.interrupt(spi(2)).map { $0.enabled && $0.pending } == true)
        irs.setEnabled(lpi(2), true)
        irs.setEnabled(lpi(2), false)
        #expect(irs.interrupt(lpi(2))?.enabled == false)
    }
}
