import GICModel
import GICVocabulary
import Testing

/// The whole-state snapshot and its diff: what `verify()` compares, and how a difference is named.
@Suite("Snapshot and differences")
struct SnapshotTests {
    @Test("a fresh model's snapshot equals another fresh model's, and differs after any state change")
    func equality() throws {
        var model = makeModel()
        #expect(model.snapshot() == makeModel().snapshot())
        try model.writeDistributor(offset: try doffset(.gicdISENABLER, 100), bit(100))
        #expect(model.snapshot() != makeModel().snapshot())
    }

    @Test("state locations cover every bank up to NR_IRQS, every vCPU's frames, ICC registers and line levels")
    func coverage() {
        let model = makeModel()
        let locations = model.stateLocations()
        // Distributor: 5 single registers; 9 banks over INTIDs 32–255; 224 IROUTERs.
        let banks = 7 * 7 + 56 + 14
        let perVCPU = 8 + 17 + 15 + 1  // RD (TYPER, PROPBASER, PENDBASER one element each) + SGI + ICC + private lines
        #expect(locations.count == 5 + banks + 224 + 4 * perVCPU + 7)
        #expect(locations.contains(.distributor(.gicdIROUTER, index: 255)))
        #expect(!locations.contains(.distributor(.gicdIROUTER, index: 256)))
        #expect(locations.contains(.systemRegister(ICCRegister.iccAP1R3, vcpu: cpu(3))))
        #expect(model.stateLocations(.exhaustive).count > locations.count)
    }

    @Test("a per-interrupt difference names the register, vCPU, INTID, expected and actual field")
    func fieldDifferences() throws {
        var model = makeModel()
        try model.writeRedistributor(cpu(2), offset: 0x1_0100, 0x0001_FFFF)
        let location = RegisterLocation.redistributor(.gicrISENABLER0, index: 0, vcpu: cpu(2))
        let differences = model.differences(at: location, actual: .value(0x0000_FFFF))
        #expect(differences == [StateDifference(
            subject: .location(location), register: "GICR_ISENABLER0", vcpu: 2, selector: cpu(2), intid: 16,
            expected: .value(1), actual: .value(0))])
        #expect(differences.first?.description == "GICR_ISENABLER0 vCPU 2 INTID 16: expected 0x1, actual 0x0")
    }

    @Test("priority and IROUTER differences are per INTID; whole registers have no INTID")
    func otherFieldWidths() throws {
        let model = makeModel()
        let priority = model.differences(at: .distributor(.gicdIPRIORITYR, index: 10), actual: .value(0x0800_0000))
        #expect(priority.map(\.intid) == [43])
        #expect(priority.first?.actual == .value(0x08))
        let router = model.differences(at: .distributor(.gicdIROUTER, index: 50), actual: .value(1))
        #expect(router.map(\.intid) == [50])
        let ctlr = model.differences(at: .distributor(.gicdCTLR, index: 0), actual: .value(0x52))
        #expect(ctlr.count == 1 && ctlr[0].intid == nil && ctlr[0].vcpu == nil)
        let refused = model.differences(at: .systemRegister(ICCRegister.iccPMR, vcpu: cpu(0)), actual: .refused(.EINVAL))
        #expect(refused.first?.description == "ICC_PMR_EL1 vCPU 0: expected 0x0, actual EINVAL")
    }

    @Test("Snapshot.differences pairs entries by location and reports each differing field")
    func snapshotDiff() throws {
        var kernel = makeModel()
        let model = makeModel()
        try kernel.setLine(.spi(try SPI(intid: 77)), level: true)
        try kernel.writeSystemRegister(cpu(1), ICCRegister.iccPMR.encoding, 0xF0)
        let differences = kernel.snapshot().differences(from: model.snapshot(), model: model)
        #expect(differences.map(\.register) == ["GICD_ISPENDR", "ICC_PMR_EL1"])
        #expect(differences.map(\.intid) == [77, nil])
        #expect(differences.map(\.vcpu) == [nil, 1])
    }
}
