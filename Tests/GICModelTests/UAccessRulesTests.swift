import GICModel
import GICVocabulary
import Testing

/// What the userspace accessors do differently from a guest (GICModel.docc/AttributeView.md and its
/// divergences). Vector ids are those of GICModel.docc/GICv3TestVectors.md.
@Suite("Userspace access rules")
struct UAccessRulesTests {
    @Test("ISPENDR via uaccess replaces the latch: a 1 sets it, a 0 clears it, level or edge")
    func ispendrReplacesLatch() throws {
        var model = makeModel()
        let offset = try doffset(.gicdISPENDR, 64)
        try model.writeDistributor(offset: offset, 0x0000_00FF)
        #expect(model.readDistributor(offset: offset) == 0xFF)
        try model.writeDistributor(offset: offset, 0x0000_0F00)
        #expect(model.readDistributor(offset: offset) == 0xF00)
    }

    @Test("ISPENDR via uaccess reads the latch only, not the line of a level interrupt")
    func ispendrReadsLatch() throws {
        var model = makeModel()
        try model.writeDistributor(offset: try doffset(.gicdICFGR, 64), 0)  // INTIDs 64–79 level
        try model.setLine(.spi(try SPI(intid: 64)), level: true)
        #expect(try dword(model, .gicdISPENDR, 64) == 0)
        #expect(model.interrupt(64, vcpu: 0).isPending)
    }

    @Test("ICPENDR via uaccess is RAZ/WI", arguments: [GICv3Register.gicdICPENDR, .gicrICPENDR0])
    func icpendrRAZWI(register: GICv3Register) throws {
        var model = makeModel()
        let intid: UInt32 = register.frame == .distributor ? 40 : 5
        let set = register.frame == .distributor ? GICv3Register.gicdISPENDR : .gicrISPENDR0
        let clearOffset = try register.location(of: intid).offset
        let setOffset = try set.location(of: intid).offset
        if register.frame == .distributor {
            try model.writeDistributor(offset: setOffset, 0xFFFF_FFFF)
            try model.writeDistributor(offset: clearOffset, 0xFFFF_FFFF)
            #expect(model.readDistributor(offset: clearOffset) == 0)
            #expect(model.readDistributor(offset: setOffset) == 0xFFFF_FFFF)
        } else {
            try model.writeRedistributor(cpu(0), offset: setOffset, 0xFFFF_FFFF)
            try model.writeRedistributor(cpu(0), offset: clearOffset, 0xFFFF_FFFF)
            #expect(try model.readRedistributor(cpu(0), offset: clearOffset) == 0)
            #expect(try model.readRedistributor(cpu(0), offset: setOffset) == 0xFFFF_FFFF)
        }
    }

    @Test("G3-15/16: IPRIORITYR keeps the top five bits of each byte")
    func priorityMasked() throws {
        var model = makeModel()
        let offset = try doffset(.gicdIPRIORITYR, 40)
        try model.writeDistributor(offset: offset, 0xFF7F_BF3F)
        #expect(model.readDistributor(offset: offset) == 0xF878_B838)
        try model.writeDistributor(offset: offset, 0xFFFF_FFFF)
        #expect(model.readDistributor(offset: offset) == 0xF8F8_F8F8)
        try model.writeRedistributor(cpu(1), offset: 0x1_0404, 0x0102_0304)
        #expect(try model.readRedistributor(cpu(1), offset: 0x1_0404) == 0)
    }

    @Test("G3-17: IROUTER keeps Aff2.Aff1.Aff0 of the low word; IRM and the upper word are RAZ/WI")
    func routing() throws {
        var model = makeModel()
        let low = try doffset(.gicdIROUTER, 40)
        try model.writeDistributor(offset: low, 0x8000_0102)
        try model.writeDistributor(offset: low + 4, 0xFF)
        #expect(model.readDistributor(offset: low) == 0x0000_0102)
        #expect(model.readDistributor(offset: low + 4) == 0)
        #expect(model.interrupt(40, vcpu: 0).route == 0x102)
    }

