import GuestHarness

/// Where the LPI guest cases keep their tables in guest RAM, and the values their driver
/// programs: one table, read by the guest's driver (`LPIDriver`), the model's RAM decoding and
/// the tests. All of it lies in `GuestLayout`'s tables area (the upper MiB of RAM), in 64 KiB
/// blocks: KVM's ITS supports only 64 KiB pages (`vgic_sanitise_its_baser`), so a GITS_BASER
/// address must be 64 KiB-aligned (bits 15:12 of the register are PA 51:48), and a
/// redistributor's pending table must be 64 KiB-aligned too (GICR_PENDBASER, IHI 0069 §12.11.29).
/// Conformance.docc/LPIGuest.md has the layout as a table.
enum LPIGuestLayout {
    /// The tables area's base.
    static let tables = GuestLayout.ramBase + UInt64(GuestLayout.tablesOffset)
    /// The LPI property table: one byte per LPI from INTID 8192; 8 KiB for 14 ID bits.
    static let propertyTable = tables
    /// GITS_BASER0's device table: one 64 KiB page of 8-byte entries (DeviceIDs below 8192).
    static let deviceTable = tables + 0x1_0000
    /// GITS_BASER1's collection table: one 64 KiB page.
    static let collectionTable = tables + 0x2_0000
    /// The command queue: `commandQueuePages` 4 KiB pages, 128 commands each.
    static let commandQueue = tables + 0x3_0000
    static let commandQueuePages = 2
    /// Commands the queue holds before the write offset wraps.
    static var queueSlots: Int { commandQueuePages * 0x1000 / 32 }
    /// Interrupt translation tables of the small devices: 1 KiB each (up to 7 event bits; KVM
    /// reads an ITT only to save or restore it).
    static func itt(_ device: UInt32) -> UInt64 { tables + 0x4_0000 + UInt64(device) * 0x400 }
    /// The ITT of a device with 14 event bits (for MAPI, whose EventID is the LPI): 128 KiB.
    static let wideITT = tables + 0x6_0000
    /// vCPU `vcpu`'s pending table: 64 KiB-aligned, 2 KiB used (2^14 bits).
    static func pendingTable(_ vcpu: Int) -> UInt64 { tables + 0x8_0000 + UInt64(vcpu) * 0x1_0000 }

    /// GICR_PROPBASER.IDbits + 1: LPIs 8192...16383.
    static let idBits: UInt64 = 14
    /// The first LPI.
    static let firstLPI: UInt32 = 8192
    /// A property byte: priority 0xA0 (bits 7:2), bit 1 RES1 (Linux's LPI_PROP_GROUP1), enable.
    static let enabledProperty: UInt8 = 0xA3
    static let disabledProperty: UInt8 = 0xA2
}
