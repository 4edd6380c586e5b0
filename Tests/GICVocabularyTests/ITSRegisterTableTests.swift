import GICVocabulary
import Testing

/// The ITS register table, pinned row by row (GICVocabulary.docc/ITSRegisterMap.md).
@Suite("ITS register table")
struct ITSRegisterTableTests {
    @Test("offsets, widths and element counts are its_registers[]'s")
    func layout() {
        let rows: [(ITSRegister, UInt32, UInt32, AccessWidth, UInt32)] = [
            (.gitsCTLR, 0x0, 4, .bits32, 1), (.gitsIIDR, 0x4, 4, .bits32, 1), (.gitsTYPER, 0x8, 8, .bits64, 1),
            (.gitsCBASER, 0x80, 8, .bits64, 1), (.gitsCWRITER, 0x88, 8, .bits64, 1), (.gitsCREADR, 0x90, 8, .bits64, 1),
            (.gitsBASER, 0x100, 0x40, .bits64, 8), (.gitsIDREGS, 0xFFD0, 0x30, .bits32, 12),
        ]
        for (register, offset, length, width, count) in rows {
            #expect(register.offset == offset, "\(register)")
            #expect(register.length == length, "\(register)")
            #expect(register.width == width, "\(register)")
            #expect(register.count == count, "\(register)")
            #expect(register.reset.count == Int(count), "\(register)")
        }
        #expect(ITSRegister.all.map(\.offset) == ITSRegister.all.map(\.offset).sorted())
    }

    @Test(
        "64-bit registers need 8-aligned offsets, the others 4-aligned",
        arguments: [
            (UInt32(0x0), UInt32(4)), (0x4, 4), (0x8, 8), (0xC, 8), (0x80, 8), (0x138, 8), (0xFFC8, 8), (0xFFD0, 4),
            (0xFFE8, 4), (0x10040, 4),
        ])
    func alignment(offset: UInt32, alignment: UInt32) {
        #expect(ITSRegister.requiredAlignment(ofOffset: offset) == alignment)
    }

    @Test("regions: holes and the doorbell belong to no register")
    func regions() {
        #expect(ITSRegister.containing(0x0C) == .gitsTYPER)
        #expect(ITSRegister.containing(0x138) == .gitsBASER)
        #expect(ITSRegister.containing(0x10) == nil)
        #expect(ITSRegister.containing(0x18) == nil)
        #expect(ITSRegister.containing(0x98) == nil)
        #expect(ITSRegister.containing(0x140) == nil)
        #expect(ITSRegister.containing(ITSRegister.translaterOffset) == nil)
        #expect(ITSRegister.gitsBASER.offset(ofElement: 7) == 0x138)
        #expect(ITSRegister.gitsBASER.offset(ofElement: 8) == nil)
    }

    @Test("reset values: GITS_TYPER's fields, the two tables' Type and Entry_Size, Quiescent")
    func resetValues() {
        let typer = ITSRegister.gitsTYPER.reset[0]
        #expect(typer & 1 == 1)  // PLPIS
        #expect(typer >> 4 & 0xF == 7)  // ITT entry size 8
        #expect(typer >> 8 & 0x1F == 15)  // 16 EventID bits
        #expect(typer >> 13 & 0x1F == 15)  // 16 DeviceID bits
        let baser = ITSRegister.gitsBASER.reset
        #expect(baser[0] >> 56 & 7 == 1)  // device table
        #expect(baser[1] >> 56 & 7 == 4)  // collection table
        #expect(baser[0] >> 48 & 0x1F == 7 && baser[1] >> 48 & 0x1F == 7)  // 8-byte entries
        #expect(baser[0] >> 8 & 3 == 2 && baser[1] >> 8 & 3 == 2)  // 64 KiB pages
        #expect(baser[0] & ITSRegister.validBit == 0)
        #expect(ITSRegister.gitsCTLR.reset == [0x8000_0000])
        // The writable bits leave Type, Entry_Size and the page size to the kernel.
        #expect(ITSRegister.gitsBASER.writableBits & 0x071F_0000_0000_0300 == 0)
        #expect(ITSRegister.gitsBASER.uaccess(ofElement: 1) == .tableBase)
        #expect(ITSRegister.gitsBASER.uaccess(ofElement: 2) == .razWI)
    }

    @Test("the restore sequence: IIDR first, CBASER before CREADR, the tables, GITS_CTLR last; every saved register once")
    func restoreSequence() {
        let sequence = ITSRegister.restoreSequence
        #expect(sequence.first == .gitsIIDR)
        #expect(sequence.last == .gitsCTLR)
        let tables = sequence.firstIndex { $0 == nil }
        #expect(tables == sequence.count - 2)
        let cbaser = sequence.firstIndex { $0 == .gitsCBASER }
        let creadr = sequence.firstIndex { $0 == .gitsCREADR }
        #expect(cbaser != nil && creadr != nil && cbaser! < creadr!)
        let saved = ITSRegister.all.filter { $0.restore != .notSaved && $0.restore != .identity }
        #expect(Set(sequence.compactMap { $0 }) == Set(saved))
    }
}