    @Test("G3-18: ICFGR writes for private INTIDs are ignored; SPI ones take bit 2n+1")
    func privateConfigReadOnly() throws {
        var model = makeModel()
        try model.writeRedistributor(cpu(0), offset: 0x1_0C00, 0)
        try model.writeRedistributor(cpu(0), offset: 0x1_0C04, 0xFFFF_FFFF)
        #expect(try model.readRedistributor(cpu(0), offset: 0x1_0C00) == 0xAAAA_AAAA)
        #expect(try model.readRedistributor(cpu(0), offset: 0x1_0C04) == 0)
        let spiWord = try doffset(.gicdICFGR, 48)
        try model.writeDistributor(offset: spiWord, 0x5555_5557)  // only INTID 48 gets bit 1
        #expect(model.readDistributor(offset: spiWord) == 0x2)
        #expect(model.interrupt(48, vcpu: 0).edge)
        #expect(!model.interrupt(49, vcpu: 0).edge)
    }

    @Test("G3-22: GICD_CTLR write 0x3 reads back 0x52; EnableGrp0 is not kept")
    func distributorCTLR() throws {
        var model = makeModel()
        try model.writeDistributor(offset: 0, 0x3)
        #expect(model.readDistributor(offset: 0) == 0x52)
        try model.writeDistributor(offset: 0, 0x1)
        #expect(model.readDistributor(offset: 0) == 0x50)
    }

    @Test("GICD_IIDR: only Revision may change, to 2 or 3 (EINVAL otherwise); revision 2 drops GICR_CTLR.{IR,CES}")
    func iidr() throws {
        var model = makeModel()
        #expect(errno { () throws(ModelRefusal) in try model.writeDistributor(offset: 8, 0x4C00_343B) } == .EINVAL)
        #expect(errno { () throws(ModelRefusal) in try model.writeDistributor(offset: 8, 0x4B00_143B) } == .EINVAL)
        #expect(errno { () throws(ModelRefusal) in try model.writeDistributor(offset: 8, 0x4B00_443B) } == .EINVAL)
        #expect(model.readDistributor(offset: 8) == 0x4B00_343B)
        #expect(errno { () throws(ModelRefusal) in try model.writeDistributor(offset: 8, 0x4B00_243B) } == nil)
        #expect(model.readDistributor(offset: 8) == 0x4B00_243B)
        #expect(try model.readRedistributor(cpu(2), offset: 0) == 0)
        #expect(errno { () throws(ModelRefusal) in try model.writeDistributor(offset: 8, 0x4B00_343B) } == nil)
        #expect(try model.readRedistributor(cpu(2), offset: 0) == 0x6)
    }

    @Test("GICD_TYPER2: a change after CTRL_INIT is EINVAL on 6.12 and EBUSY on 7.x; the reported value is accepted", arguments: [
        (KernelBehaviour.debian6_12, KernelErrno.EINVAL), (.linux7, .EBUSY),
    ])
    func typer2(kernel: KernelBehaviour, errno expected: KernelErrno) throws {
        var model = makeModel(kernel: kernel)
        #expect(errno { () throws(ModelRefusal) in try model.writeDistributor(offset: 0xC, 0x100) } == expected)
        #expect(errno { () throws(ModelRefusal) in try model.writeDistributor(offset: 0xC, 0x1) } == expected)
        #expect(errno { () throws(ModelRefusal) in try model.writeDistributor(offset: 0xC, 0) } == nil)
        #expect(model.readDistributor(offset: 0xC) == 0)
    }

