import GICVocabulary
import GuestHarness

/// Where the lab's ITS scenarios keep the LPI and ITS tables: the upper mebibyte of the harness's
/// 2 MiB of guest RAM (`GuestLayout.tablesOffset`), 64 KiB-aligned where the registers demand it
/// (Conformance.docc/ITSLab.md).
///
/// | offset | table | register |
/// |---|---|---|
/// | 0x10_0000 | LPI property table, 64 KiB (LPIs 8192–65535) | GICR_PROPBASER, IDbits 15 |
/// | 0x11_0000 + 64 KiB × n | vCPU n's pending table (n < 4) | GICR_PENDBASER |
/// | 0x15_0000 | collection table, one 64 KiB page | GITS_BASER1 |
/// | 0x16_0000 | command queue, 4 KiB (128 commands) | GITS_CBASER, Size 0 |
/// | 0x17_0000 + 256 × (d mod 64) | device d's ITT (up to 32 events) | MAPD |
/// | 0x1F_0000 | device table, two 64 KiB pages, the second beyond RAM | GITS_BASER0, Size 1 |
///
/// The device table's second page lies past the end of guest RAM, so DeviceIDs 8192 and up have
/// no entry there (`vgic_its_check_id` refuses them): a MAPD for one is the "device out of range"
/// command error.
enum ITSLabLayout {
    static let ram = GuestLayout.ramBase
    static let ramBytes = UInt64(GuestLayout.ramBytes)
    static let tables = ram + UInt64(GuestLayout.tablesOffset)
    static let tablesBytes = GuestLayout.tablesBytes

    static let propertyTable = tables
    static func pendingTable(_ vcpu: Int) -> UInt64 { tables + 0x1_0000 + UInt64(vcpu) * 0x1_0000 }
    static let collectionTable = tables + 0x5_0000
    static let commandQueue = tables + 0x6_0000
    static let commandQueueBytes: UInt64 = 0x1000
    static func itt(_ device: UInt32) -> UInt64 { tables + 0x7_0000 + UInt64(device % 64) * 0x100 }
    static let deviceTable = tables + 0xF_0000

    /// The most vCPUs with a pending table here.
    static let maximumVCPUs = 4

    /// GICR_PROPBASER: the property table with 16 ID bits.
    static let propbaser: UInt64 = propertyTable | 15
    /// GITS_BASER0, GITS_BASER1 and GITS_CBASER, Valid.
    static let deviceTableBase = ITSRegister.validBit | deviceTable | 1
    static let collectionTableBase = ITSRegister.validBit | collectionTable
    static let commandQueueBase = ITSRegister.validBit | commandQueue

    /// The ITS frame (the device-interrupt families' address).
    static let its = DeviceInterruptLab.itsBase

    /// The property byte of an enabled LPI with priority `priority`.
    static func property(priority: UInt8, enabled: Bool = true) -> UInt8 { priority & 0xFC | (enabled ? 1 : 0) }
}
