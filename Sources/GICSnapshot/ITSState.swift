import GICVocabulary

/// A snapshot's ITS: where its frame is and the registers `ITSRestoreOrder` writes back.
///
/// The translation state itself (devices, ITTs, collections) is not here: `KVM_DEV_ARM_ITS_SAVE_TABLES`
/// writes it into guest RAM at the tables the registers name, and the LPIs' pending bits go to
/// the redistributors' pending tables (`KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES`). The VMM migrates
/// guest RAM; the snapshot names the ranges that hold the tables (`GICSnapshot.itsMemoryRanges`)
/// and restore refuses until the VMM declares them restored, because loading the tables from RAM
/// that does not hold them would map nothing, silently (Cloud Hypervisor #3049, e2b-dev/infra #2057).
public struct ITSState: Hashable, Sendable {
    /// The ITS frame's guest-physical base (`KVM_VGIC_ITS_ADDR_TYPE`); the target's must match,
    /// since every MSI route and every guest driver names the doorbell by address.
    public var base: UInt64
    /// The saved registers, in `ITSRestoreOrder.savedRegisters` order.
    public var registers: [ITSSavedValue]

    public init(base: UInt64, registers: [ITSSavedValue]) {
        self.base = base
        self.registers = registers
    }

    /// The saved value of `register`, if the snapshot holds it.
    public func value(_ register: ITSSavedRegister) -> UInt64? {
        registers.first { $0.register == register }?.value
    }

    /// The saved value of element `index` of `register`.
    public func value(_ register: ITSRegister, index: UInt32 = 0) -> UInt64? {
        value(ITSSavedRegister(register, index: index))
    }

    /// The first way the state contradicts itself: a register missing, repeated or not one a
    /// snapshot holds, a 32-bit register above 32 bits, or a frame base that is not 64 KiB
    /// aligned (the kernel refuses one, `vgic_check_iorange`).
    public var problem: ITSStateProblem? {
        if base & 0xFFFF != 0 { return .misalignedBase(base) }
        for (position, saved) in registers.enumerated() {
            guard ITSSavedRegister.at(offset: saved.register.offset) == saved.register else {
                return .unexpectedRegister(offset: saved.register.offset)
            }
            if registers[..<position].contains(where: { $0.register == saved.register }) {
                return .unexpectedRegister(offset: saved.register.offset)
            }
            if saved.register.register.width == .bits32 && saved.value > UInt64(UInt32.max) {
                return .valueTooWide(saved.register, saved.value)
            }
        }
        for register in ITSRestoreOrder.savedRegisters where value(register) == nil { return .missingRegister(register) }
        return nil
    }
}

/// One saved ITS register element and its value.
public struct ITSSavedValue: Hashable, Sendable {
    public var register: ITSSavedRegister
    public var value: UInt64

    public init(_ register: ITSSavedRegister, _ value: UInt64) {
        self.register = register
        self.value = value
    }
}

/// Why a snapshot's ITS state contradicts itself (`ITSState.problem`).
public enum ITSStateProblem: Hashable, Sendable, CustomStringConvertible {
    case missingRegister(ITSSavedRegister)
    /// A register a snapshot does not hold, or one held twice, at frame offset `offset`.
    case unexpectedRegister(offset: UInt32)
    case valueTooWide(ITSSavedRegister, UInt64)
    case misalignedBase(UInt64)
    /// The identity says the vgic has an ITS (GICD_TYPER.LPIS) and there is no ITS state, or the
    /// other way round.
    case presence(identity: Bool, state: Bool)

    public var description: String {
        switch self {
        case .missingRegister(let register): "the ITS lacks \(register)"
        case .unexpectedRegister(let offset): "the ITS holds an unexpected or repeated register at offset \(hex(offset))"
        case .valueTooWide(let register, let value): "\(register) = \(hex(value)) does not fit 32 bits"
        case .misalignedBase(let base): "ITS frame base \(hex(base)) is not 64 KiB aligned"
        case .presence(let identity, let state):
            "GICD_TYPER.LPIS says \(identity ? "an ITS" : "no ITS"), the snapshot has \(state ? "ITS state" : "none")"
        }
    }
}
