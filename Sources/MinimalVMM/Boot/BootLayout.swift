import DeviceTree

/// Where the kernel, its initramfs and the devicetree go in guest RAM (MinimalVMM.docc/LinuxBoot.md).
///
/// The kernel at RAM base + `text_offset` (the base is 2 MiB-aligned); the initramfs on the
/// next page after the kernel's `image_size`, so the kernel's BSS and early allocations never
/// overlap it; the devicetree in the last 2 MiB of RAM, on a 2 MiB boundary, so no other
/// content shares its 2 MiB block.
public struct BootLayout: Hashable, Sendable {
    public var ram: AddressRange
    /// The kernel's load address and the memory it occupies (`image_size`).
    public var kernel: AddressRange
    public var initrd: AddressRange
    public var deviceTree: AddressRange

    /// The 2 MiB alignment of the load base and the devicetree's block.
    public static let block: UInt64 = 2 << 20
    /// The largest devicetree blob the boot protocol allows.
    public static let deviceTreeLimit = 2 << 20

    /// Places a kernel with `header` (and `fileSize` bytes of image), an initramfs of
    /// `initrdSize` bytes and a devicetree of `deviceTreeSize` bytes in `ram`.
    public static func plan(
        ram: AddressRange, header: ArmImageHeader, fileSize: Int, initrdSize: Int, deviceTreeSize: Int
    ) throws(BootError) -> BootLayout {
        guard ram.address % block == 0 else { throw .unalignedRAM(base: ram.address) }
        guard deviceTreeSize <= deviceTreeLimit else { throw .deviceTreeTooLarge(deviceTreeSize) }
        let kernelSize = max(header.imageSize, UInt64(fileSize))
        let kernel = AddressRange(address: ram.address + header.textOffset, size: kernelSize)
        let initrdBase = (kernel.address + kernel.size + 0xFFF) & ~0xFFF
        let initrd = AddressRange(address: initrdBase, size: UInt64(initrdSize))
        let deviceTreeBase = ram.size >= block ? ram.address + ram.size - block : ram.address
        let needed = initrdBase + UInt64(initrdSize) - ram.address + block
        guard ram.size >= block, initrd.address + initrd.size <= deviceTreeBase else {
            throw .doesNotFit(needed: needed, ram: ram.size)
        }
        return BootLayout(
            ram: ram, kernel: kernel, initrd: initrd,
            deviceTree: AddressRange(address: deviceTreeBase, size: UInt64(deviceTreeSize)))
    }
}
