import GICVocabulary

/// The IRS's configuration frame (the non-secure `ns-config` frame, 64 KiB) as software at EL1 sees
/// it through 32-bit accesses: identification, IRS_CR0, SPI configuration by IRS_SPI_SELR, the PE
/// selector, and the interrupt state table (IRS_IST_BASER, IRS_IST_CFGR, IRS_MAP_L2_ISTR), acting
/// on the `GICv5IRS` it holds (GICv5Model.docc/GICv5Architecture.md, the IRS; offsets from Linux
/// `arm-gic-v5.h` and QEMU `arm_gicv5.c`).
///
/// Every change takes effect at once and every IDLE bit reads 1, as in QEMU ("writes take effect
/// instantaneously"). Offsets the model does not know read 0 and ignore writes (RAZ/WI, as the
/// specification asks of reserved registers).
public struct GICv5IRSConfigFrame: Hashable, Sendable {
    /// Register offsets.
    public enum Offset {
        public static let idr0: UInt32 = 0x00
        public static let cr0: UInt32 = 0x80
        public static let cr1: UInt32 = 0x84
        public static let syncr: UInt32 = 0xC0
        public static let syncStatus: UInt32 = 0xC4
        public static let spiSelect: UInt32 = 0x108
        public static let spiResample: UInt32 = 0x110
        public static let spiConfig: UInt32 = 0x114
        public static let spiStatus: UInt32 = 0x118
        public static let peSelect: UInt32 = 0x140
        public static let peStatus: UInt32 = 0x144
        public static let istBase: UInt32 = 0x180
        public static let istBaseHigh: UInt32 = 0x184
        public static let istConfig: UInt32 = 0x190
        public static let istStatus: UInt32 = 0x194
        public static let mapLevel2: UInt32 = 0x1C0
    }

    public var irs: GICv5IRS
    /// IAFFIDs of the PEs this IRS serves (IRS_PE_SELR is valid for these).
    public let peIAFFIDs: [UInt16]
    var spiSelect: UInt32 = 0
    var peSelect: UInt32 = 0
    var control1: UInt32 = 0
    var istBase: UInt64 = 0

    /// IRS_IST_BASER.ADDR: the linear IST or the two-level IST's L1 table.
    public var stateTableBase: UInt64 { istBase & 0x00FF_FFFF_FFFF_FFC0 }
    var istConfig: UInt32 = 0

    /// A frame over `irs` (whose `implementation` supplies the identification and limits).
    public init(irs: GICv5IRS, peIAFFIDs: [UInt16] = [0]) {
        self.irs = irs
        self.peIAFFIDs = peIAFFIDs
    }

    /// A 32-bit read at `offset`.
    public func read(_ offset: UInt32) -> UInt32 {
        let identification = irs.implementation.identification
        switch offset {
        case 0x00...0x1C where offset % 4 == 0:
            let index = Int(offset / 4)
            return index < identification.count ? identification[index] : 0
        case Offset.cr0: return (irs.enabled ? 1 : 0) | 0b10            // IRSEN, IDLE
        case Offset.cr1: return control1
        case Offset.syncStatus, Offset.istStatus: return 1              // IDLE
        case Offset.spiStatus: return (selectedSPI != nil ? 0b10 : 0) | 1  // V, IDLE
        case Offset.spiConfig:
            guard let id = selectedSPI else { return 0 }
            return UInt32(irs.spis[Int(id)].triggerMode.rawValue)
        case Offset.peSelect: return peSelect
        case Offset.peStatus:
            return peIAFFIDs.contains(UInt16(truncatingIfNeeded: peSelect)) && peSelect <= 0xFFFF ? 0b111 : 0b1  // IDLE, V, ONLINE
        case Offset.istBase: return UInt32(truncatingIfNeeded: istBase)
        case Offset.istBaseHigh: return UInt32(truncatingIfNeeded: istBase >> 32)
        case Offset.istConfig: return istConfig
        default: return 0
        }
    }

    /// A 32-bit write of `value` at `offset`.
    public mutating func write(_ offset: UInt32, _ value: UInt32) {
        switch offset {
        case Offset.cr0: irs.enabled = value & 1 != 0
        case Offset.cr1: control1 = value
        case Offset.spiSelect: spiSelect = value & 0xFF_FFFF
        case Offset.spiConfig:
            guard let id = selectedSPI else { return }
            try? irs.setTriggerMode(spi: id, value & 1 != 0 ? .level : .edge)
        case Offset.spiResample:
            try? irs.resample(spi: value & 0xFF_FFFF)
        case Offset.peSelect: peSelect = value
        case Offset.istBase: writeISTBase(istBase & ~0xFFFF_FFFF | UInt64(value))
        case Offset.istBaseHigh: writeISTBase(istBase & 0xFFFF_FFFF | UInt64(value) << 32)
        case Offset.istConfig:
            // Read-only while the IST is valid.
            if istBase & 1 == 0 { istConfig = value }
        case Offset.mapLevel2: irs.mapLevel2Table(containing: value & 0xFF_FFFF)
        default: break
        }
    }

    /// The SPI IRS_SPI_SELR names, if this IRS has it.
    var selectedSPI: UInt32? {
        Int(spiSelect) < irs.spiCount ? spiSelect : nil
    }

    /// IRS_IST_BASER: VALID 0, ADDR [55:6]. While VALID is set only VALID can change (a write
    /// keeping it set is ignored); setting it takes IRS_IST_CFGR as the table's shape, an
    /// LPI_ID_BITS below the implementation's minimum acting as the minimum and a reserved size
    /// as the smallest (QEMU `irs_ist_baser_write`).
    mutating func writeISTBase(_ value: UInt64) {
        if istBase & 1 != 0 {
            guard value & 1 == 0 else { return }
            istBase &= ~1
            irs.configureStateTable(nil)
            return
        }
        istBase = value & 0x00FF_FFFF_FFFF_FFC1
        guard value & 1 != 0 else { return }
        let minimum = UInt32(irs.implementation.minimumLPIIDBits)
        let idBits = min(max(istConfig & 0x1F, minimum), 24)
        var l2sz = (istConfig >> 5) & 3
        var istsz = (istConfig >> 7) & 3
        if l2sz == 3 { l2sz = 0 }
        if istsz == 3 { istsz = 0 }
        let config = idBits | l2sz << 5 | istsz << 7 | (istConfig & (1 << 16))
        irs.configureStateTable(try? ISTGeometry(configRegister: config))
    }
}
