import Testing
@testable import GICVocabulary

/// GICVocabulary.docc/GICv3RegisterMap.md, row by row: name, frame, attr offset, width, bits per interrupt,
/// uaccess.
private let docRows: [(String, GICv3Frame, UInt32, UInt32, UInt32, UAccessBehaviour)] = [
    ("GICD_CTLR", .distributor, 0x0000, 32, 0, .directState),
    ("GICD_TYPER", .distributor, 0x0004, 32, 0, .readOnly),
    ("GICD_IIDR", .distributor, 0x0008, 32, 0, .checkedWrite),
    ("GICD_TYPER2", .distributor, 0x000C, 32, 0, .checkedWrite),
    ("GICD_STATUSR", .distributor, 0x0010, 32, 0, .statusSets),
    ("GICD_IGROUPR", .distributor, 0x0080, 32, 1, .plain),
    ("GICD_ISENABLER", .distributor, 0x0100, 32, 1, .setBits),
    ("GICD_ICENABLER", .distributor, 0x0180, 32, 1, .clearBits),
    ("GICD_ISPENDR", .distributor, 0x0200, 32, 1, .latchOnly),
    ("GICD_ICPENDR", .distributor, 0x0280, 32, 1, .razWI),
    ("GICD_ISACTIVER", .distributor, 0x0300, 32, 1, .setBits),
    ("GICD_ICACTIVER", .distributor, 0x0380, 32, 1, .clearBits),
    ("GICD_IPRIORITYR", .distributor, 0x0400, 32, 8, .maskedPriority),
    ("GICD_ITARGETSR", .distributor, 0x0800, 32, 8, .razWI),
    ("GICD_ICFGR", .distributor, 0x0C00, 32, 2, .plain),
    ("GICD_IGRPMODR", .distributor, 0x0D00, 32, 1, .razWI),
    ("GICD_IROUTER", .distributor, 0x6000, 64, 64, .routing),
    ("GICD_IDREGS", .distributor, 0xFFD0, 32, 0, .readOnly),
    ("GICR_CTLR", .redistributorRD, 0x0000, 32, 0, .plain),
    ("GICR_IIDR", .redistributorRD, 0x0004, 32, 0, .readOnly),
    ("GICR_TYPER", .redistributorRD, 0x0008, 64, 0, .readOnly),
    ("GICR_STATUSR", .redistributorRD, 0x0010, 32, 0, .statusSets),
    ("GICR_WAKER", .redistributorRD, 0x0014, 32, 0, .razWI),
    ("GICR_PROPBASER", .redistributorRD, 0x0070, 64, 0, .sanitised),
    ("GICR_PENDBASER", .redistributorRD, 0x0078, 64, 0, .sanitised),
    ("GICR_INVLPIR", .redistributorRD, 0x00A0, 64, 0, .writeOnly),
    ("GICR_INVALLR", .redistributorRD, 0x00B0, 64, 0, .writeOnly),
    ("GICR_SYNCR", .redistributorRD, 0x00C0, 32, 0, .readOnly),
    ("GICR_IDREGS", .redistributorRD, 0xFFD0, 32, 0, .readOnly),
    ("GICR_IGROUPR0", .redistributorSGI, 0x1_0080, 32, 1, .plain),
    ("GICR_ISENABLER0", .redistributorSGI, 0x1_0100, 32, 1, .setBits),
    ("GICR_ICENABLER0", .redistributorSGI, 0x1_0180, 32, 1, .clearBits),
    ("GICR_ISPENDR0", .redistributorSGI, 0x1_0200, 32, 1, .latchOnly),
    ("GICR_ICPENDR0", .redistributorSGI, 0x1_0280, 32, 1, .razWI),
    ("GICR_ISACTIVER0", .redistributorSGI, 0x1_0300, 32, 1, .setBits),
    ("GICR_ICACTIVER0", .redistributorSGI, 0x1_0380, 32, 1, .clearBits),
    ("GICR_IPRIORITYR", .redistributorSGI, 0x1_0400, 32, 8, .maskedPriority),
    ("GICR_ICFGR", .redistributorSGI, 0x1_0C00, 32, 2, .plain),
    ("GICR_IGRPMODR0", .redistributorSGI, 0x1_0D00, 32, 1, .razWI),
    ("GICR_NSACR", .redistributorSGI, 0x1_0E00, 32, 2, .razWI),
]

/// (register, INTID, word offset, bit shift), worked out by hand from the formulas in the doc.
private let locations: [(GICv3Register, UInt32, UInt32, UInt32)] = [
    (.gicdISPENDR, 40, 0x0204, 8),
    (.gicdIROUTER, 32, 0x6100, 0),
    (.gicdIROUTER, 1019, 0x7FD8, 0),
    (.gicrIPRIORITYR, 5, 0x1_0404, 8),
    (.gicdISENABLER, 32, 0x0104, 0),
    (.gicdISENABLER, 63, 0x0104, 31),
    (.gicdISENABLER, 1019, 0x017C, 27),
    (.gicdICFGR, 33, 0x0C08, 2),
    (.gicdICFGR, 1019, 0x0CFC, 22),
    (.gicdIPRIORITYR, 32, 0x0420, 0),
    (.gicdIPRIORITYR, 1019, 0x07F8, 24),
    (.gicdITARGETSR, 34, 0x0820, 16),
    (.gicrISENABLER0, 0, 0x1_0100, 0),
    (.gicrISPENDR0, 31, 0x1_0200, 31),
    (.gicrICFGR, 15, 0x1_0C00, 30),
    (.gicrICFGR, 16, 0x1_0C04, 0),
    (.gicrICFGR, 31, 0x1_0C04, 30),
    (.gicrNSACR, 15, 0x1_0E00, 30),
]

