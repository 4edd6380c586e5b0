/// Builds a guest program step by step, with labels for loops; `program()` checks it.
///
/// ```swift
/// var handler = GuestScript()
/// handler.acknowledge()                       // IAR1 → acc, logged
/// handler.append(.write(.iccEOIR1, .accumulator))
/// handler.append(.end)
/// ```
public struct GuestScript: Sendable {
    public private(set) var ops: [GuestOp] = []
    private var bound: [Int: Int] = [:]
    private var labelCount = 0
    private var rebound = false

    public init() {}

    /// Appends one step.
    public mutating func append(_ op: GuestOp) { ops.append(op) }

    /// Appends steps in order.
    public mutating func append(contentsOf steps: [GuestOp]) { ops.append(contentsOf: steps) }

    /// A new, unbound label.
    public mutating func label() -> GuestLabel {
        labelCount += 1
        return GuestLabel(id: labelCount - 1)
    }

    /// Binds `label` to the next step.
    public mutating func bind(_ label: GuestLabel) {
        if bound[label.id] != nil { rebound = true }
        bound[label.id] = ops.count
    }

    /// The checked program.
    public func program() throws(GuestProgramError) -> GuestProgram {
        if rebound { throw .reboundLabel }
        let limit = GuestLayout.programsBytes / GuestStep.size
        guard ops.count <= limit else { throw .tooLong(steps: ops.count, limit: limit) }
        for (index, op) in ops.enumerated() {
            switch op {
            case .read(let register) where !register.access.readable:
                throw .wrongDirection(step: index, register, write: false)
            case .write(let register, _) where !register.access.writable:
                throw .wrongDirection(step: index, register, write: true)
            case .store(let variable, _), .increment(let variable):
                if variable >= GuestContext.variableCount { throw .noSuchVariable(step: index, variable) }
            case .jump(let label), .jumpIf(_, _, let label):
                if bound[label.id] == nil { throw .unboundLabel(step: index) }
            case .mmioRead(_, let offset), .mmioWrite(_, let offset, _), .readBit(let offset, _), .writeBit(let offset, _):
                if offset % 4 != 0 { throw .misalignedOffset(step: index, offset) }
            default:
                break
            }
            for operand in op.operands {
                if case .variable(let number) = operand, number >= GuestContext.variableCount {
                    throw .noSuchVariable(step: index, number)
                }
            }
        }
        return GuestProgram(ops: ops, targets: bound)
    }
}

extension GuestOp {
    /// The operands a step reads.
    var operands: [GuestOperand] {
        switch self {
        case .write(_, let operand), .mmioWrite(_, _, let operand), .readBit(_, let operand), .writeBit(_, let operand),
            .writePriority(let operand, _), .log(_, let operand), .host(_, let operand), .set(let operand),
            .add(let operand), .subtract(let operand), .and(let operand), .or(let operand), .shiftLeft(let operand),
            .shiftRight(let operand), .store(_, let operand), .jumpIf(_, let operand, _), .spin(let operand),
            .gicv5(_, let operand):
            [operand]
        default:
            []
        }
    }
}
