@testable import GuestHarness
import Testing

@Suite("The guest's report channel, decoded")
struct ReportProtocolTests {
    @Test("a drain delivers each entry as header then value, and ends with the dropped count")
    func drain() {
        var decoder = GuestExitDecoder()
        let entry = GuestLogEntry(tag: .acknowledged, value: 40, depth: 1, program: .irq, step: 3)
        #expect(decoder.decode(address: GuestLayout.logHeaderAddress, data: entry.header, isWrite: true) == .partial)
        #expect(decoder.decode(address: GuestLayout.logValueAddress, data: 40, isWrite: true) == .partial)
        #expect(decoder.decode(address: GuestLayout.logEndAddress, data: 2, isWrite: true) == .drained([entry], dropped: 2))
        #expect(decoder.decode(address: GuestLayout.logEndAddress, data: 0, isWrite: true) == .drained([], dropped: 0))
    }

    @Test("the header packs tag, depth, program and step as the runtime writes them")
    func header() {
        let entry = GuestLogEntry(tag: GuestLogTag(0x1234), value: 0, depth: 2, program: .fiq, step: 0x0ABC)
        #expect(entry.header == 0x0000_0ABC_0202_1234)
        #expect(GuestLogEntry(header: entry.header, value: 0) == entry)
        #expect(GuestLogEntry(header: 0x0500_0000, value: 0) == nil)
    }

    @Test("a fault report is five fields then the vector, which completes it")
    func fault() {
        var decoder = GuestExitDecoder()
        for (offset, value) in [(8, 0x0200_0000), (16, 0x4000_0E44), (24, 0), (32, 0x3C5), (40, 0x4004_0020)] as [(UInt64, UInt64)] {
            #expect(decoder.decode(address: GuestLayout.faultWindow + offset, data: value, isWrite: true) == .partial)
        }
        let event = decoder.decode(address: GuestLayout.faultWindow, data: 4, isWrite: true)
        let fault = GuestFault(vector: 4, esr: 0x0200_0000, elr: 0x4000_0E44, far: 0, spsr: 0x3C5, stepPointer: 0x4004_0020)
        #expect(event == .fault(fault))
        #expect(fault.vectorName == "synchronous from current EL with SP_ELx")
        #expect(fault.exceptionClass == 0)
        #expect(GuestFault(vector: 0xFF).vectorName == "a step the runtime cannot execute")
    }

    @Test("host calls name their step through the address; reads are calls that want an answer")
    func calls() {
        var decoder = GuestExitDecoder()
        let step = GuestLayout.programs + 5 * 32
        let address = GuestLayout.callWindow + (step - GuestLayout.ramBase)
        #expect(decoder.decode(address: address, data: 0x28, isWrite: true) == .call(step: step, operand: 0x28))
        #expect(decoder.decode(address: address, data: 0, isWrite: false) == .read(step: step))
        #expect(decoder.decode(address: GuestLayout.doneAddress, data: 0xBEEF, isWrite: true) == .done(0xBEEF))
    }

    @Test("out-of-order and foreign accesses are events, never traps")
    func malformed() {
        var decoder = GuestExitDecoder()
        #expect(decoder.decode(address: GuestLayout.logValueAddress, data: 1, isWrite: true) == .malformed("log value 0x1 without a header"))
        #expect(decoder.decode(address: 0x0900_0000, data: 0, isWrite: true) == .stray(address: 0x0900_0000, isWrite: true))
        #expect(decoder.decode(address: GuestLayout.doneAddress, data: 0, isWrite: false) == .stray(address: GuestLayout.doneAddress, isWrite: false))
        _ = decoder.decode(address: GuestLayout.logHeaderAddress, data: 1, isWrite: true)
        #expect(decoder.decode(address: GuestLayout.logHeaderAddress, data: 2, isWrite: true)
            == .malformed("log header 0x2 without the previous entry's value"))
    }

    @Test("any address and data decode to some event", arguments: 0..<8)
    func total(seed: UInt64) {
        var decoder = GuestExitDecoder()
        var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
        for _ in 0..<10_000 {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            let address = GuestLayout.mmioRange.lowerBound + (state % 0x80_0000) & ~7
            _ = decoder.decode(address: address, data: state, isWrite: state & 1 == 0)
        }
    }
}
