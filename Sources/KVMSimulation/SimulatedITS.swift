import CKVM
import GICModel
import GICVocabulary
import KVM

/// A vgic-its device: its frame and the ITS model (`ITSModel`, GICModel.docc/ITSModel.md) that
/// answers its registers, runs its command queue from the VM's guest RAM, translates MSIs and
/// saves and restores its tables there, as `vgic-its.c` does.
///
/// The LPIs it maps live in the VM's vgic model (`SimulatedVM.gicv3`); before CTRL_INIT of the
/// vgic there is none, and an ITS command that needs one finds a throwaway vgic without vCPUs.
public struct SimulatedITS: Hashable, Sendable {
    /// The ITS frame base, nil while unset.
    public internal(set) var base: UInt64?
    public internal(set) var isInitialised = false
    /// The ITS's state: registers, devices, collections, translation cache.
    public internal(set) var model: ITSModel

    init(kernel: KernelBehaviour) {
        model = ITSModel(kernel: kernel)
    }

    /// GITS_CTLR.Enabled.
    public var enabled: Bool { model.enabled }

    /// `KVM_VGIC_ITS_ADDR_TYPE`.
    static let addressType = CKVM_VGIC_ITS_ADDR_TYPE
    /// The ITS frame (`KVM_VGIC_V3_ITS_SIZE`, 128 KiB), 64 KiB aligned like every vgic frame.
    static let size = CKVM_VGIC_V3_ITS_SIZE_VALUE
    /// GRP_CTRL of an ITS (`vgic_its_has_attr`): INIT, SAVE_TABLES, RESTORE_TABLES, CTRL_RESET.
    static let controlAttributes: Set<UInt64> = [
        CKVM_VGIC_CTRL_INIT, CKVM_ITS_SAVE_TABLES, CKVM_ITS_RESTORE_TABLES, CKVM_ITS_CTRL_RESET,
    ]

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

    /// A read of element `index` of `register`.
    func read(_ register: ITSRegister, index: UInt32) -> UInt64 {
        let value = model.registerValue(at: register.offset + index * register.elementSize)
        return register.width == .bits32 ? value & 0xFFFF_FFFF : value
    }

    /// Whether `address` is this ITS's frame (the MSI doorbell check, `__vgic_doorbell_to_its`).
    func owns(_ address: UInt64) -> Bool {
        guard let base else { return false }
        return ITSModel.isDoorbell(address, base: base)
    }
}
