@testable import Conformance
import GICVocabulary
import GuestHarness
import Testing

/// How a watchdog stop is reported: the PC as the runtime's label, the step as its program,
/// index and op.
@Suite("The watchdog's report of a hung guest")
struct GuestHangTests {
    func load() throws -> (GuestLoad, GuestRuntime.Image) {
        var main = GuestScript()
        main.append(.mask(.both))
        main.append(.waitForInterrupt)
        main.append(.end)
        let image = try GuestRuntime.image()
        let load = try GuestLoad(
            image: image, programs: [GuestPrograms(main: try main.program())],
            frames: .init(distributor: 0x80_0000, redistributors: [0x100_0000]))
        return (load, image)
    }

    @Test("a vCPU stopped in its WFI step names the runtime's WFI handler and the step")
    func wfi() throws {
        let (load, image) = try load()
        let label = try #require(image.program.labels.first { $0.name.hasPrefix("op_waitForInterrupt_") })
        let pc = GuestLayout.ramBase + UInt64(label.index * 4 + 4)
        let next = GuestLayout.programs + 2 * UInt64(GuestStep.size)
        let text = GuestHang(milliseconds: 1000, pc: pc, nextStep: next).description(load: load, runtime: image)
        #expect(text == "no exit for 1000 ms; PC \(hex(pc)) (\(label.name) + 4) in main[1] .waitForInterrupt")
    }

    @Test("registers that could not be read, or point outside the programs, are left out")
    func partial() throws {
        let (load, image) = try load()
        #expect(GuestHang(milliseconds: 500, pc: nil, nextStep: nil).description(load: load, runtime: image) == "no exit for 500 ms")
        #expect(GuestHang(milliseconds: 500, pc: 0x1000, nextStep: 0x10).description(load: load, runtime: image)
            == "no exit for 500 ms; PC 0x1000")
    }
}
