import GICModel
import GICVocabulary
import Testing

/// Operations at the `VGIC` API's granularity: word splitting, refusals, affected locations and
/// the Swift source a failing fuzz case prints.
@Suite("Operations")
struct OperationTests {
    @Test("a 64-bit element is written as two words; a refused selector stops at the first")
    func sixtyFourBit() throws {
        var model = makeModel()
        try model.apply(.writeRedistributor(.gicrPENDBASER, index: 0, vcpu: cpu(1), value: 0x0012_3456_0000_0400))
        // Inner/outer/shareability fixed up to RaWb, SameAsInner, Inner; RES0 bits 55:52 dropped.
        #expect(model.read(.redistributor(.gicrPENDBASER, index: 0, vcpu: cpu(1))) == .value(0x0002_3456_0000_0580))
        #expect(model.outcome(of: .writeRedistributor(.gicrPENDBASER, index: 0, vcpu: nobody, value: 0)) == .refused(.EINVAL))
        #expect(model.read(.redistributor(.gicrTYPER, index: 0, vcpu: cpu(3))) == .value(0x3_0000_0310))
    }

    @Test("element geometry follows the register table")
    func geometry() {
        #expect(GICv3Register.gicdIROUTER.elementSize == 8)
        #expect(GICv3Register.gicdIROUTER.elementCount == 1024)
        #expect(GICv3Register.gicdIROUTER.elementOffset(40) == 0x6140)
        #expect(GICv3Register.gicrTYPER.elementCount == 1)
        #expect(GICv3Register.gicrIPRIORITYR.elementCount == 8)
        #expect(GICv3Register.gicdIDREGS.elementCount == 12)
    }

    @Test("affected locations: the element and its other view, line levels for lines and configs, all ICC registers of the vCPU")
    func affected() {
        let model = makeModel()
        #expect(model.affectedLocations(of: .writeDistributor(.gicdICENABLER, index: 3, value: 1)) == [
            .distributor(.gicdISENABLER, index: 3), .distributor(.gicdICENABLER, index: 3)])
        #expect(model.affectedLocations(of: .setLine(IRQLineWord(rawValue: 0x0100_0041), level: true)) == [
            .lineLevels(vcpu: cpu(0), firstINTID: 64), .distributor(.gicdISPENDR, index: 2)])
        #expect(model.affectedLocations(of: .setLine(IRQLineWord(rawValue: 0x0202_0011), level: true)) == [
            .lineLevels(vcpu: cpu(2), firstINTID: 0), .redistributor(.gicrISPENDR0, index: 0, vcpu: cpu(2))])
        #expect(model.affectedLocations(of: .writeDistributor(.gicdICFGR, index: 5, value: 0)).contains(
            .lineLevels(vcpu: cpu(0), firstINTID: 64)))
        #expect(model.affectedLocations(of: .writeSystemRegister(ICCRegister.iccPMR, vcpu: nobody, value: 0)).count == 15)
    }

    @Test("operations, locations and outcomes print as Swift source")
    func swiftSource() {
        #expect(GICv3Operation.setLine(IRQLineWord(rawValue: 0x0100_0028), level: true).swiftSource
            == ".setLine(IRQLineWord(rawValue: 0x100_0028), level: true)")
        #expect(GICv3Operation.writeRedistributor(.gicrISENABLER0, index: 0, vcpu: cpu(2), value: 0xFFFF).swiftSource
            == ".writeRedistributor(.gicrISENABLER0, index: 0, vcpu: Affinity(packed: 0x2), value: 0xFFFF)")
        #expect(GICv3Operation.writeSystemRegister(ICCRegister.iccPMR, vcpu: cpu(1), value: 0xF0).swiftSource
            == ".writeSystemRegister(ICCRegister.iccPMR, vcpu: Affinity(packed: 0x1), value: 0xF0)")
        #expect(RegisterLocation.lineLevels(vcpu: cpu(0), firstINTID: 32).swiftSource
            == ".lineLevels(vcpu: Affinity(packed: 0x0), firstINTID: 32)")
        #expect(AccessOutcome.refused(.EINVAL).swiftSource == ".refused(.EINVAL)")
        #expect(AccessOutcome.value(0x1_0000_0000).swiftSource == ".value(0x1_0000_0000)")
    }

    @Test("every register of the vocabulary table has a Swift name that is its static property")
    func swiftNames() {
        #expect(GICv3Register.gicdIROUTER.swiftName == "gicdIROUTER")
        #expect(GICv3Register.gicrISENABLER0.swiftName == "gicrISENABLER0")
        #expect(GICv3Register.gicrIPRIORITYR.swiftName == "gicrIPRIORITYR")
    }

    @Test("KernelBehaviour from uname -r: 7.x is .linux7, 6.12 is .debian6_12", arguments: [
        ("6.12.48+deb12-arm64", KernelBehaviour.debian6_12 as KernelBehaviour?),
        ("7.3.1+bpo-arm64", .linux7), ("10.0", .linux7), ("unknown", nil),
    ])
    func releases(release: String, expected: KernelBehaviour?) {
        #expect(KernelBehaviour(release: release) == expected)
    }
}
