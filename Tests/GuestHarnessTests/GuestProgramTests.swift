@testable import GuestHarness
import Testing

@Suite("Guest programs as data")
struct GuestProgramTests {
    @Test("a step is 32 bytes: opcode, source, a, b, immediate, c, and decodes back")
    func stepLayout() {
        let step = GuestStep(.jumpIf, source: 1, a: 2, b: 0x0102_0304, immediate: 0x1122_3344_5566_7788, c: 0x99)
        let bytes = step.bytes
        #expect(bytes.count == 32)
        #expect(Array(bytes[0..<8]) == [GuestOpcode.jumpIf.rawValue, 1, 2, 0, 0x04, 0x03, 0x02, 0x01])
        #expect(Array(bytes[8..<16]) == [0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11])
        #expect(bytes[16] == 0x99)
        #expect(GuestStep(bytes: bytes[...]) == step)
        var unknown = bytes
        unknown[0] = 0xEE
        #expect(GuestStep(bytes: unknown[...]) == nil)
    }

    @Test("labels resolve to step indices; operands pick their source")
    func labelsAndOperands() throws {
        var script = GuestScript()
        let loop = script.label()
        script.append(.set(.immediate(3)))
        script.bind(loop)
        script.append(.subtract(.variable(4)))
        script.append(.jumpIf(.notEqual, .immediate(0), loop))
        script.append(.end)
        let steps = try script.program().steps
        #expect(steps[2].opcode == .jumpIf)
        #expect(steps[2].b == 1)
        #expect(steps[2].a == GuestComparison.notEqual.rawValue)
        #expect(steps[1].source == 2 && steps[1].immediate == 4)
        #expect(steps[0].source == 0 && steps[0].immediate == 3)
    }

    @Test("programs that cannot run are refused when built", arguments: [
        (GuestOp.read(.iccEOIR1), GuestProgramError.wrongDirection(step: 0, .iccEOIR1, write: false)),
        (GuestOp.write(.iccIAR1, .accumulator), GuestProgramError.wrongDirection(step: 0, .iccIAR1, write: true)),
        (GuestOp.store(variable: 16, .accumulator), GuestProgramError.noSuchVariable(step: 0, 16)),
        (GuestOp.set(.variable(20)), GuestProgramError.noSuchVariable(step: 0, 20)),
        (GuestOp.mmioRead(.distributor, offset: 2), GuestProgramError.misalignedOffset(step: 0, 2)),
    ])
    func refusals(op: GuestOp, error: GuestProgramError) {
        var script = GuestScript()
        script.append(op)
        #expect(throws: error) { try script.program() }
    }

    @Test("a jump to an unbound label, and a label bound twice, are refused")
    func labelRefusals() {
        var script = GuestScript()
        let nowhere = script.label()
        script.append(.jump(nowhere))
        #expect(throws: GuestProgramError.unboundLabel(step: 0)) { try script.program() }
        var twice = GuestScript()
        let label = twice.label()
        twice.bind(label)
        twice.bind(label)
        #expect(throws: GuestProgramError.reboundLabel) { try twice.program() }
    }

    @Test("every opcode has a handler in the runtime's jump table, in order")
    func jumpTable() throws {
        let program = try GuestRuntime.image().program
        guard let table = program.labels.first(where: { $0.name.hasPrefix("op_table_") }) else {
            Issue.record("no op_table")
            return
        }
        for opcode in GuestOpcode.allCases {
            let branch = program.instructions[table.index + Int(opcode.rawValue)]
            #expect(branch.text.hasPrefix("b op_\(opcode.name)_"), "\(opcode): \(branch.text)")
        }
    }

    @Test("steps print as the Swift that builds them")
    func descriptions() {
        #expect(GuestOp.write(.iccEOIR1, .accumulator).description == ".write(.iccEOIR1, .accumulator)")
        #expect(GuestOp.readBit(offset: 0x300, intid: .variable(0)).description == ".readBit(offset: 0x300, intid: .variable(0))")
        #expect(GuestOp.host(call: 2, .immediate(0x28)).description == ".host(call: 2, .immediate(0x28))")
        #expect(GuestSysReg.allCases.allSatisfy { !$0.caseName.isEmpty && $0.caseName.hasPrefix($0.caseName.prefix(1)) })
    }
}
