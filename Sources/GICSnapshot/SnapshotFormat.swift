/// The binary encoding, version 1: little-endian throughout, usable in Embedded builds.
///
/// ```
/// file     := magic[8] = "KVMGICSN" | u16 formatVersion = 1 | u16 reserved = 0
///             | u32 sectionCount | section* | u32 crc32(all bytes before it)
/// section  := u16 type | u16 sectionVersion | u32 length | payload[length]
/// ```
///
/// Sections in order: exactly one `identity`, exactly one `distributor`, one `vcpu` per vCPU,
/// at most one `its` (when the vgic has one), then any others. A reader skips (and keeps, as `ForeignSection`) sections whose type it does
/// not know, so a later version can add, say, the ITS as a new section and old readers still
/// read, print and diff the file; restore refuses such a snapshot rather than drop state. A
/// known type with a section version this reader does not know is an error.
///
/// ```
/// identity    := u8 gicVersion (2, 3, 5) | u8 0 | u16 0 | u32 iidr | u32 typer | u32 typer2
///                | u32 interruptCount | u64 distributorBase
///                | u8 redistributorKind (0 none, 1 legacy, 2 regions) | u8 0 | u16 regionCount
///                | u64 legacyBase (kind 1) or u64 regionWord × regionCount (kind 2)
///                | u32 vcpuCount | (u32 id | u32 packedAffinity | u64 gicrTyper
///                                   | u8 priorityBits | u8 0 | u16 0) × vcpuCount
/// distributor := banks
/// vcpu        := u32 position | banks
/// banks       := u32 bankCount | bank × bankCount
/// bank        := u8 kind | u8 0 | u16 0 | u32 key | u32 firstIndex | u32 count | u64 value × count
/// ```
///
/// Bank kinds and keys: 1 distributor register (key: offset), 2 redistributor register (key:
/// offset from RD_base, SGI frame at 0x10000 and up), 3 line levels (key 0), 4 CPU-interface
/// register (key: `instr`), 5 active priorities (key: group 0 or 1).
///
/// ```
/// its := u64 frameBase | u32 registerCount | (u32 offset | u32 0 | u64 value) × registerCount
/// ```
///
/// The ITS registers are named by their offset in the ITS frame, each element (GITS_BASER<n>)
/// apart; exactly those `ITSRestoreOrder` writes back, each once (`ITSState.problem`). Readers
/// older than the ITS section keep it as a foreign section and refuse to restore it.
public enum SnapshotFormat {
    /// "KVMGICSN".
    public static let magic: [UInt8] = [0x4B, 0x56, 0x4D, 0x47, 0x49, 0x43, 0x53, 0x4E]
    /// Magic, format version, reserved, section count.
    static let headerLength = 16
    /// The trailing CRC-32.
    static let trailerLength = 4

    /// The CRC-32 (IEEE, as zlib) the trailer of `bytes` would hold: over everything but the
    /// last four bytes. For tools that edit a file on purpose (fuzzers, repair).
    public static func checksum(sealing bytes: [UInt8]) -> UInt32 {
        CRC32.checksum(bytes, 0..<Swift.max(0, bytes.count - trailerLength))
    }

    /// Whether `bytes` start like a binary snapshot (any version).
    public static func looksBinary(_ bytes: [UInt8]) -> Bool {
        bytes.count >= magic.count && Array(bytes[0..<magic.count]) == magic
    }
}

/// Section types of the binary encoding.
public enum SnapshotSectionType: UInt16, Sendable {
    case identity = 1
    case distributor = 2
    case vcpu = 3
    /// The ITS's frame and registers (`ITSState`), after the vCPU sections.
    case its = 16

    /// The section version this build writes and reads.
    var version: UInt16 { 1 }
}

/// Bank kinds of the binary encoding.
enum BankKind: UInt8 {
    case distributor = 1
    case redistributor = 2
    case lineLevels = 3
    case system = 4
    case activePriorities = 5
}
