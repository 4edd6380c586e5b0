/// A checked guest program: its steps, and where each label points. Both the runtime (through
/// `steps`) and the model's executor (through `ops` and `target(of:)`) run exactly this.
public struct GuestProgram: Hashable, Sendable {
    public let ops: [GuestOp]
    let targets: [Int: Int]

    /// The step index `label` was bound to.
    public func target(of label: GuestLabel) -> Int {
        targets[label.id] ?? ops.count
    }

    /// The program in the runtime's 32-byte step format.
    public var steps: [GuestStep] {
        ops.map { step(for: $0) }
    }

    /// The program's bytes, ready to load into the programs area.
    public var bytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(ops.count * GuestStep.size)
        for step in steps { out.append(contentsOf: step.bytes) }
        return out
    }

    private func step(for op: GuestOp) -> GuestStep {
        func with(_ opcode: GuestOpcode, _ operand: GuestOperand, a: UInt16 = 0, b: UInt32 = 0, c: UInt64 = 0) -> GuestStep {
            GuestStep(opcode, source: operand.sourceByte, a: a, b: b, immediate: operand.immediate, c: c)
        }
        switch op {
        case .end: return GuestStep(.end)
        case .read(let register): return GuestStep(.read, a: register.rawValue)
        case .write(let register, let operand): return with(.write, operand, a: register.rawValue)
        case .mmioRead(let frame, let offset): return GuestStep(.mmioRead, a: frame.rawValue, b: offset)
        case .mmioWrite(let frame, let offset, let operand): return with(.mmioWrite, operand, a: frame.rawValue, b: offset)
        case .readBit(let offset, let intid): return with(.readBit, intid, b: offset)
        case .writeBit(let offset, let intid): return with(.writeBit, intid, b: offset)
        case .writePriority(let intid, let priority): return with(.writePriority, intid, c: UInt64(priority))
        case .log(let tag, let operand): return with(.log, operand, b: UInt32(tag.rawValue))
        case .host(let call, let operand): return with(.host, operand, b: call)
        case .hostRead(let call): return GuestStep(.hostRead, b: call)
        case .set(let operand): return with(.set, operand)
        case .add(let operand): return with(.add, operand)
        case .subtract(let operand): return with(.subtract, operand)
        case .and(let operand): return with(.and, operand)
        case .or(let operand): return with(.or, operand)
        case .shiftLeft(let operand): return with(.shiftLeft, operand)
        case .shiftRight(let operand): return with(.shiftRight, operand)
        case .store(let variable, let operand): return with(.store, operand, a: UInt16(variable))
        case .increment(let variable): return GuestStep(.increment, a: UInt16(variable))
        case .jump(let label): return GuestStep(.jump, b: UInt32(target(of: label)))
        case .jumpIf(let comparison, let operand, let label):
            return with(.jumpIf, operand, a: comparison.rawValue, b: UInt32(target(of: label)))
        case .mask(let which): return GuestStep(.mask, a: which.rawValue)
        case .unmask(let which): return GuestStep(.unmask, a: which.rawValue)
        case .waitForInterrupt: return GuestStep(.waitForInterrupt)
        case .synchronize: return GuestStep(.synchronize)
        case .barrier: return GuestStep(.barrier)
        case .drainLog: return GuestStep(.drainLog)
        case .spin(let operand): return with(.spin, operand)
        case .undefinedInstruction: return GuestStep(.undefinedInstruction)
        case .gicv5(let instruction, let operand):
            return with(.gicv5, operand, a: instruction.rawValue, b: instruction.returnsResult ? 1 : 0)
        }
    }
}
