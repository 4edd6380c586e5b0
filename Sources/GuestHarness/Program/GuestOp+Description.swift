/// Steps print as the Swift that builds them (`.write(.iccEOIR1, .accumulator)`), so a trace, a
/// hang report or a fuzzer's reproduction can be pasted back into a program. Jumps print their
/// target as a label number (`.jump(L3)`): labels belong to the script that bound them.
extension GuestOp: CustomStringConvertible {
    public var description: String {
        switch self {
        case .end: ".end"
        case .read(let register): ".read(.\(register.caseName))"
        case .write(let register, let operand): ".write(.\(register.caseName), \(operand.source))"
        case .mmioRead(let frame, let offset): ".mmioRead(.\(frame.caseName), offset: \(hexString(UInt64(offset))))"
        case .mmioWrite(let frame, let offset, let operand):
            ".mmioWrite(.\(frame.caseName), offset: \(hexString(UInt64(offset))), \(operand.source))"
        case .readBit(let offset, let intid): ".readBit(offset: \(hexString(UInt64(offset))), intid: \(intid.source))"
        case .writeBit(let offset, let intid): ".writeBit(offset: \(hexString(UInt64(offset))), intid: \(intid.source))"
        case .writePriority(let intid, let priority): ".writePriority(intid: \(intid.source), priority: \(hexString(UInt64(priority))))"
        case .log(let tag, let operand): ".log(GuestLogTag(\(tag.rawValue)), \(operand.source))"
        case .host(let call, let operand): ".host(call: \(call), \(operand.source))"
        case .hostRead(let call): ".hostRead(call: \(call))"
        case .set(let operand): ".set(\(operand.source))"
        case .add(let operand): ".add(\(operand.source))"
        case .subtract(let operand): ".subtract(\(operand.source))"
        case .and(let operand): ".and(\(operand.source))"
        case .or(let operand): ".or(\(operand.source))"
        case .shiftLeft(let operand): ".shiftLeft(\(operand.source))"
        case .shiftRight(let operand): ".shiftRight(\(operand.source))"
        case .store(let variable, let operand): ".store(variable: \(variable), \(operand.source))"
        case .increment(let variable): ".increment(variable: \(variable))"
        case .jump(let label): ".jump(L\(label.id))"
        case .jumpIf(let comparison, let operand, let label): ".jumpIf(.\(comparison.caseName), \(operand.source), L\(label.id))"
        case .mask(let which): ".mask(.\(which.caseName))"
        case .unmask(let which): ".unmask(.\(which.caseName))"
        case .waitForInterrupt: ".waitForInterrupt"
        case .synchronize: ".synchronize"
        case .barrier: ".barrier"
        case .drainLog: ".drainLog"
        case .spin(let operand): ".spin(\(operand.source))"
        case .undefinedInstruction: ".undefinedInstruction"
        case .gicv5(let instruction, let operand): ".gicv5(.\(instruction.caseName), \(operand.source))"
        }
    }
}

extension GuestOperand {
    /// The operand as Swift source.
    var source: String {
        switch self {
        case .immediate(let value): ".immediate(\(hexString(value)))"
        case .accumulator: ".accumulator"
        case .variable(let number): ".variable(\(number))"
        }
    }
}

extension GuestComparison {
    var caseName: String {
        switch self {
        case .equal: "equal"
        case .notEqual: "notEqual"
        case .below: "below"
        case .aboveOrEqual: "aboveOrEqual"
        }
    }
}

extension GuestInterruptMask {
    var caseName: String {
        switch self {
        case .irq: "irq"
        case .fiq: "fiq"
        case .both: "both"
        }
    }
}

extension GuestFrame {
    var caseName: String {
        switch self {
        case .absolute: "absolute"
        case .distributor: "distributor"
        case .redistributor: "redistributor"
        case .redistributorSGI: "redistributorSGI"
        }
    }
}
