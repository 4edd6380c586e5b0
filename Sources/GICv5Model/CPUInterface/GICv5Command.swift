import GICVocabulary

/// One `GIC CD*` instruction with its decoded operand: the guest's configuration and completion
/// commands (GICv5Model.docc/GICv5Architecture.md).
///
/// Operand layouts (QEMU `FIELD(GIC_CD…)`, Linux selftest `gic_v5.h`): every operand carries the
/// target's ID in [23:0] and TYPE in [31:29]; CDPRI adds PRIORITY [39:35], CDAFF IRM bit 28 and
/// IAFFID [47:32], CDPEND PENDING bit 32, CDHM HM bit 32. CDEOI takes no operand.
public enum GICv5Command: Hashable, Sendable {
    case enable(GICv5InterruptID)
    case disable(GICv5InterruptID)
    case setPriority(GICv5InterruptID, priority: UInt8)
    case setAffinity(GICv5InterruptID, iaffid: UInt16, routing: GICv5RoutingMode)
    case setPending(GICv5InterruptID, pending: Bool)
    case setHandlingMode(GICv5InterruptID, GICv5HandlingMode)
    case requestConfig(GICv5InterruptID)
    case deactivate(GICv5InterruptID)
    case priorityDrop

    /// Decodes the operand of `instruction`. The ID and TYPE fields must form a valid INTID (TYPE
    /// 1–3, a PPI ID below 128), else `.value(…)` is thrown; other bits are ignored, as the fields
    /// around them are RES0. The acknowledge and barrier instructions are not commands and throw
    /// `.outOfRange(what: .commandOperand, …)`.
    public init(_ instruction: GICv5Instruction, operand: UInt64) throws(GICv5ModelError) {
        if instruction == .cdeoi {
            self = .priorityDrop
            return
        }
        let id: GICv5InterruptID
        do {
            id = try GICv5InterruptID(type: GICv5InterruptType(field: UInt32(truncatingIfNeeded: operand >> 29) & 0x7),
                                      id: UInt32(truncatingIfNeeded: operand) & GICv5InterruptID.idMask)
        } catch {
            throw .value(error)
        }
        switch instruction {
        case .cden: self = .enable(id)
        case .cddis: self = .disable(id)
        case .cdpri: self = .setPriority(id, priority: UInt8(truncatingIfNeeded: operand >> 35) & 0x1F)
        case .cdaff:
            self = .setAffinity(id, iaffid: UInt16(truncatingIfNeeded: operand >> 32),
                                routing: operand & (1 << 28) != 0 ? .oneOfN : .targeted)
        case .cdpend: self = .setPending(id, pending: operand & (1 << 32) != 0)
        case .cdhm: self = .setHandlingMode(id, GICv5HandlingMode(hmBit: operand & (1 << 32) != 0))
        case .cdrcfg: self = .requestConfig(id)
        case .cddi: self = .deactivate(id)
        case .cdeoi: self = .priorityDrop
        case .gsbSys, .gsbAck, .cdia, .cdnmia:
            throw .outOfRange(what: .commandOperand, value: operand, allowed: 0...0)
        }
    }

    /// The instruction that carries the command.
    public var instruction: GICv5Instruction {
        switch self {
        case .enable: return .cden
        case .disable: return .cddis
        case .setPriority: return .cdpri
        case .setAffinity: return .cdaff
        case .setPending: return .cdpend
        case .setHandlingMode: return .cdhm
        case .requestConfig: return .cdrcfg
        case .deactivate: return .cddi
        case .priorityDrop: return .cdeoi
        }
    }

    /// The 64-bit operand.
    public var operand: UInt64 {
        switch self {
        case let .enable(id), let .disable(id), let .requestConfig(id), let .deactivate(id):
            return UInt64(id.rawValue)
        case let .setPriority(id, priority):
            return UInt64(id.rawValue) | UInt64(priority & 0x1F) << 35
        case let .setAffinity(id, iaffid, routing):
            return UInt64(id.rawValue) | (routing == .oneOfN ? 1 << 28 : 0) | UInt64(iaffid) << 32
        case let .setPending(id, pending):
            return UInt64(id.rawValue) | (pending ? 1 << 32 : 0)
        case let .setHandlingMode(id, mode):
            return UInt64(id.rawValue) | (mode == .level ? 1 << 32 : 0)
        case .priorityDrop:
            return 0
        }
    }
}
