/// One register (or bank) of a GICv3 ITS as KVM's `KVM_DEV_ARM_VGIC_GRP_ITS_REGS` exposes it.
///
/// The facts live in one place, `ITSRegister+Table.swift` (style.md: a reader finds any
/// register's offset, width and restore rule there). Unlike DIST_REGS and REDIST_REGS, the ITS
/// group moves a `__u64` for every register and a 64-bit register only whole: the attr is the
/// offset, which must be 8-aligned for the 64-bit registers (GITS_TYPER … GITS_BASER7) and
/// 4-aligned for the others, else EINVAL (`vgic_its_attr_regs_access`;
/// GICVocabulary.docc/ITSRegisterMap.md). Identity is the offset.
public struct ITSRegister: Sendable, CustomStringConvertible {
    /// The architectural name; for a bank, without the index ("GITS_BASER").
    public let name: StaticString
    /// Offset of the first byte from the ITS frame base (ITS_base).
    public let offset: UInt32
    /// Bytes covered, as in `its_registers[]`: 4, 8, 0x40 for the eight GITS_BASER<n>, 0x30 for
    /// the ID registers.
    public let length: UInt32
    /// Width of each element: one userspace access moves one element.
    public let width: AccessWidth
    /// What userspace reads and writes do.
    public let uaccess: ITSUAccess
    /// The bits a userspace write controls (each element's), before the kernel sanitises the
    /// shareability and cacheability fields; zero for registers whose writes change nothing.
    public let writableBits: UInt64
    /// Each element's value on a freshly created ITS (`vgic_its_create`) and after
    /// `KVM_DEV_ARM_ITS_CTRL_RESET` (`vgic_its_reset`), except where `resetAfterCTRLReset` says
    /// otherwise.
    public let reset: [UInt64]
    /// How an ITS snapshot treats it.
    public let restore: ITSRestoreRule

    init(_ name: StaticString, offset: UInt32, length: UInt32? = nil, width: AccessWidth, uaccess: ITSUAccess,
         writable: UInt64, reset: [UInt64], restore: ITSRestoreRule) {
        self.name = name
        self.offset = offset
        self.width = width
        self.length = length ?? width.rawValue / 8
        self.uaccess = uaccess
        self.writableBits = writable
        self.reset = reset
        self.restore = restore
    }

    /// Bytes per element: 8 for 64-bit registers, else 4.
    public var elementSize: UInt32 { width.rawValue / 8 }

    /// How many elements the register has (8 for GITS_BASER, 12 ID registers).
    public var count: UInt32 { length / elementSize }

    /// What a userspace access does to element `index`: GITS_BASER2…7 are RAZ/WI, every other
    /// element behaves as its register.
    public func uaccess(ofElement index: UInt32) -> ITSUAccess {
        uaccess == .tableBase && index >= 2 ? .razWI : uaccess
    }

    /// The attr offsets it occupies.
    public var offsets: Range<UInt32> { offset..<(offset + length) }

    /// The offset of element `index`, or nil past the last.
    public func offset(ofElement index: UInt32) -> UInt32? {
        index < count ? offset + index * elementSize : nil
    }

    /// The alignment the kernel demands of an ITS_REGS attr offset: 8 from GITS_TYPER up to (not
    /// including) the ID registers, 4 elsewhere (`vgic_its_attr_regs_access`,
    /// `vgic_its_has_attr_regs`). A misaligned offset is EINVAL before anything else is checked.
    public static func requiredAlignment(ofOffset offset: UInt32) -> UInt32 {
        offset < ITSRegister.gitsTYPER.offset || offset >= ITSRegister.gitsIDREGS.offset ? 4 : 8
    }

    /// The register whose region holds `offset` (`vgic_find_mmio_region` over `its_registers[]`);
    /// nil for an offset no register covers (ENXIO).
    public static func containing(_ offset: UInt32) -> ITSRegister? {
        all.first { $0.offsets.contains(offset) }
    }

    /// What the kernel stores for a GITS_CBASER or GITS_BASER<n> value whose fixed fields are
    /// already in place (`vgic_sanitise_its_cbaser`, `vgic_sanitise_its_baser` with
    /// `vgic_sanitise_field`): shareability (11:10) Outer becomes Inner; inner cacheability
    /// (61:59) nCnB and nC become RaWb; outer cacheability (55:53) other than SameAsInner and nC
    /// becomes SameAsInner.
    public static func sanitised(_ value: UInt64) -> UInt64 {
        var result = value
        if result >> 10 & 3 == 2 { result = result & ~(3 << 10) | 1 << 10 }
        let inner = result >> 59 & 7
        if inner == 0 || inner == 1 { result = result & ~(7 << 59) | 3 << 59 }
        let outer = result >> 53 & 7
        if outer != 0 && outer != 1 { result &= ~(7 << 53) }
        return result
    }