    @Test("GICR_STATUSR is out of the kernel's search order: HAS is ENXIO, GET reads 0, SET is ignored")
    func statusrUnreachable() throws {
        var model = makeModel()
        #expect(errno { () throws(ModelRefusal) in try model.hasRedistributorRegister(cpu(0), offset: 0x10) } == .ENXIO)
        try model.writeRedistributor(cpu(0), offset: 0x10, 0xFFFF_FFFF)
        #expect(try model.readRedistributor(cpu(0), offset: 0x10) == 0)
        for offset: UInt32 in [0x0, 0x4, 0x8, 0xC, 0x14, 0x70, 0x7C, 0xA0, 0xB4, 0xC0, 0xFFFC, 0x1_0080, 0x1_0E00] {
            #expect(errno { () throws(ModelRefusal) in try model.hasRedistributorRegister(cpu(0), offset: offset) } == nil, "0x\(String(offset, radix: 16))")
        }
    }

    @Test("read-only and RAZ/WI registers ignore writes", arguments: [
        (UInt32(0x0004), UInt32(0x0048_0007)), (0x0010, 0xFFFF_FFFF), (0x0820, 0), (0x0D04, 0), (0xFFE8, 0x3B),
    ])
    func readOnlyDistributor(offset: UInt32, value: UInt32) throws {
        var model = makeModel()
        try model.writeDistributor(offset: offset, 0x1234_5678)
        #expect(model.readDistributor(offset: offset) == value)
    }

    @Test("the private part of every distributor bank is RAZ/WI")
    func distributorPrivatePartRAZWI() throws {
        var model = makeModel()
        for register in [GICv3Register.gicdIGROUPR, .gicdISENABLER, .gicdISPENDR, .gicdISACTIVER] {
            try model.writeDistributor(offset: register.offset, 0xFFFF_FFFF)
            #expect(model.readDistributor(offset: register.offset) == 0, "\(register.name)")
        }
        #expect(try model.readRedistributor(cpu(0), offset: 0x1_0300) == 0)
        try model.writeDistributor(offset: 0x6000, 0x3)
        #expect(model.readDistributor(offset: 0x6000) == 0)
    }

    @Test("bank words at or above NR_IRQS, holes and misaligned offsets read 0 and ignore writes; HAS says ENXIO")
    func noRegion() throws {
        var model = makeModel(interruptCount: 64)
        let beyond = try doffset(.gicdISENABLER, 64)
        try model.writeDistributor(offset: beyond, 0xFFFF_FFFF)
        #expect(model.readDistributor(offset: beyond) == 0)
        #expect(errno { () throws(ModelRefusal) in try model.hasDistributorRegister(offset: beyond) } == .ENXIO)
        let inside = try doffset(.gicdISENABLER, 63)
        #expect(errno { () throws(ModelRefusal) in try model.hasDistributorRegister(offset: inside) } == nil)
        #expect(errno { () throws(ModelRefusal) in try model.hasDistributorRegister(offset: 0x6000 + 8 * 64) } == .ENXIO)
        #expect(errno { () throws(ModelRefusal) in try model.hasDistributorRegister(offset: 0x0014) } == .ENXIO)
        #expect(errno { () throws(ModelRefusal) in try model.hasDistributorRegister(offset: 0x0102) } == .ENXIO)
        #expect(model.readDistributor(offset: 0x0014) == 0)
        #expect(errno { () throws(ModelRefusal) in try model.hasRedistributorRegister(cpu(0), offset: 0x0018) } == .ENXIO)
        #expect(errno { () throws(ModelRefusal) in try model.hasRedistributorRegister(cpu(0), offset: 0x1_0104) } == .ENXIO)
        #expect(errno { () throws(ModelRefusal) in try model.hasRedistributorRegister(cpu(0), offset: 0x1_0100) } == nil)
        #expect(errno { () throws(ModelRefusal) in try model.hasRedistributorRegister(nobody, offset: 0x1_0100) } == .EINVAL)
    }

    @Test("a REDIST_REGS selector that names no vCPU is EINVAL for reads and writes; DIST_REGS ignores it")
    func selectors() throws {
        var model = makeModel()
        #expect(errno { () throws(ModelRefusal) in try model.readRedistributor(nobody, offset: 0x1_0100) } == .EINVAL)
        #expect(errno { () throws(ModelRefusal) in try model.writeRedistributor(nobody, offset: 0x1_0100, 1) } == .EINVAL)
        #expect(errno { () throws(ModelRefusal) in try model.readRedistributor(cpu(3), offset: 0x1_0100) } == nil)
        #expect(errno { () throws(ModelRefusal) in try model.readRedistributor(cpu(4), offset: 0x1_0100) } == .EINVAL)
    }

