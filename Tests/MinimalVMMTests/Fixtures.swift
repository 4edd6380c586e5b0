import Foundation
import GICModel
import KVM
import KVMSimulation

@testable import MinimalVMM

/// Files and kernels the MinimalVMM tests share.
enum Fixtures {
    /// A 64-byte arm64 Image header: `text_offset`, `image_size`, flags, the magic at byte 56.
    static func imageHeader(textOffset: UInt64 = 0, imageSize: UInt64 = 4 << 20, flags: UInt64 = 0xA, magic: UInt32 = ArmImageHeader.magic) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 64)
        func put(_ value: UInt64, at offset: Int, width: Int = 8) {
            for index in 0..<width { bytes[offset + index] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(index))) }
        }
        put(0x1400_0010, at: 0, width: 4)  // b +0x40: where a real image branches to stext
        put(textOffset, at: 8)
        put(imageSize, at: 16)
        put(flags, at: 24)
        put(UInt64(magic), at: 56, width: 4)
        return bytes
    }

    /// A directory with a stand-in kernel (a header and `size` bytes in all) and initramfs.
    static func payload(kernelSize: Int = 64 << 10, initrdSize: Int = 6 << 10) throws -> (kernel: String, initrd: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("minimal-vmm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let kernel = directory.appendingPathComponent("Image")
        var image = imageHeader()
        image += [UInt8](repeating: 0x5A, count: kernelSize - image.count)
        try Data(image).write(to: kernel)
        let initrd = directory.appendingPathComponent("initramfs.cpio")
        try Data([UInt8](repeating: 0xC1, count: initrdSize)).write(to: initrd)
        return (kernel.path, initrd.path)
    }

    /// A small machine for the simulated kernel: 2 vCPUs, 16 MiB of RAM.
    static let configuration = LinuxMachineConfiguration(
        vcpuCount: 2, ram: .init(address: 0x4000_0000, size: 16 << 20))
}