    /// What element `index` of `register` reads after a userspace write of `value` to a disabled
    /// ITS, for the registers a write stores (GITS_CBASER, GITS_BASER0/1, the command offsets,
    /// GITS_CTLR.Enabled aside): the writable bits of `value`, the fixed bits of the reset value,
    /// sanitised; nil for the others.
    public func stored(_ value: UInt64, index: UInt32 = 0) -> UInt64? {
        switch uaccess(ofElement: index) {
        case .commandQueueBase:
            return ITSRegister.sanitised(value & writableBits)
        case .tableBase:
            let writable = writableBits & (index == 1 ? ~ITSRegister.collectionTableFixedBits : ~0)
            return ITSRegister.sanitised(value & writable | reset[Int(index)] & ~writableBits)
        case .commandWriter, .commandReader:
            return value & writableBits
        default:
            return nil
        }
    }

    public var description: String { "\(name)" }
}

extension ITSRegister: Hashable {
    public static func == (lhs: ITSRegister, rhs: ITSRegister) -> Bool { lhs.offset == rhs.offset }
    public func hash(into hasher: inout Hasher) { hasher.combine(offset) }
}

/// What a userspace access through `KVM_DEV_ARM_VGIC_GRP_ITS_REGS` does to an ITS register
/// (`its_registers[]` in `arch/arm64/kvm/vgic/vgic-its.c`, their `its_write` and
/// `uaccess_its_write` hooks).
public enum ITSUAccess: Hashable, Sendable {
    /// GITS_CTLR: Enabled (bit 0) is written, but enabling is ignored unless GITS_CBASER and both
    /// GITS_BASER0/1 are Valid; Quiescent (bit 31) reads 1 while GITS_CREADR equals GITS_CWRITER.
    /// Disabling drops the translation cache; enabling processes queued commands.
    case control
    /// GITS_IIDR: reads the ABI revision (bits 15:12), KVM's product id and Arm's implementer; a
    /// userspace write selects the revision, EINVAL for any the kernel lacks (only 0 exists),
    /// and changes nothing else.
    case abiRevision
    /// Read-only: writes are ignored (GITS_TYPER, the ID registers).
    case readOnly
    /// GITS_CBASER: ignored while the ITS is enabled; else stored with shareability and
    /// cacheability sanitised and bits 15:12 cleared (64 KiB-aligned), and GITS_CREADR and
    /// GITS_CWRITER reset to 0.
    case commandQueueBase
    /// GITS_CWRITER: keeps bits 19:5 (a 32-byte command offset); a value at or beyond the queue
    /// size ((CBASER.Size + 1) × 4 KiB) is ignored; with the ITS enabled, the queued commands run.
    case commandWriter
    /// GITS_CREADR: read-only to a guest; a userspace write keeps bits 19:5, EBUSY while the ITS
    /// is enabled, EINVAL at or beyond the queue size (`vgic_mmio_uaccess_write_its_creadr`).
    case commandReader
    /// GITS_BASER0 (device table) and GITS_BASER1 (collection table): ignored while enabled; Type
    /// and Entry_Size are the kernel's, the page size is forced to 64 KiB, shareability and
    /// cacheability are sanitised, and the collection table drops Indirect. A changed value
    /// forgets the table's devices or collections.
    case tableBase
    /// GITS_BASER2…7: no table behind them; read as zero, writes ignored.
    case razWI
}

/// How an ITS snapshot saves and restores a register, in the order the kernel documents
/// (arm-vgic-its.rst "ITS Restore Sequence") and QEMU follows (`kvm_arm_its_post_load`).
public enum ITSRestoreRule: Hashable, Sendable {
    /// GITS_IIDR: written first; its revision selects the table layout RESTORE_TABLES reads.
    case abiRevision
    /// GITS_CBASER: before GITS_CREADR and GITS_CWRITER, since writing it resets both.
    case queueBase
    /// Written back before RESTORE_TABLES (GITS_CREADR after GITS_CBASER, GITS_CWRITER, the
    /// GITS_BASER<n>).
    case writeBack
    /// GITS_CTLR: written last, after RESTORE_TABLES (enabling the ITS runs queued commands).
    case afterTables
    /// Compared, not written: the target must report the same (GITS_TYPER).
    case identity
    /// Not saved: nothing a write changes (the ID registers, GITS_BASER2…7).
    case notSaved
}
