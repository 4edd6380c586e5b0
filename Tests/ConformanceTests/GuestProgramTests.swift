@testable import Conformance
import Testing

@Suite("Guest programs")
struct GuestProgramTests {
    @Test("reporting stores each value to the MMIO address, then calls PSCI SYSTEM_OFF")
    func reporting() {
        let program = GuestProgram.reporting([0x42])
        let x0 = A64.Register(0), x1 = A64.Register(1)
        let expected = A64.load(x0, GuestProgram.mmioAddress) + A64.load(x1, 0x42) + [A64.str32(x1, base: x0)]
            + A64.load(x0, GuestProgram.psciSystemOff) + [A64.hvc(0), A64.branch(by: 0)]
        #expect(program.words == expected)
    }

    @Test("every program ends in SYSTEM_OFF, so an unexpected guest entry comes back")
    func endsInPowerOff() {
        for program in [GuestProgram.reporting([]), .reporting([1, 2, 3]), VCPURunScenarios.acknowledgeProgram] {
            #expect(program.words.suffix(GuestProgram.powerOff.count) == GuestProgram.powerOff[...])
        }
    }

    @Test("the acknowledge program reads IAR1, reports, EOIs, reads IAR1 again, reports")
    func acknowledge() {
        let words = VCPURunScenarios.acknowledgeProgram.words
        let iar1: UInt32 = 0xD538_CC01, eoir1: UInt32 = 0xD518_CC21, store: UInt32 = 0xB900_0001
        let body = Array(words.dropFirst(A64.load(.init(0), GuestProgram.mmioAddress).count).prefix(6))
        #expect(body == [iar1, store, eoir1, A64.isb, iar1, store])
    }

    @Test("the program fits the guest RAM and the MMIO address is outside it")
    func layout() {
        #expect(VCPURunScenarios.acknowledgeProgram.words.count * 4 < GuestProgram.ramBytes)
        let ram = GuestProgram.ramBase..<(GuestProgram.ramBase + UInt64(GuestProgram.ramBytes))
        #expect(!ram.contains(GuestProgram.mmioAddress))
        #expect(!ram.contains(LabLayout.distributor) && !ram.contains(LabLayout.redistributors))
    }
}