    @Test("GICR_PROPBASER is shared by all redistributors and sanitised")
    func propbaser() throws {
        var model = makeModel()
        // Outer Shareable (2 << 10) → Inner (1 << 10); inner nC (1 << 7) → RaWb (3 << 7); RES0 bits 6:5 dropped.
        try model.writeRedistributor(cpu(1), offset: 0x70, 0x1234_5000 | 2 << 10 | 1 << 7 | 0x60 | 0x1F)
        try model.writeRedistributor(cpu(1), offset: 0x74, 0xFFFF_FFFF)
        #expect(try model.readRedistributor(cpu(3), offset: 0x70) == 0x1234_5000 | 1 << 10 | 3 << 7 | 0x1F)
        // High word: RES0 63:59 and 55:52 cleared; outer cacheability 7 → SameAsInner (0).
        #expect(try model.readRedistributor(cpu(0), offset: 0x74) == 0x000F_FFFF)
    }

    @Test("GICR_PENDBASER is per vCPU, sanitised, and hides PTZ (bit 62) on read")
    func pendbaser() throws {
        var model = makeModel()
        try model.writeRedistributor(cpu(2), offset: 0x78, 0xFFFF_FFFF)
        try model.writeRedistributor(cpu(2), offset: 0x7C, 0x4000_0000)
        // RES0 15:12 and 6:0 gone; inner 7 and shareability 3 kept.
        #expect(try model.readRedistributor(cpu(2), offset: 0x78) == 0xFFFF_0F80)
        #expect(try model.readRedistributor(cpu(2), offset: 0x7C) == 0)
        #expect(try model.readRedistributor(cpu(0), offset: 0x78) == 0x580)
    }

    @Test("GICR_CTLR.EnableLPIs is only writable with an ITS, and then freezes PROPBASER")
    func enableLPIs() throws {
        var plain = makeModel()
        try plain.writeRedistributor(cpu(0), offset: 0, 1)
        #expect(try plain.readRedistributor(cpu(0), offset: 0) == 0x6)
        var its = makeModel(its: true)
        try its.writeRedistributor(cpu(0), offset: 0, 1)
        #expect(try its.readRedistributor(cpu(0), offset: 0) == 0x7)
        // With an ITS, PROPBASER starts at INITIAL_PROPBASER_VALUE (vgic_its_create).
        #expect(try its.readRedistributor(cpu(0), offset: 0x70) == 0x580)
        try its.writeRedistributor(cpu(0), offset: 0x70, 0x1000)
        #expect(try its.readRedistributor(cpu(0), offset: 0x70) == 0x580)
        try its.writeRedistributor(cpu(1), offset: 0x70, 0x1000)
        #expect(try its.readRedistributor(cpu(0), offset: 0x70) == 0x1000 | 3 << 7)
    }

    @Test("GICR_TYPER, IIDR, STATUSR, WAKER and SYNCR ignore writes")
    func redistributorReadOnly() throws {
        var model = makeModel()
        let before = try (0..<UInt32(0x30)).map { try model.readRedistributor(cpu(1), offset: $0 * 4) }
        for word in 0..<UInt32(0x30) { try model.writeRedistributor(cpu(1), offset: word * 4, 0xFFFF_FFFF) }
        let after = try (0..<UInt32(0x30)).map { try model.readRedistributor(cpu(1), offset: $0 * 4) }
        // Only PROPBASER (0x70/0x74) and PENDBASER (0x78/0x7C) may change among the RD words.
        for word in 0..<0x30 where ![0x1C, 0x1D, 0x1E, 0x1F].contains(word) {
            #expect(before[word] == after[word], "offset 0x\(String(word * 4, radix: 16))")
        }
    }
}
