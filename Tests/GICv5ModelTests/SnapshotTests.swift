import GICVocabulary
import Testing
@testable import GICv5Model
import TestSupport

@Suite("Snapshots and their diff")
struct SnapshotTests {
    @Test("Equal models have equal snapshots and no differences")
    func equal() throws {
        let a = try vmAfterGuestSetup()
        let b = try vmAfterGuestSetup()
        #expect(a.snapshot() == b.snapshot())
        #expect(a.snapshot().differences(from: b.snapshot()).isEmpty)
    }

    @Test("A PPI difference names the vCPU, the PPI, the field and both values")
    func ppiDifference() throws {
        let expected = try GICv5VM(GICv5VMConfiguration(vcpuCount: 2))
        var actual = expected
        try actual.inject(.swPPI, vcpu: 1, level: true)
        let differences = actual.snapshot().differences(from: expected.snapshot())
        #expect(differences == [
            GICv5Difference(subject: .vcpu(1), field: "IRQ_PENDING request", expected: 0, actual: 1),
            GICv5Difference(subject: .ppi(vcpu: 1, .swPPI), field: "pending_latch", expected: 0, actual: 1),
        ])
        #expect(differences[1].description == "vCPU 1 PPI 3 pending_latch: expected 0x0, actual 0x1")
    }

    @Test("Register image, mapping, SPI and LPI differences are reported with their subjects")
    func otherDifferences() throws {
        let expected = try GICv5VM(GICv5VMConfiguration(spiCount: 4, lpiIDBits: 8))
        var actual = expected
        try actual.mapPhysical(.cntv, vcpu: 0, hostIRQ: 27)
        try actual.irs.setLine(spi: 2, level: true)
        try actual.irs.setLPIPending(9)
        let differences = actual.snapshot().differences(from: expected.snapshot())
        #expect(differences == [
            GICv5Difference(subject: .vcpu(0), field: "ICH_PPI_DVIR0", expected: 0, actual: bit(.cntv)),
            GICv5Difference(subject: .ppi(vcpu: 0, .cntv), field: "host IRQ", expected: GICv5Difference.absent, actual: 27),
            GICv5Difference(subject: .ppi(vcpu: 0, .cntv), field: "physical line level", expected: GICv5Difference.absent, actual: 0),
            GICv5Difference(subject: .spi(2), field: "pending", expected: 0, actual: 1),
            GICv5Difference(subject: .spi(2), field: "wire level", expected: 0, actual: 1),
            GICv5Difference(subject: .lpi(9), field: "pending", expected: 0, actual: 1),
        ])
        #expect(differences[1].description == "vCPU 0 PPI 27 host IRQ: expected absent, actual 0x1b")
    }

    @Test("Snapshot equality and an empty diff agree over seeded random operation sequences (seed 0xD1FF)")
    func diffAgreesWithEquality() throws {
        var rng = SplitMix64(seed: 0xD1FF)
        for step in 0..<200 {
            var a = try GICv5VM(GICv5VMConfiguration(vcpuCount: 2, spiCount: 4, lpiIDBits: 4))
            var b = a
            for _ in 0..<(rng.next() % 4) { try Self.randomOperation(&a, &rng) }
            for _ in 0..<(rng.next() % 4) { try Self.randomOperation(&b, &rng) }
            let equal = a.snapshot() == b.snapshot()
            #expect(equal == a.snapshot().differences(from: b.snapshot()).isEmpty, "seed 0xD1FF step \(step)")
        }
    }

    static func randomOperation(_ vm: inout GICv5VM, _ rng: inout SplitMix64) throws {
        let vcpu = Int(rng.next() % 2)
        let target = [GICv5PPI.swPPI, .cntv, .cntp, .cnthp][Int(rng.next() % 4)]
        switch rng.next() % 6 {
        case 0: try vm.inject(target, vcpu: vcpu, level: rng.next() & 1 == 0, from: .owner)
        case 1: try vm.mapPhysical(target, vcpu: vcpu, hostIRQ: UInt32(rng.next() % 3))
        case 2: try vm.irs.setLine(spi: UInt32(rng.next() % 4), level: rng.next() & 1 == 0)
        case 3: try vm.irs.setLPIPending(UInt32(rng.next() % 16))
        case 4: try vm.setBehaviour(rng.next() & 1 == 0 ? .queue : .hardwareManaged, for: target, vcpu: vcpu)
        default:
            var hw = try vm.enterGuest(vcpu: vcpu)
            hw.writeEnable(.bank0, rng.next())
            try vm.exitGuest(vcpu: vcpu, hardwareState: hw)
        }
    }
}
