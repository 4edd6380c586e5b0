import GICVocabulary

/// Why a Linux guest could not be loaded.
public enum BootError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Fewer bytes than the 64-byte image header.
    case imageTooSmall(Int)
    /// No "ARM\x64" at byte 56: not an arm64 `Image` (a compressed `vmlinuz`, an EFI zboot image).
    case notAnArm64Image(magic: UInt32)
    /// The header's flag bit 0: a big-endian kernel.
    case bigEndianImage
    /// The RAM's base is not 2 MiB-aligned, as the kernel's load address must be.
    case unalignedRAM(base: UInt64)
    /// Kernel, initramfs and devicetree do not fit the RAM.
    case doesNotFit(needed: UInt64, ram: UInt64)
    /// The devicetree blob is larger than the 2 MiB the boot protocol allows.
    case deviceTreeTooLarge(Int)
    /// A file could not be read (errno).
    case file(path: String, errno: Int32)

    public var description: String {
        switch self {
        case .imageTooSmall(let count): "the image has \(count) bytes, fewer than its 64-byte header"
        case .notAnArm64Image(let magic): "no arm64 Image magic (found \(hex(magic))): not an uncompressed arm64 Image"
        case .bigEndianImage: "the image is a big-endian kernel"
        case .unalignedRAM(let base): "RAM at \(hex(base)) is not 2 MiB-aligned"
        case .doesNotFit(let needed, let ram): "kernel, initramfs and devicetree need \(needed) bytes of RAM, which has \(ram)"
        case .deviceTreeTooLarge(let count): "the devicetree blob has \(count) bytes, more than 2 MiB"
        case .file(let path, let errno): "reading \(path): errno \(errno)"
        }
    }
}
