/// The 64-byte header at the start of an arm64 Linux `Image` (MinimalVMM.docc/LinuxBoot.md).
public struct ArmImageHeader: Hashable, Sendable {
    /// The magic at byte 56: "ARM\x64", little-endian.
    public static let magic: UInt32 = 0x644D_5241
    /// The header's size.
    public static let size = 64

    /// Where the image goes above a 2 MiB-aligned base (0 for every kernel since 3.17 that has
    /// `image_size`; 0x80000 before).
    public var textOffset: UInt64
    /// The memory the kernel occupies from its load address, BSS included (0 on kernels older
    /// than 3.17, which then need `textOffset` 0x80000 and their file size).
    public var imageSize: UInt64
    /// Bit 0: big-endian; bits 2:1: page size (1 4K, 2 16K, 3 64K); bit 3: may be placed
    /// anywhere in memory rather than near the start of DRAM.
    public var flags: UInt64

    /// Reads the header from the first bytes of an `Image`.
    ///
    /// - Throws: `.imageTooSmall` below 64 bytes, `.notAnArm64Image` without the magic,
    ///   `.bigEndianImage` for a big-endian kernel.
    public init(_ bytes: UnsafeRawBufferPointer) throws(BootError) {
        guard bytes.count >= Self.size else { throw .imageTooSmall(bytes.count) }
        func u64(_ offset: Int) -> UInt64 {
            var value: UInt64 = 0
            for index in 0..<8 { value |= UInt64(bytes[offset + index]) << (8 * UInt64(index)) }
            return value
        }
        let magic = UInt32(truncatingIfNeeded: u64(56))
        guard magic == Self.magic else { throw .notAnArm64Image(magic: magic) }
        textOffset = u64(8)
        imageSize = u64(16)
        flags = u64(24)
        if flags & 1 != 0 { throw .bigEndianImage }
    }

    public init(textOffset: UInt64, imageSize: UInt64, flags: UInt64) {
        self.textOffset = textOffset
        self.imageSize = imageSize
        self.flags = flags
    }
}
