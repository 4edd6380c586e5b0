import DeviceTree
import Foundation
import Testing

@testable import MinimalVMM

/// The arm64 Image header and where kernel, initramfs and devicetree go
/// (MinimalVMM.docc/LinuxBoot.md).
@Suite("Linux boot layout")
struct BootTests {
    static func header(_ bytes: [UInt8]) throws(BootError) -> ArmImageHeader {
        let result: Result<ArmImageHeader, BootError> = bytes.withUnsafeBytes { raw in
            do throws(BootError) { return .success(try ArmImageHeader(raw)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    @Test("the header's text_offset, image_size and flags, little-endian")
    func parse() throws {
        let header = try Self.header(Fixtures.imageHeader(textOffset: 0x8_0000, imageSize: 0x2DB_0000, flags: 0xA))
        #expect(header == ArmImageHeader(textOffset: 0x8_0000, imageSize: 0x2DB_0000, flags: 0xA))
    }

    @Test("refused: fewer than 64 bytes, no ARM\\x64 magic (a compressed vmlinuz), a big-endian kernel")
    func refusals() {
        #expect(throws: BootError.imageTooSmall(63)) { try Self.header(Array(Fixtures.imageHeader().prefix(63))) }
        #expect(throws: BootError.notAnArm64Image(magic: 0x0008_8B1F)) {
            try Self.header(Fixtures.imageHeader(magic: 0x0008_8B1F))
        }
        #expect(throws: BootError.bigEndianImage) { try Self.header(Fixtures.imageHeader(flags: 0xB)) }
    }

    @Test(
        "the Debian kernels the lab boots: text_offset 0, image_size beyond the file (BSS), 4K pages, little-endian",
        .enabled(if: BootTests.cachedImages.count > 0, "no lab kernel in ~/.cache/swift-kvm-gic/kernels"))
    func debianImages() throws {
        for path in Self.cachedImages {
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)).prefix(64))
            let header = try Self.header(bytes)
            let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
            #expect(header.textOffset == 0, "\(path)")
            #expect(header.imageSize > UInt64(size), "\(path)")
            #expect(header.flags & 0x7 == 0x2, "\(path): little-endian, 4K pages")
        }
    }

    static let cachedImages: [String] = {
        let root = FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/swift-kvm-gic/kernels")
        guard let walk = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return [] }
        var found: [String] = []
        for case let url as URL in walk where url.lastPathComponent == "Image" { found.append(url.path) }
        return found
    }()

    @Test("kernel at base + text_offset, initramfs on the page after image_size, devicetree in the last 2 MiB block")
    func layout() throws {
        let ram = AddressRange(address: 0x4000_0000, size: 256 << 20)
        let layout = try BootLayout.plan(
            ram: ram, header: ArmImageHeader(textOffset: 0, imageSize: 0x2DB_0123, flags: 0xA), fileSize: 44_283_840,
            initrdSize: 601_088, deviceTreeSize: 2_048)
        #expect(layout.kernel == AddressRange(address: 0x4000_0000, size: 0x2DB_0123))
        #expect(layout.initrd == AddressRange(address: 0x42DB_1000, size: 601_088))
        #expect(layout.deviceTree == AddressRange(address: 0x4FE0_0000, size: 2_048))
        #expect(layout.deviceTree.address % 8 == 0)
    }

    @Test("an image without image_size occupies at least its file; text_offset moves it up")
    func oldImage() throws {
        let layout = try BootLayout.plan(
            ram: AddressRange(address: 0x8000_0000, size: 64 << 20), header: ArmImageHeader(textOffset: 0x8_0000, imageSize: 0, flags: 0),
            fileSize: 0x100_0001, initrdSize: 10, deviceTreeSize: 10)
        #expect(layout.kernel == AddressRange(address: 0x8008_0000, size: 0x100_0001))
        #expect(layout.initrd.address == 0x8108_1000)
    }

    @Test("refused: RAM not 2 MiB-aligned, a devicetree over 2 MiB, more than the RAM holds")
    func layoutRefusals() {
        let header = ArmImageHeader(textOffset: 0, imageSize: 8 << 20, flags: 0xA)
        #expect(throws: BootError.unalignedRAM(base: 0x4010_0000)) {
            try BootLayout.plan(ram: AddressRange(address: 0x4010_0000, size: 64 << 20), header: header, fileSize: 1, initrdSize: 1, deviceTreeSize: 1)
        }
        #expect(throws: BootError.deviceTreeTooLarge((2 << 20) + 1)) {
            try BootLayout.plan(
                ram: AddressRange(address: 0x4000_0000, size: 64 << 20), header: header, fileSize: 1, initrdSize: 1,
                deviceTreeSize: (2 << 20) + 1)
        }
        #expect(throws: BootError.doesNotFit(needed: (8 << 20) + (6 << 20) + (2 << 20), ram: 14 << 20)) {
            try BootLayout.plan(
                ram: AddressRange(address: 0x4000_0000, size: 14 << 20), header: header, fileSize: 1, initrdSize: 6 << 20, deviceTreeSize: 1)
        }
    }
}
