import Foundation
@testable import GuestHarness
import Testing

/// The whole runtime, word for word, against GNU as: the runtime's listing is assembled by
/// `aarch64-linux-gnu-as` and its `.text` must equal the image this package loads into guests.
@Suite("Guest runtime against GNU as")
struct RuntimeListingTests {
    /// Runs a tool, returning its exit status.
    func run(_ tool: String, _ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    static var binutils: Bool {
        FileManager.default.isExecutableFile(atPath: "/usr/bin/aarch64-linux-gnu-as")
            && FileManager.default.isExecutableFile(atPath: "/usr/bin/aarch64-linux-gnu-objcopy")
    }

    @Test(
        "the runtime image is exactly what GNU as makes of its listing, for both transports",
        .enabled(if: binutils, "needs binutils-aarch64-linux-gnu (Scripts/lab/install-host-packages.sh installs it)"),
        arguments: [GuestTransport.mmioExits, .virtUART])
    func runtimeMatchesGNUAs(transport: GuestTransport) throws {
        let image = try GuestRuntime.image(transport: transport)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("guest-runtime-\(getpid())-\(transport == .mmioExits ? "mmio" : "uart")")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = folder.appendingPathComponent("runtime.s")
        let object = folder.appendingPathComponent("runtime.o")
        let binary = folder.appendingPathComponent("runtime.bin")
        try image.program.listing().write(to: source, atomically: true, encoding: .utf8)
        #expect(try run("aarch64-linux-gnu-as", ["-o", object.path, source.path]) == 0)
        #expect(try run("aarch64-linux-gnu-objcopy", ["-O", "binary", "-j", ".text", object.path, binary.path]) == 0)
        let bytes = [UInt8](try Data(contentsOf: binary))
        var words: [UInt32] = []
        for i in stride(from: 0, to: bytes.count, by: 4) {
            words.append(UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16 | UInt32(bytes[i + 3]) << 24)
        }
        #expect(words.count == image.program.instructions.count)
        for (index, (ours, theirs)) in zip(image.program.instructions, words).enumerated() where ours.word != theirs {
            Issue.record("word \(index) `\(ours.text)`: ours \(String(ours.word, radix: 16)), GNU as \(String(theirs, radix: 16))")
        }
    }

    @Test("the vector table fills the first 2 KiB and routes IRQ and FIQ from EL1h to the handlers")
    func vectorTable() throws {
        let program = try GuestRuntime.image().program
        #expect(program.offset(of: "irq_entry_1") != nil)
        // Entry 5 (IRQ, current EL, SP_ELx) at 0x280 and 6 (FIQ) at 0x300 are single branches;
        // every other entry loads its number into X0 and branches to the fault path.
        #expect(program.instructions[0x280 / 4].text == "b irq_entry_1")
        #expect(program.instructions[0x300 / 4].text == "b fiq_entry_2")
        #expect(program.instructions[0x200 / 4].text == "movz x0, #0x4")
        #expect(program.instructions[0x200 / 4 + 1].text == "b fault_3")
        #expect(try GuestRuntime.image().entryOffset == 0x800)
    }

    @Test("the runtime fits below the context blocks", arguments: [GuestTransport.mmioExits, .virtUART])
    func fits(transport: GuestTransport) throws {
        #expect(try GuestRuntime.image(transport: transport).program.byteCount <= GuestLayout.contextsOffset)
    }

    @Test("on the UART the runtime boots vCPU 0 itself and lists every GICv5 instruction in its generic form")
    func uartBoot() throws {
        let program = try GuestRuntime.image(transport: .virtUART).program
        let bootName = try #require(program.labels.first { $0.name.hasPrefix("boot_") }?.name)
        let boot = try #require(program.offset(of: bootName))
        #expect(try GuestRuntime.image(transport: .virtUART).entryOffset == boot)
        #expect(program.instructions[boot / 4].text == "movz x5, #0x0")
        #expect(program.instructions.contains { $0.text == "sys #0, c12, c1, #1, x0" })      // GIC CDEN
        #expect(program.instructions.contains { $0.text == "sysl x0, #0, c12, c3, #0" })     // GICR CDIA
    }
}
