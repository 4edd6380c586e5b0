@testable import GuestHarness
import Testing

/// The UART transport's report lines and the ELF the GICv5 lab boots.
@Suite("Guest reports over the UART")
struct GuestUARTTests {
    @Test("a drain is its entry lines then the end line; done and fault are one line each")
    func decode() {
        var decoder = GuestUARTDecoder()
        #expect(decoder.decode(line: "qemu-system-aarch64: some warning") == nil)
        #expect(decoder.decode(line: "@@GL 0000000100000002 0000000000000041") == .partial)
        #expect(decoder.decode(line: "@@GE 0000000000000003") == .drained(
            [GuestLogEntry(tag: .observed, value: 0x41, depth: 0, program: .main, step: 1)], dropped: 3))
        #expect(decoder.decode(line: "@@GD 00000000000000ff") == .done(0xFF))
        #expect(decoder.decode(line: "@@GF 0000000000000004 0000000002000000 0000000040001234 0000000000000000 00000000000003c5 0000000040040020")
            == .fault(GuestFault(vector: 4, esr: 0x0200_0000, elr: 0x4000_1234, far: 0, spsr: 0x3C5, stepPointer: 0x4004_0020)))
    }

    @Test("a report line that does not parse is malformed, never a trap", arguments: [
        "@@GL 12 34", "@@GL 000000000000000g 0000000000000000", "@@GX 0000000000000000", "@@GD",
        "@@GL 00000000ff000002 0000000000000000",
    ])
    func malformed(line: String) {
        var decoder = GuestUARTDecoder()
        guard case .malformed = decoder.decode(line: line) else {
            Issue.record("\(line) was not refused")
            return
        }
    }

    @Test("the ELF has one PT_LOAD segment at the RAM base holding the flat image, entered at the runtime's boot")
    func elf() throws {
        var main = GuestScript()
        main.finish()
        let load = try GuestLoad(
            image: try GuestRuntime.image(transport: .virtUART), programs: [GuestPrograms(main: try main.program())],
            frames: .init(distributor: 0, redistributors: [0]))
        let elf = load.elfImage
        func word(_ offset: Int, _ count: Int) -> UInt64 { readLittleEndian(elf[...], at: offset, count: count) }
        #expect(Array(elf[0..<4]) == [0x7F, 0x45, 0x4C, 0x46])
        #expect(word(18, 2) == 183)                          // EM_AARCH64
        #expect(word(24, 8) == load.entry)                   // e_entry
        #expect(word(64, 4) == 1)                            // PT_LOAD
        #expect(word(64 + 16, 8) == GuestLayout.ramBase)     // p_vaddr
        #expect(word(64 + 32, 8) == UInt64(load.flatImage.count))
        #expect(Array(elf[0x1000...]) == load.flatImage)
    }
}