@Suite("GICv3 register tables")
struct GICv3RegisterTableTests {
    @Test("The tables hold exactly the doc's registers with its offsets, widths, bits per INTID and uaccess")
    func matchesDoc() {
        #expect(GICv3Register.all.count == docRows.count)
        for (register, row) in zip(GICv3Register.all, docRows) {
            #expect(text(register.name) == row.0)
            #expect(register.frame == row.1, "\(row.0)")
            #expect(register.offset == row.2, "\(row.0)")
            #expect(register.width.rawValue == row.3, "\(row.0)")
            #expect(register.bitsPerInterrupt == row.4, "\(row.0)")
            #expect(register.uaccess == row.5, "\(row.0)")
        }
    }

    @Test("Word and bit of an INTID's field", arguments: locations.indices)
    func location(_ i: Int) throws {
        let (register, intid, offset, shift) = locations[i]
        let location = try register.location(of: intid)
        #expect(location.offset == offset, "\(text(register.name)) INTID \(intid)")
        #expect(location.shift == shift, "\(text(register.name)) INTID \(intid)")
        #expect(location.bitWidth == register.bitsPerInterrupt)
    }

    @Test("Per-interrupt offsets follow base + 4 × ⌊n × bits / 32⌋ and never share a bit, for every INTID each bank covers")
    func locationProperties() throws {
        for register in GICv3Register.all where register.isPerInterrupt {
            let domain = try #require(register.intids)
            var claimed = Set<UInt64>()
            var failures: [UInt32] = []
            for intid in domain {
                let location = try register.location(of: intid)
                var ok = location.offset == register.offset + 4 * (intid * register.bitsPerInterrupt / 32)
                    && location.offset % 4 == 0
                    && register.offsets.contains(location.offset)
                    && location.offset + 4 * location.wordCount <= register.offsets.upperBound
                for bit in 0..<register.bitsPerInterrupt {
                    let absolute = UInt64(location.offset) * 8 + UInt64(location.shift + bit)
                    ok = claimed.insert(absolute).inserted && ok
                }
                if !ok { failures.append(intid) }
            }
            #expect(failures.isEmpty, "\(text(register.name)): first failing INTIDs \(failures.prefix(3))")
        }
    }

    @Test("Distributor banks cover SPIs 32–1019; SGI-frame banks the 32 private INTIDs (NSACR the 16 SGIs)")
    func domains() {
        for register in GICv3Register.distributor where register.isPerInterrupt {
            #expect(register.intids == 32...1019, "\(text(register.name))")
        }
        for register in GICv3Register.redistributor where register.isPerInterrupt {
            let expected: ClosedRange<UInt32> = register == .gicrNSACR ? 0...15 : 0...31
            #expect(register.intids == expected, "\(text(register.name))")
        }
        #expect(GICv3Register.gicdCTLR.intids == nil)
        #expect(GICv3Register.gicrTYPER.intids == nil)
    }

