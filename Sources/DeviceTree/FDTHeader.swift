/// The 40-byte header of a flattened devicetree, all ten fields
/// (Devicetree Specification v0.4 §5.2; DeviceTree.docc/FlattenedFormat.md, "Header").
public struct FDTHeader: Hashable, Sendable {
    /// 0xd00dfeed.
    public var magic: UInt32
    /// Bytes of the whole blob, every block and padding included.
    public var totalSize: UInt32
    /// Offset of the structure block from the blob's start.
    public var structureOffset: UInt32
    /// Offset of the strings block.
    public var stringsOffset: UInt32
    /// Offset of the memory reservation block.
    public var reservationsOffset: UInt32
    /// The format's version: 17.
    public var version: UInt32
    /// The oldest version this blob is compatible with: 16.
    public var lastCompatibleVersion: UInt32
    /// The boot CPU's physical ID.
    public var bootCPUID: UInt32
    /// Bytes of the strings block.
    public var stringsSize: UInt32
    /// Bytes of the structure block.
    public var structureSize: UInt32

    public static let magic: UInt32 = 0xD00D_FEED
    /// The version this package writes, and the oldest it reads (16 has no `size_dt_struct`).
    public static let version: UInt32 = 17
    /// What it writes as `last_comp_version`: a version-16 reader can read the blob.
    public static let lastCompatibleVersion: UInt32 = 16
    /// Bytes of a version-17 header.
    public static let size = 40
    /// The memory reservation block's alignment (§5.3.1).
    public static let reservationAlignment = 8
    /// The structure block's alignment and the tokens' (§5.4.1).
    public static let structureAlignment = 4

    /// The fields in their order in the blob.
    var fields: [UInt32] {
        [magic, totalSize, structureOffset, stringsOffset, reservationsOffset, version, lastCompatibleVersion,
         bootCPUID, stringsSize, structureSize]
    }

    /// The first 40 bytes of `bytes` as a header, or nil when there are fewer.
    public init?(_ bytes: [UInt8]) {
        guard bytes.count >= Self.size else { return nil }
        magic = bytes.bigEndianUInt32(at: 0)
        totalSize = bytes.bigEndianUInt32(at: 4)
        structureOffset = bytes.bigEndianUInt32(at: 8)
        stringsOffset = bytes.bigEndianUInt32(at: 12)
        reservationsOffset = bytes.bigEndianUInt32(at: 16)
        version = bytes.bigEndianUInt32(at: 20)
        lastCompatibleVersion = bytes.bigEndianUInt32(at: 24)
        bootCPUID = bytes.bigEndianUInt32(at: 28)
        stringsSize = bytes.bigEndianUInt32(at: 32)
        structureSize = bytes.bigEndianUInt32(at: 36)
    }

    init(
        totalSize: UInt32, structureOffset: UInt32, stringsOffset: UInt32, reservationsOffset: UInt32,
        bootCPUID: UInt32, stringsSize: UInt32, structureSize: UInt32
    ) {
        magic = Self.magic
        self.totalSize = totalSize
        self.structureOffset = structureOffset
        self.stringsOffset = stringsOffset
        self.reservationsOffset = reservationsOffset
        version = Self.version
        lastCompatibleVersion = Self.lastCompatibleVersion
        self.bootCPUID = bootCPUID
        self.stringsSize = stringsSize
        self.structureSize = structureSize
    }
}
