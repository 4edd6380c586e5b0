/// The step opcodes the runtime dispatches on: the first byte of each 32-byte step, and the
/// index of its entry in the runtime's jump table. One row per `GuestOp` case.
public enum GuestOpcode: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    case end = 0
    case read, write, mmioRead, mmioWrite, readBit, writeBit, writePriority
    case log, host, hostRead
    case set, add, subtract, and, or, shiftLeft, shiftRight
    case store, increment, jump, jumpIf
    case mask, unmask, waitForInterrupt, synchronize, barrier, drainLog, spin, undefinedInstruction
    case gicv5

    /// The opcode's name (also its handler's label in the runtime listing). Spelled out rather
    /// than reflected: Embedded Swift cannot print an enum case by itself.
    public var name: String {
        switch self {
        case .end: "end"
        case .read: "read"
        case .write: "write"
        case .mmioRead: "mmioRead"
        case .mmioWrite: "mmioWrite"
        case .readBit: "readBit"
        case .writeBit: "writeBit"
        case .writePriority: "writePriority"
        case .log: "log"
        case .host: "host"
        case .hostRead: "hostRead"
        case .set: "set"
        case .add: "add"
        case .subtract: "subtract"
        case .and: "and"
        case .or: "or"
        case .shiftLeft: "shiftLeft"
        case .shiftRight: "shiftRight"
        case .store: "store"
        case .increment: "increment"
        case .jump: "jump"
        case .jumpIf: "jumpIf"
        case .mask: "mask"
        case .unmask: "unmask"
        case .waitForInterrupt: "waitForInterrupt"
        case .synchronize: "synchronize"
        case .barrier: "barrier"
        case .drainLog: "drainLog"
        case .spin: "spin"
        case .undefinedInstruction: "undefinedInstruction"
        case .gicv5: "gicv5"
        }
    }

    public var description: String { name }
}