    @Test("Private INTIDs are RAZ/WI in the distributor: asking for INTID 31 is rejected with 32...1019")
    func privateInDistributor() {
        #expect(throws: GICValueError.notInRegister(frame: .distributor, offset: 0x0100, intid: 31, allowed: 32...1019)) {
            try GICv3Register.gicdISENABLER.location(of: 31)
        }
        #expect(throws: GICValueError.notInRegister(frame: .distributor, offset: 0x6000, intid: 0, allowed: 32...1019)) {
            try GICv3Register.gicdIROUTER.location(of: 0)
        }
    }

    @Test("Special INTIDs and beyond are in no bank", arguments: [UInt32(1020), 1023, 4096, 8192, UInt32.max])
    func beyondSPIs(_ intid: UInt32) {
        #expect(throws: GICValueError.notInRegister(frame: .distributor, offset: 0x0400, intid: intid, allowed: 32...1019)) {
            try GICv3Register.gicdIPRIORITYR.location(of: intid)
        }
    }

    @Test("SPIs are not in the SGI frame; non-per-interrupt registers have no INTID at all")
    func wrongFrame() {
        #expect(throws: GICValueError.notInRegister(frame: .redistributorSGI, offset: 0x1_0200, intid: 32, allowed: 0...31)) {
            try GICv3Register.gicrISPENDR0.location(of: 32)
        }
        #expect(throws: GICValueError.notInRegister(frame: .redistributorSGI, offset: 0x1_0E00, intid: 16, allowed: 0...15)) {
            try GICv3Register.gicrNSACR.location(of: 16)
        }
        #expect(throws: GICValueError.notInRegister(frame: .distributor, offset: 0x0000, intid: 40, allowed: nil)) {
            try GICv3Register.gicdCTLR.location(of: 40)
        }
    }

    @Test("Registers never overlap, stay inside their 64 KiB frame, and 64-bit ones are 8-aligned")
    func layout() {
        for frame in GICv3Frame.allCases {
            let registers = GICv3Register.all.filter { $0.frame == frame }.sorted { $0.offset < $1.offset }
            for (a, b) in zip(registers, registers.dropFirst()) {
                #expect(a.offsets.upperBound <= b.offset, "\(text(a.name)) overlaps \(text(b.name))")
            }
            for register in registers {
                #expect(register.offset % 4 == 0)
                #expect(register.frameOffset + register.length <= 0x1_0000, "\(text(register.name))")
                if register.width == .bits64 { #expect(register.offset % 8 == 0, "\(text(register.name))") }
            }
        }
    }

    @Test("Offset lookup finds the register whose bytes include the offset, and nil in holes")
    func containing() {
        #expect(GICv3Register.containing(distributorOffset: 0x0204) == .gicdISPENDR)
        #expect(GICv3Register.containing(distributorOffset: 0x6104) == .gicdIROUTER)
        #expect(GICv3Register.containing(distributorOffset: 0x7FFC) == .gicdIROUTER)
        #expect(GICv3Register.containing(distributorOffset: 0x8000) == nil)
        #expect(GICv3Register.containing(distributorOffset: 0x0014) == nil)
        #expect(GICv3Register.containing(distributorOffset: 0xFFE8) == .gicdIDREGS)  // PIDR2
        #expect(GICv3Register.containing(redistributorOffset: 0x1_0404) == .gicrIPRIORITYR)
        #expect(GICv3Register.containing(redistributorOffset: 0x000C) == .gicrTYPER)
        #expect(GICv3Register.containing(redistributorOffset: 0x1_0000) == nil)
        #expect(GICv3Register.containing(frame: .redistributorRD, offset: 0x1_0100) == nil)
        #expect(GICv3Register.containing(frame: .redistributorSGI, offset: 0x1_0100) == .gicrISENABLER0)
    }

    @Test("SGI-frame registers sit at RD_base + 0x10000 plus their architectural offset")
    func sgiFrameOffsets() {
        #expect(GICv3Register.gicrISENABLER0.frameOffset == 0x0100)
        #expect(GICv3Register.gicrIPRIORITYR.frameOffset == 0x0400)
        for register in GICv3Register.redistributor where register.frame == .redistributorSGI {
            #expect(register.offset >= 0x1_0000)
        }
        #expect(GICv3Frame.redistributorSGI.isRedistributor)
        #expect(!GICv3Frame.distributor.isRedistributor)
    }

    @Test("Each SGI-frame bank mirrors the distributor bank at the same architectural offset")
    func banksMirror() {
        let pairs: [(GICv3Register, GICv3Register)] = [
            (.gicdIGROUPR, .gicrIGROUPR0), (.gicdISENABLER, .gicrISENABLER0), (.gicdICENABLER, .gicrICENABLER0),
            (.gicdISPENDR, .gicrISPENDR0), (.gicdICPENDR, .gicrICPENDR0), (.gicdISACTIVER, .gicrISACTIVER0),
            (.gicdICACTIVER, .gicrICACTIVER0), (.gicdIPRIORITYR, .gicrIPRIORITYR), (.gicdICFGR, .gicrICFGR),
            (.gicdIGRPMODR, .gicrIGRPMODR0),
        ]
        for (d, r) in pairs {
            #expect(d.offset == r.frameOffset, "\(text(d.name))")
            #expect(d.bitsPerInterrupt == r.bitsPerInterrupt, "\(text(d.name))")
            #expect(d.uaccess == r.uaccess, "\(text(d.name))")
        }
    }

    @Test("A field location extracts and inserts just its INTID's bits")
    func fieldAccess() throws {
        let priority = try GICv3Register.gicrIPRIORITYR.location(of: 5)
        #expect(priority.mask == 0x0000_FF00)
        #expect(priority.extract(from: 0xAABB_CCDD) == 0xCC)
        #expect(priority.insert(0xF8, into: 0xAABB_CCDD) == 0xAABB_F8DD)
        let config = try GICv3Register.gicdICFGR.location(of: 47)
        #expect(config.offset == 0x0C08)
        #expect(config.mask == 0xC000_0000)
        #expect(config.extract(from: 0x8000_0000) == 0b10)
        let route = try GICv3Register.gicdIROUTER.location(of: 40)
        #expect(route.wordCount == 2)
        #expect(route.mask == UInt32.max)
        #expect(try GICv3Register.gicdISENABLER.location(of: 40).wordCount == 1)
    }

    @Test("64-bit registers take two 32-bit accesses")
    func wordCounts() {
        #expect(GICv3Register.gicrTYPER.width.wordCount == 2)
        #expect(GICv3Register.gicrPROPBASER.width.wordCount == 2)
        #expect(GICv3Register.gicdCTLR.width.wordCount == 1)
    }
}
