import CKVM
import GICVocabulary
import KVM

/// A vgic-its device: its frame, and its registers as `KVM_DEV_ARM_VGIC_GRP_ITS_REGS` shows them.
///
/// The registers follow `ITSRegister`'s table (GICVocabulary.docc/ITSRegisterMap.md): reset
/// values, read-only fields, the sanitising of GITS_CBASER and GITS_BASER<n>, the command-queue
/// offsets, the userspace hooks of GITS_IIDR and GITS_CREADR and their errnos, and
/// `KVM_DEV_ARM_ITS_CTRL_RESET`. What it does not model is the ITS's translation state: no
/// command is executed (enabling, or writing GITS_CWRITER while enabled, only advances
/// GITS_CREADR, as a queue of commands the guest never wrote), there are no devices or
/// collections, so an MSI finds no translation; table save and restore only check that a Valid
/// table lies in guest RAM.
public struct SimulatedITS: Hashable, Sendable {
    /// The ITS frame base, nil while unset.
    public internal(set) var base: UInt64?
    public internal(set) var isInitialised = false
    /// GITS_CTLR.Enabled.
    public internal(set) var enabled = false
    /// GITS_IIDR.Revision: the table ABI (only 0 exists).
    public internal(set) var abiRevision: UInt64 = 0
    public internal(set) var commandQueueBase: UInt64 = 0
    public internal(set) var commandReadOffset: UInt64 = 0
    public internal(set) var commandWriteOffset: UInt64 = 0
    /// GITS_BASER0 (device table) and GITS_BASER1 (collection table).
    public internal(set) var tableBases: [UInt64] = Array(ITSRegister.gitsBASER.reset[0..<2])

    /// `KVM_VGIC_ITS_ADDR_TYPE`.
    static let addressType = CKVM_VGIC_ITS_ADDR_TYPE
    /// The ITS frame (`KVM_VGIC_V3_ITS_SIZE`, 128 KiB), 64 KiB aligned like every vgic frame.
    static let size = CKVM_VGIC_V3_ITS_SIZE_VALUE
    /// GRP_CTRL of an ITS (`vgic_its_has_attr`): INIT, SAVE_TABLES, RESTORE_TABLES, CTRL_RESET.
    static let controlAttributes: Set<UInt64> = [
        CKVM_VGIC_CTRL_INIT, CKVM_ITS_SAVE_TABLES, CKVM_ITS_RESTORE_TABLES, CKVM_ITS_CTRL_RESET,
    ]
    /// The ABI revisions the kernel implements (`its_table_abi_versions[]`: revision 0).
    static let abiRevisions: UInt64 = 1

    // MARK: Access checks (`vgic_its_attr_regs_access`, `vgic_its_has_attr_regs`)

    /// EINVAL for a misaligned offset, ENXIO for an offset no register covers.
    static func check(offset: UInt64) -> (register: ITSRegister, index: UInt32)? {
        guard offset <= UInt64(UInt32.max) else { return nil }
        let offset32 = UInt32(offset)
        guard let register = ITSRegister.containing(offset32) else { return nil }
        return (register, (offset32 - register.offset) / register.elementSize)
    }

    static func isAligned(_ offset: UInt64) -> Bool {
        guard offset <= UInt64(UInt32.max) else { return offset & 7 == 0 }
        return offset & UInt64(ITSRegister.requiredAlignment(ofOffset: UInt32(offset)) - 1) == 0
    }

    // MARK: Registers

    /// The queue's size in bytes: (GITS_CBASER.Size + 1) × 4 KiB.
    var queueSize: UInt64 { ((commandQueueBase & 0xFF) + 1) << 12 }

    /// A read of element `index` of `register`.
    func read(_ register: ITSRegister, index: UInt32) -> UInt64 {
        switch register {
        case .gitsCTLR:
            return (commandReadOffset == commandWriteOffset ? 1 << 31 : 0) | (enabled ? 1 : 0)
        case .gitsIIDR:
            return abiRevision << 12 | (ITSRegister.gitsIIDR.reset[0] & ~0xF000)
        case .gitsCBASER:
            return commandQueueBase
        case .gitsCWRITER:
            return commandWriteOffset
        case .gitsCREADR:
            return commandReadOffset
        case .gitsBASER:
            return index < 2 ? tableBases[Int(index)] : 0
        default:
            return register.reset[Int(index)]
        }
    }

    /// A userspace write of element `index` of `register`: the errno of the two registers with a
    /// userspace hook, nil otherwise (a write the kernel ignores is a success).
    mutating func write(_ register: ITSRegister, index: UInt32, _ value: UInt64) -> Errno? {
        switch register {
        case .gitsCTLR:
            let enable = value & 1 != 0
            if !enabled && enable
                && (tableBases[0] & ITSRegister.validBit == 0 || tableBases[1] & ITSRegister.validBit == 0
                    || commandQueueBase & ITSRegister.validBit == 0)
            {
                return nil  // enabling with an invalid table is UNPREDICTABLE: ignored
            }
            enabled = enable
            processCommands()
        case .gitsIIDR:
            let revision = value >> 12 & 0xF
            if revision >= Self.abiRevisions { return .EINVAL }
            abiRevision = revision
        case .gitsCBASER:
            if enabled { return nil }
            commandQueueBase = register.stored(value) ?? 0
            commandReadOffset = 0
            commandWriteOffset = 0
        case .gitsCWRITER:
            let offset = value & ITSRegister.gitsCWRITER.writableBits
            if offset >= queueSize { return nil }
            commandWriteOffset = offset
            processCommands()
        case .gitsCREADR:
            if enabled { return .EBUSY }
            let offset = value & ITSRegister.gitsCREADR.writableBits
            if offset >= queueSize { return .EINVAL }
            commandReadOffset = offset
        case .gitsBASER:
            guard index < 2, !enabled else { return nil }
            tableBases[Int(index)] = register.stored(value, index: index) ?? 0
        default:
            break  // GITS_TYPER, the ID registers: writes ignored
        }
        return nil
    }

    /// `vgic_its_process_commands`: with the ITS enabled, every queued command is read (none is
    /// modelled) and GITS_CREADR catches up with GITS_CWRITER.
    mutating func processCommands() {
        if enabled { commandReadOffset = commandWriteOffset }
    }

    /// `vgic_its_reset`: Valid cleared in both tables (their other fields kept), no queue,
    /// disabled; the ABI revision stays.
    mutating func reset() {
        tableBases[0] &= ~ITSRegister.validBit
        tableBases[1] &= ~ITSRegister.validBit
        commandQueueBase = 0
        commandReadOffset = 0
        commandWriteOffset = 0
        enabled = false
    }

    /// The Valid tables' guest physical addresses (`GITS_BASER_ADDR_48_to_52`), device table then
    /// collection table.
    var validTableAddresses: [UInt64] {
        tableBases.filter { $0 & ITSRegister.validBit != 0 }.map { baser in
            baser & 0x0000_FFFF_FFFF_0000 | (baser >> 12 & 0xF) << 48
        }
    }

    /// Whether `address` is this ITS's frame (the MSI doorbell check, `__vgic_doorbell_to_its`).
    func owns(_ address: UInt64) -> Bool {
        guard let base else { return false }
        return address >= base && address - base < Self.size
    }
}
