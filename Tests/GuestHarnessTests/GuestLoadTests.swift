@testable import GuestHarness
import Testing

@Suite("Loading programs into guest RAM")
struct GuestLoadTests {
    func load(vcpus: Int) throws -> GuestLoad {
        var main = GuestScript()
        main.append(.host(call: 0, .immediate(1)))
        main.finish()
        let programs = [GuestPrograms](repeating: GuestPrograms(main: try main.program()), count: vcpus)
        return try GuestLoad(
            image: try GuestRuntime.image(), programs: programs,
            frames: .init(distributor: 0x80_0000, redistributors: (0..<vcpus).map { 0x100_0000 + UInt64($0) * 0x2_0000 }))
    }

    @Test("each vCPU gets its programs, context, stack and log; the runtime sits at RAM's base")
    func layout() throws {
        let load = try load(vcpus: 2)
        #expect(load.writes[0].offset == 0)
        #expect(load.entry == GuestLayout.ramBase + 0x800)
        #expect(load.placements.count == 6)
        #expect(load.placements[0].address == GuestLayout.programs)
        let context = try #require(load.writes.last)
        #expect(context.offset == GuestLayout.contextsOffset + GuestLayout.contextStride)
        func field(_ offset: Int) -> UInt64 {
            (0..<8).reduce(UInt64(0)) { $0 | UInt64(context.bytes[offset + $1]) << UInt64(8 * $1) }
        }
        #expect(field(GuestContext.vcpuIndex) == 1)
        #expect(field(GuestContext.mainProgram) == load.placements[3].address)
        #expect(field(GuestContext.stackTop) == GuestLayout.stackTop(1))
        #expect(field(GuestContext.logCursor) == GuestLayout.log(1))
        #expect(field(GuestContext.logLimit) == GuestLayout.log(1) + UInt64(GuestLayout.logStride))
        #expect(field(GuestContext.frames + 8) == 0x80_0000)
        #expect(field(GuestContext.frames + 16) == 0x102_0000)
        #expect(field(GuestContext.frames + 24) == 0x103_0000)
        #expect(GuestLayout.tablesOffset % 0x1_0000 == 0 && GuestLayout.tablesBytes >= 0x10_0000)
    }

    @Test("a host call's address maps back to its vCPU, program and step")
    func locate() throws {
        let load = try load(vcpus: 2)
        let step = load.placements[3].address
        let call = GuestLayout.callWindow + (step - GuestLayout.ramBase)
        let located = try #require(GuestLoad.stepAddress(ofCall: call).flatMap { load.locate(step: $0) })
        #expect(located.vcpu == 1 && located.kind == .main && located.index == 0)
        #expect(load.op(vcpu: 1, kind: .main, index: 0) == .host(call: 0, .immediate(1)))
        #expect(load.locate(step: step + 4) == nil)
    }

    @Test("too many vCPUs or missing frames are refused")
    func refusals() throws {
        #expect(throws: GuestLoadError.vcpuCount(9)) { try self.load(vcpus: 9) }
        #expect(throws: GuestLoadError.framesMissing(vcpus: 1, redistributors: 0)) {
            try GuestLoad(image: try GuestRuntime.image(), programs: [GuestPrograms(main: try GuestScript().program())],
                frames: .init(distributor: 0, redistributors: []))
        }
    }
}
