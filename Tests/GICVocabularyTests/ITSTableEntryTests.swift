import GICVocabulary
import Testing

/// The ITS's command encoding and KVM's table ABI revision 0, field by field
/// (GICVocabulary.docc/ITSTables.md).
@Suite("ITS commands and table entries")
struct ITSTableEntryTests {
    static let commands: [ITSCommand] = [
        .mapd(device: 0xBEEF, itt: 0x4018_0100, eventIDBits: 5, valid: true),
        .mapd(device: 3, itt: 0, eventIDBits: 1, valid: false),
        .mapc(collection: 7, target: 3, valid: true),
        .mapc(collection: 0xFFFF, target: 0, valid: false),
        .mapti(device: 0x1_0000, event: 0xFFFF_FFFF, lpi: 8192, collection: 2),
        .mapi(device: 1, event: 9000, collection: 1),
        .movi(device: 1, event: 2, collection: 3),
        .discard(device: 4, event: 5), .clear(device: 6, event: 7), .int(device: 8, event: 9), .inv(device: 10, event: 11),
        .invall(collection: 12), .movall(from: 1, to: 2), .sync(target: 3), .other(code: 0x2A),
    ]

    @Test("every command decodes to itself from its 32 bytes", arguments: commands)
    func roundTrip(command: ITSCommand) {
        #expect(command.bytes.count == ITSCommand.size)
        #expect(ITSCommand(bytes: command.bytes[...]) == command)
        #expect(ITSCommand(words: command.words) == command)
    }

    @Test("fields sit where the kernel's its_cmd_get_* read them")
    func layout() {
        let mapd = ITSCommand.mapd(device: 0x1234, itt: 0x4018_0100, eventIDBits: 5, valid: true).words
        #expect(mapd == [0x0000_1234_0000_0008, 4, 0x8000_0000_4018_0100, 0])
        let mapc = ITSCommand.mapc(collection: 7, target: 3, valid: true).words
        #expect(mapc == [0x09, 0, 0x8000_0000_0003_0007, 0])
        let mapti = ITSCommand.mapti(device: 2, event: 1, lpi: 8200, collection: 5).words
        #expect(mapti == [0x0000_0002_0000_000A, 0x0000_2008_0000_0001, 5, 0])
        let movall = ITSCommand.movall(from: 1, to: 2).words
        #expect(movall == [0x0E, 0, 0x1_0000, 0x2_0000])
        // Bits the kernel does not read are ignored on decoding.
        #expect(ITSCommand(words: [0xFF00 | 0x0C, 0xFFFF_FFFF_0000_0007, 0, 0]) == .inv(device: 0, event: 7))
    }

    @Test("table entries: DTE, ITE, CTE and level-1 entries as arm-vgic-its.rst lays them out")
    func entries() {
        let dte = ITSDeviceTableEntry(next: 3, ittAddress: 0x4018_0100, eventIDBits: 5)
        #expect(dte.rawValue == UInt64(1) << 63 | 3 << 49 | (0x4018_0100 >> 8) << 5 | 4)
        #expect(ITSDeviceTableEntry(rawValue: dte.rawValue) == dte)
        #expect(!ITSDeviceTableEntry(rawValue: 0).valid)
        let ite = ITSTranslationTableEntry(next: 2, lpi: 8192, collection: 9)
        #expect(ite.rawValue == 2 << 48 | 8192 << 16 | 9)
        #expect(ITSTranslationTableEntry(rawValue: ite.rawValue) == ite)
        #expect(!ITSTranslationTableEntry(rawValue: 0xFFFF_0000_0000_FFFF).isValid)
        let cte = ITSCollectionTableEntry(target: ITSTableABI.unmappedTarget, collection: 4)
        #expect(cte.rawValue == UInt64(1) << 63 | 0xFFFF_FFFF << 16 | 4)
        #expect(!cte.isMapped)
        // The restore path reads RDBase through a u32: bits 47:16.
        #expect(ITSCollectionTableEntry(rawValue: 1 << 63 | 0xF << 48 | 2 << 16 | 1).target == 2)
        #expect(ITSLevel1Entry(rawValue: 1 << 63 | 0x4015_0123).address == 0x4015_0000)
    }

    @Test("GITS_BASER, GITS_CBASER and the LPI table registers read as their tables")
    func bases() {
        let baser = ITSTableBase(rawValue: 1 << 63 | 0x1907_0000_0000_0600 | 0x4015_0000 | 0x3 << 12 | 1)
        #expect(baser.isValid && !baser.isIndirect)
        #expect(baser.type == ITSTableBase.deviceTableType)
        #expect(baser.entrySize == 8)
        #expect(baser.tableAddress == 0x3_0000_4015_0000)
        #expect(baser.tableBytes == 0x2_0000)
        let cbaser = ITSTableBase(rawValue: 1 << 63 | 0x4017_0000 | 3)
        #expect(cbaser.queueAddress == 0x4017_0000 && cbaser.queueBytes == 0x4000)
        #expect(LPITableBase.lpiLimit(0x4010_0000 | 15) == 65536)
        #expect(LPITableBase.lpiLimit(0x4010_0000 | 31) == 65536)
        #expect(LPITableBase.lpiLimit(13) == 16384)
        #expect(LPITableBase.priority(ofProperty: 0xA3) == 0xA0)
    }

    @Test("sparse guest memory: zeros inside the slots, nil outside, writes across pages")
    func memory() {
        var ram = SparseGuestMemory(regions: [0x4000_0000..<0x4020_0000])
        #expect(ram.bytes(at: 0x4000_0FFE, count: 4) == [0, 0, 0, 0])
        #expect(ram.bytes(at: 0x401F_FFFE, count: 4) == nil)
        #expect(ram.bytes(at: 0x3FFF_FFFF, count: 1) == nil)
        let written = ram.writeDoubleword(0x0102_0304_0506_0708, at: 0x4000_0FFC)
        #expect(written)
        #expect(ram.doubleword(at: 0x4000_0FFC) == 0x0102_0304_0506_0708)
        #expect(ram.byte(at: 0x4000_1000) == 0x04)
        let outside = ram.write([1], at: 0x4020_0000)
        #expect(!outside)
        #expect(ram.isGuestRAM(0x401F_FFFF) && !ram.isGuestRAM(0x4020_0000))
    }
}
