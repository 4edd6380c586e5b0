@testable import Conformance
import GuestHarness
import Testing

/// The straight-line guests of `vgic_init` and `vcpu_run.*`, built with the harness assembler
/// (whose encodings `GuestHarnessTests` pins against GNU as).
@Suite("Straight-line guests")
struct StraightLineGuestTests {
    @Test("reporting stores each value to the MMIO address, then calls PSCI SYSTEM_OFF")
    func reporting() {
        // movz x0, #0; movk x0, #0xa00, lsl #16; movz x1, #0x42; str w1, [x0];
        // movz x0, #0x8; movk x0, #0x8400, lsl #16; hvc #0; b .
        #expect(StraightLineGuest.reporting([0x42]).words == [
            0xD280_0000, 0xF2A1_4000, 0xD280_0841, 0xB900_0001, 0xD280_0100, 0xF2B0_8000, 0xD400_0002, 0x1400_0000,
        ])
    }

    @Test("every program ends in SYSTEM_OFF, so an unexpected guest entry comes back")
    func endsInPowerOff() {
        let end: [UInt32] = [0xD280_0100, 0xF2B0_8000, 0xD400_0002, 0x1400_0000]
        for program in [StraightLineGuest.reporting([]), .reporting([1, 2, 3]), VCPURunScenarios.acknowledgeProgram] {
            #expect(program.problem == nil)
            #expect(Array(program.words.suffix(4)) == end)
        }
    }

    @Test("the acknowledge program reads IAR1, reports, EOIs, reads IAR1 again, reports")
    func acknowledge() {
        let words = VCPURunScenarios.acknowledgeProgram.words
        let iar1: UInt32 = 0xD538_CC01, eoir1: UInt32 = 0xD518_CC21, store: UInt32 = 0xB900_0001, isb: UInt32 = 0xD503_3FDF
        #expect(Array(words.dropFirst(2).prefix(6)) == [iar1, store, eoir1, isb, iar1, store])
    }

    @Test("a program that does not assemble carries the reason instead of words")
    func problem() {
        let broken = StraightLineGuest.assembled { $0.add(.x0, .x0, 5000) }
        #expect(broken.words.isEmpty)
        #expect(broken.problem == .immediateOutOfRange(instruction: "add", value: 5000))
    }

    @Test("the program fits the guest RAM and the MMIO address is outside it")
    func layout() {
        #expect(VCPURunScenarios.acknowledgeProgram.words.count * 4 < StraightLineGuest.ramBytes)
        let ram = StraightLineGuest.ramBase..<(StraightLineGuest.ramBase + UInt64(StraightLineGuest.ramBytes))
        #expect(!ram.contains(StraightLineGuest.mmioAddress))
        #expect(!ram.contains(LabLayout.distributor) && !ram.contains(LabLayout.redistributors))
    }
}
