import GICModel
import GICVocabulary
import Testing

/// The GICD/GICR register table's columns (`reset`, `stored`, `field`, `uaccess`, `restore`)
/// checked against what the model does with userspace GETs and SETs, row by row. The model is
/// the kernel's stand-in here (the lab's differential runs and register scenarios check it
/// against real KVM), so a wrong column shows up as a behaviour that does not match it; and a
/// column changed together with the model's behaviour shows up in the lab.
@Suite("GICv3 register table columns against the model")
struct RegisterTableBehaviourTests {
    @Test("reset: a fresh vgic reads each row's reset value in every word the test covers")
    func resetColumn() throws {
        let model = makeModel(its: true)
        var checked = 0
        for register in GICv3Register.all where register.reset != .configuration {
            for offset in try words(of: register) {
                #expect(try read(model, register, offset) == expectedReset(register, offset),
                        "\(text(register.name)) at \(hex(offset))")
                checked += 1
            }
        }
        #expect(checked > 40)
    }

    @Test("stored: a write keeps exactly the row's stored bits, the way its uaccess column says")
    func storedColumn() throws {
        for register in GICv3Register.all {
            for offset in try words(of: register) {
                var model = makeModel(its: true)
                let reset = try read(model, register, offset)
                let kept = register.storedBits(ofWordAt: offset)
                let name = "\(text(register.name)) at \(hex(offset))"
                switch register.uaccess {
                case .plain, .directState, .latchOnly, .maskedPriority, .routing:
                    try write(&model, register, offset, 0xFFFF_FFFF)
                    #expect(try read(model, register, offset) == (reset & ~kept) | kept, "\(name): ones")
                    try write(&model, register, offset, 0)
                    #expect(try read(model, register, offset) == reset & ~kept, "\(name): zeros")
                case .setBits:
                    try write(&model, register, offset, 0)
                    #expect(try read(model, register, offset) == reset, "\(name): zeros leave it")
                    try write(&model, register, offset, 0xFFFF_FFFF)
                    #expect(try read(model, register, offset) == reset | kept, "\(name): ones set")
                case .clearBits:
                    let partner = try #require(register.setPartner, "\(name)")
                    try write(&model, partner, offset - register.offset + partner.offset, 0xFFFF_FFFF)
                    #expect(try read(model, register, offset) == kept, "\(name) shows its partner's bits")
                    try write(&model, register, offset, 0xFFFF_FFFF)
                    #expect(try read(model, register, offset) == 0, "\(name): ones clear")
                case .sanitised:
                    // Sane shareability and cacheability, so only the RES0 bits (outside the
                    // stored bits) and PTZ change.
                    let fields: UInt64 = 0x3 << 10 | 0x7 << 7 | 0x7 << 56
                    let value = (UInt64.max & ~fields) | 1 << 10 | 3 << 7
                    try write(&model, register, offset, UInt32(truncatingIfNeeded: value >> shift(register, offset)))
                    let expected = UInt32(truncatingIfNeeded: (value & register.storedBits) >> shift(register, offset))
                    #expect(try read(model, register, offset) == expected, "\(name)")
                case .razWI, .readOnly, .writeOnly, .statusSets:
                    #expect(kept == 0, "\(name)")
                    let before = model
                    try write(&model, register, offset, 0xFFFF_FFFF)
                    try write(&model, register, offset, 0)
                    #expect(model == before, "\(name) stores nothing")
                    #expect(try read(model, register, offset) == reset, "\(name)")
                case .checkedWrite:
                    // Only the stored field may change; writing anything else is refused.
                    let changed = reset ^ ~kept
                    #expect(throws: ModelRefusal.self, "\(name)") { try write(&model, register, offset, changed) }
                    try write(&model, register, offset, reset)
                    #expect(try read(model, register, offset) == reset, "\(name)")
                }
            }
        }
    }

    @Test("checked write: GICD_IIDR's stored field is the revision, and 2 is accepted")
    func iidrRevision() throws {
        var model = makeModel()
        let iidr = try read(model, .gicdIIDR, 0x8)
        let revision2 = (iidr & ~GICv3Register.gicdIIDR.storedBits(ofWordAt: 0x8)) | 2 << 12
        try write(&model, .gicdIIDR, 0x8, revision2)
        #expect(try read(model, .gicdIIDR, 0x8) == revision2)
    }

    @Test("field: a write through a bank changes that field of the INTID's state and no other")
    func fieldColumn() throws {
        for register in GICv3Register.all where register.isPerInterrupt && register.storedBits != 0 {
            let field = try #require(register.field, "\(text(register.name))")
            let intid: UInt32 = register.frame == .distributor ? 33 : 17
            var model = makeModel()
            let location = try register.location(of: intid)
            if register.uaccess == .clearBits, let partner = register.setPartner {
                try write(&model, partner, try partner.location(of: intid).offset, location.mask)
            }
            let before = model.interrupt(intid, vcpu: 1)
            let current = try read(model, register, location.offset)
            let value: UInt32 = switch register.uaccess {
            case .setBits, .clearBits: location.mask
            default: current ^ (location.mask & register.storedBits(ofWordAt: location.offset))
            }
            try write(&model, register, location.offset, value)
            let after = model.interrupt(intid, vcpu: 1)
            #expect(changedFields(before, after) == [field], "\(text(register.name)) INTID \(intid)")
        }
    }

    @Test("field: registers that name the same field show the same state")
    func sharedFields() throws {
        var model = makeModel()
        for register in GICv3Register.all where register.isPerInterrupt && register.storedBits != 0 {
            try write(&model, register, try register.location(of: register.frame == .distributor ? 40 : 20).offset, 0x5555_5555)
        }
        for register in GICv3Register.all where register.uaccess == .clearBits {
            let partner = try #require(register.setPartner)
            #expect(partner.field == register.field)
            for offset in try words(of: register) {
                #expect(try read(model, register, offset) == read(model, partner, offset - register.offset + partner.offset),
                        "\(text(register.name)) and \(text(partner.name))")
            }
        }
    }

    @Test("restore: write-back rows read back unchanged when written what they read, in any state")
    func writeBackRows() throws {
        var model = makeModel(its: true)
        for register in GICv3Register.all where register.isPerInterrupt && register.storedBits != 0 {
            for offset in try words(of: register) { try write(&model, register, offset, 0x9696_9696) }
        }
        for register in GICv3Register.all where register.restore == .writeBack || register.restore == .implementation {
            for offset in try words(of: register) {
                let before = model
                try write(&model, register, offset, try read(model, register, offset))
                #expect(model == before, "\(text(register.name)) at \(hex(offset))")
            }
        }
    }

    @Test("restore: only-if-different rows are sanitised: a written value need not read back, PROPBASER's reset included")
    func onlyIfDifferentRows() throws {
        let rows = GICv3Register.all.filter { $0.restore == .onlyIfDifferent }
        #expect(rows == [.gicrPROPBASER, .gicrPENDBASER])
        for register in rows {
            var model = makeModel()
            try write(&model, register, register.offset, 0)
            #expect(try read(model, register, register.offset) == 0x180, "\(text(register.name)): nCnB becomes RaWb")
        }
        var model = makeModel()
        let reset = try read(model, .gicrPROPBASER, GICv3Register.gicrPROPBASER.offset)
        try write(&model, .gicrPROPBASER, GICv3Register.gicrPROPBASER.offset, reset)
        #expect(try read(model, .gicrPROPBASER, GICv3Register.gicrPROPBASER.offset) != reset)
    }

    @Test("restore: writing back a clears-before-set row clears what it shows, so it is no write-back")
    func clearRows() throws {
        for register in GICv3Register.all where register.restore == .clearsBeforeSet {
            var model = makeModel()
            let partner = try #require(register.setPartner, "\(text(register.name))")
            let offset = try words(of: register)[0]
            try write(&model, partner, offset - register.offset + partner.offset, 0x0F0F_0F0F)
            let shown = try read(model, register, offset)
            #expect(shown != 0)
            try write(&model, register, offset, shown)
            #expect(try read(model, partner, offset - register.offset + partner.offset) == 0, "\(text(register.name))")
        }
    }

    @Test("restore: not-saved and identity rows hold nothing a write can change")
    func unsavedRows() throws {
        for register in GICv3Register.all where register.restore == .notSaved || register.restore == .identity {
            var model = makeModel(its: true)
            // Some state to lose, in case a write touched it.
            try write(&model, .gicdISPENDR, 0x204, 0xFF)
            try write(&model, .gicrISPENDR0, 0x1_0200, 0xFF)
            let before = model
            for offset in try words(of: register) {
                try? write(&model, register, offset, 0xFFFF_FFFF)
                try? write(&model, register, offset, 0)
            }
            #expect(model == before, "\(text(register.name))")
        }
    }

    @Test("restore: saved rows hold state some write changes; GICD_IIDR's revision changes what GICR_CTLR shows")
    func savedRows() throws {
        for register in GICv3Register.all where register.restore.isSaved {
            var model = makeModel(its: true)
            let before = model
            for offset in try words(of: register) { try write(&model, register, offset, 0x0B0B_0B0B) }
            #expect(model != before, "\(text(register.name))")
        }
        var model = makeModel()
        let ctlr = try read(model, .gicrCTLR, 0)
        try write(&model, .gicdIIDR, 0x8, (try read(model, .gicdIIDR, 0x8) & ~0xF000) | 2 << 12)
        #expect(try read(model, .gicrCTLR, 0) != ctlr)
    }

    // MARK: Helpers

    /// The words a test covers: a distributor bank's first SPI word (both halves for
    /// GICD_IROUTER), every word of an SGI-frame bank, every word of a single register.
    func words(of register: GICv3Register) throws -> [UInt32] {
        if register.isPerInterrupt && register.frame == .distributor {
            let location = try register.location(of: 32)
            return (0..<location.wordCount).map { location.offset + 4 * $0 }
        }
        return stride(from: register.offset, to: register.offsets.upperBound, by: 4).map { $0 }
    }

    func read(_ model: GICv3Model, _ register: GICv3Register, _ offset: UInt32) throws -> UInt32 {
        register.frame == .distributor
            ? model.readDistributor(offset: offset)
            : try model.readRedistributor(cpu(1), offset: offset)
    }

    func write(_ model: inout GICv3Model, _ register: GICv3Register, _ offset: UInt32, _ value: UInt32) throws {
        if register.frame == .distributor {
            try model.writeDistributor(offset: offset, value)
        } else {
            try model.writeRedistributor(cpu(1), offset: offset, value)
        }
    }

    /// 0 for the low word of a 64-bit register (or any 32-bit one), 32 for the high word.
    func shift(_ register: GICv3Register, _ offset: UInt32) -> UInt64 {
        register.width == .bits64 && (offset - register.offset) & 4 != 0 ? 32 : 0
    }

    /// The word at `offset` as the row's reset column composes it.
    func expectedReset(_ register: GICv3Register, _ offset: UInt32) -> UInt32 {
        switch register.reset {
        case .value(let value):
            return UInt32(truncatingIfNeeded: value >> shift(register, offset))
        case .configuration:
            return 0
        case .fields:
            let bits = register.bitsPerInterrupt
            let firstBit = (offset - register.offset) * 8
            if bits == 64 {
                let field = register.reset.field(firstBit / 64) ?? 0
                return UInt32(truncatingIfNeeded: field >> shift(register, offset))
            }
            var word: UInt32 = 0
            for i in 0..<(32 / bits) {
                word |= UInt32(register.reset.field((firstBit + i * bits) / bits) ?? 0) << (i * bits)
            }
            return word
        }
    }

    /// The `InterruptField`s whose state differs between two snapshots of one INTID.
    func changedFields(_ a: InterruptState, _ b: InterruptState) -> Set<InterruptField> {
        var fields = Set<InterruptField>()
        if a.group1 != b.group1 { fields.insert(.group) }
        if a.enabled != b.enabled { fields.insert(.enable) }
        if a.latch != b.latch || a.line != b.line { fields.insert(.pending) }
        if a.active != b.active { fields.insert(.active) }
        if a.priority != b.priority { fields.insert(.priority) }
        if a.edge != b.edge { fields.insert(.configuration) }
        if a.route != b.route { fields.insert(.routing) }
        return fields
    }

    func text(_ name: StaticString) -> String { name.description }
}
