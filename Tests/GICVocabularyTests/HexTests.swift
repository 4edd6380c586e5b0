import GICVocabulary
import Testing

@Suite("hex: how messages write numbers")
struct HexTests {
    @Test("0x-prefixed lower-case digits, no padding, any unsigned width", arguments: [
        (hex(UInt8(0)), "0x0"), (hex(UInt8(0xF8)), "0xf8"), (hex(UInt32(0x0800_0000)), "0x8000000"),
        (hex(UInt64.max), "0xffffffffffffffff"), (hex(UInt16(0xC664)), "0xc664"),
    ])
    func lowerCase(text: String, expected: String) {
        #expect(text == expected)
    }

    @Test("upper case for seeds, as the differential fuzzer's printed tests spell them")
    func upperCase() {
        #expect(hex(UInt64(0x2A), uppercase: true) == "0x2A")
        #expect(hex(UInt64(0xC0FFEE), uppercase: true) == "0xC0FFEE")
    }
}
