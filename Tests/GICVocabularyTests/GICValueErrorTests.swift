import Testing
@testable import GICVocabulary

@Suite("Error messages")
struct GICValueErrorTests {
    @Test("Out of range names the field, the value and the allowed range in hex")
    func outOfRange() {
        let message = GICValueError.outOfRange(field: .spi, value: 1020, allowed: 32...1019).description
        #expect(message == "SPI INTID: 0x3fc is out of range; allowed 0x20...0x3fb")
    }

    @Test("Reserved bits name the offending bits and the mask")
    func reservedBits() {
        let message = GICValueError.reservedBitsSet(field: .redistRegionFlags, value: 0x1000, reservedMask: 0xF000).description
        #expect(message == "REDIST_REGION flags: 0x1000 sets reserved bits 0x1000 (reserved mask 0xf000 must be zero)")
    }

    @Test("Misaligned and reserved-range messages name the alignment and the hole")
    func otherMessages() {
        #expect(GICValueError.misaligned(field: .registerOffset, value: 6, alignment: 4).description
            == "register offset: 0x6 is not a multiple of 0x4")
        #expect(GICValueError.reservedRange(field: .gicv3INTID, value: 1024, reserved: 1024...1055).description
            == "GICv3 INTID: 0x400 lies in the reserved range 0x400...0x41f")
    }

    @Test("A register error names the register from the table and the INTIDs it covers")
    func registerMessage() {
        let message = GICValueError.notInRegister(frame: .distributor, offset: 0x100, intid: 31, allowed: 32...1019).description
        #expect(message == "GICD_ISENABLER (GICD offset 0x100) has no field for INTID 31; it covers INTIDs 32...1019")
        let scalar = GICValueError.notInRegister(frame: .redistributorRD, offset: 0x8, intid: 3, allowed: nil).description
        #expect(scalar == "GICR_TYPER (GICR RD_base offset 0x8) is not a per-interrupt register; it has no field for INTID 3")
    }

    @Test("Every field has its own name")
    func fieldNames() {
        let names = GICValueError.Field.allCases.map(\.rawValue)
        #expect(Set(names).count == names.count)
    }
}
