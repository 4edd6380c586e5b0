import GICVocabulary
import Testing
@testable import GICv5Model

/// The IRS vectors derived from GICv5Model.docc/GICv5Architecture.md.
@Suite("GICv5 IRS: SPIs and LPIs (GICv5Model.docc/GICv5TestVectors.md)")
struct IRSTests {
    func irs(spis: Int = 4, lpiBits: UInt8 = 8, priorityBits: Int = 5) -> GICv5IRS {
        GICv5IRS(spiCount: spis, lpiIDBits: lpiBits, priorityBits: priorityBits, enabled: true)
    }

    @Test("V3: edge-triggered SPI: a rising wire makes it pending with HM edge; a falling wire does nothing")
    func edgeSampling() throws {
        var irs = irs()
        irs.setHandlingMode(spi(1), .level)
        try irs.setLine(spi: 1, level: true)
        #expect(irs.interrupt(spi(1)) == IRSInterrupt(pending: true, handlingMode: .edge))
        try irs.setLine(spi: 1, level: false)
        #expect(irs.interrupt(spi(1))?.pending == true)
    }

    @Test("V4: level-triggered SPI: high makes it pending with HM level, low clears pending")
    func levelSampling() throws {
        var irs = irs()
        try irs.setTriggerMode(spi: 2, .level)
        try irs.setLine(spi: 2, level: true)
        #expect(irs.interrupt(spi(2)) == IRSInterrupt(pending: true, handlingMode: .level))
        try irs.setLine(spi: 2, level: false)
        #expect(irs.interrupt(spi(2))?.pending == false)
    }

    @Test("An unchanged wire level is not sampled again; IRS_SPI_RESAMPLER is (V5)")
    func resample() throws {
        var irs = irs()
        try irs.setTriggerMode(spi: 0, .level)
        try irs.setLine(spi: 0, level: true)
        irs.setPending(spi(0), false)
        try irs.setLine(spi: 0, level: true)
        #expect(irs.interrupt(spi(0))?.pending == false)
        try irs.resample(spi: 0)
        #expect(irs.interrupt(spi(0))?.pending == true)
    }

    @Test("V6: trigger-mode changes: to level samples the wire, to edge with the wire high clears pending",
          arguments: [
              // (from, to, wire, pending before) -> (pending after, HM after)
              (GICv5TriggerMode.edge, GICv5TriggerMode.level, true, false, true, GICv5HandlingMode.level),
              (.edge, .level, false, true, false, .edge),
              (.level, .edge, true, true, false, .level),
              (.level, .edge, false, true, true, .edge),
              (.level, .level, false, true, true, .edge),
          ])
    func triggerModeChange(_ from: GICv5TriggerMode, _ to: GICv5TriggerMode, _ wire: Bool, _ pendingBefore: Bool,
                           _ pendingAfter: Bool, _ hmAfter: GICv5HandlingMode) throws {
        var irs = irs()
        try irs.withSPI(3) {
            $0.triggerMode = from
            $0.lineLevel = wire
            $0.interrupt.pending = pendingBefore
            $0.interrupt.handlingMode = from == .level && wire ? .level : .edge
        }
        try irs.setTriggerMode(spi: 3, to)
        #expect(irs.interrupt(spi(3))?.pending == pendingAfter)
        #expect(irs.interrupt(spi(3))?.handlingMode == hmAfter)
        #expect(irs.spis[3].triggerMode == to)
    }

    @Test("V7: GIC CDPEND sets and clears pending; CDEN / CDDIS set and clear enable (not QEMU's SPI bug)")
    func cdpendAndEnable() {
        var cpu = readyCPU()
        var irs = irs()
        for id in [spi(1), lpi(200)] {
            GICv5Guest.execute(.setPending(id, pending: true), cpu: &cpu, irs: &irs)
            GICv5Guest.execute(.enable(id), cpu: &cpu, irs: &irs)
            #expect(irs.interrupt(id)?.pending == true && irs.interrupt(id)?.enabled == true)
            GICv5Guest.execute(.setPending(id, pending: false), cpu: &cpu, irs: &irs)
            GICv5Guest.execute(.disable(id), cpu: &cpu, irs: &irs)
            #expect(irs.interrupt(id) == IRSInterrupt())
        }
        #expect(irs.lpis.isEmpty)
    }

    @Test("V8 (IRS): acknowledge clears pending of an edge SPI, keeps it for a level SPI")
    func acknowledgeByHandlingMode() throws {
        var irs = irs()
        for (id, mode) in [(UInt32(0), GICv5HandlingMode.edge), (1, .level)] {
            irs.setEnabled(spi(id), true)
            irs.setHandlingMode(spi(id), mode)
            irs.setPending(spi(id), true)
            irs.activate(spi(id))
            #expect(irs.interrupt(spi(id))?.active == true)
            #expect(irs.interrupt(spi(id))?.pending == (mode == .level))
        }
    }

    @Test("HPPI: only enabled, pending, inactive interrupts targeting the PE; none while IRSEN = 0")
    func hppiCandidates() {
        var irs = irs()
        irs.setPending(spi(0), true)
        #expect(irs.highestPriorityPending(target: 0) == nil)
        irs.setEnabled(spi(0), true)
        irs.setPriority(spi(0), 10)
        #expect(irs.highestPriorityPending(target: 0) == PendingInterrupt(id: spi(0), priority: 10))
        #expect(irs.highestPriorityPending(target: 1) == nil)
        irs.setEnabled(lpi(7), true)
        irs.setPending(lpi(7), true)
        irs.setPriority(lpi(7), 9)
        #expect(irs.highestPriorityPending(target: 0)?.id == lpi(7))
        irs.activate(lpi(7))
        #expect(irs.highestPriorityPending(target: 0)?.id == spi(0))
        irs.enabled = false
        #expect(irs.highestPriorityPending(target: 0) == nil)
    }

    @Test("V16: GIC CDAFF moves an SPI to another PE")
    func affinity() {
        var irs = irs()
        irs.setEnabled(spi(2), true)
        irs.setPending(spi(2), true)
        var cpu1 = readyCPU(priorityMask: 31, iaffid: 1)
        #expect(GICv5Guest.signalled(cpu1, irs) == nil)
        GICv5Guest.execute(.setAffinity(spi(2), iaffid: 1, routing: .targeted), cpu: &cpu1, irs: &irs)
        #expect(GICv5Guest.signalled(cpu1, irs)?.id == spi(2))
    }

    @Test("V14: GIC CDPRI keeps only the IRS's implemented priority bits", arguments: [
        (5, UInt8(0b10111), UInt8(0b10111)), (4, 0b10111, 0b10110), (3, 0b10111, 0b10100), (1, 0b01111, 0),
    ])
    func irsPriorityBits(_ bits: Int, _ written: UInt8, _ stored: UInt8) {
        var irs = irs(priorityBits: bits)
        irs.setPriority(spi(0), written)
        irs.setPriority(lpi(3), written)
        #expect(irs.interrupt(spi(0))?.priority == stored)
        #expect(irs.interrupt(lpi(3))?.priority == stored)
    }

    @Test("V17: GIC CDRCFG reports the state in ICC_ICSR_EL1; F = 1 for an ID the IRS cannot reach")
    func requestConfig() {
        var cpu = readyCPU()
        var irs = irs(spis: 4, lpiBits: 4)
        irs.setEnabled(spi(3), true)
        irs.setHandlingMode(spi(3), .level)
        irs.setPriority(spi(3), 0x11)
        irs.setTarget(spi(3), iaffid: 0x42, routing: .oneOfN)   // IRM RES0 without 1-of-N routing
        GICv5Guest.execute(.requestConfig(spi(3)), cpu: &cpu, irs: &irs)
        #expect(cpu.interruptStatus.rawValue == 0x0000_0042_0000_8822)
        #expect(!cpu.interruptStatus.failed && cpu.interruptStatus.target == 0x42 && cpu.interruptStatus.priority == 0x11)
        for unreachable in [spi(4), lpi(16)] {
            GICv5Guest.execute(.requestConfig(unreachable), cpu: &cpu, irs: &irs)
            #expect(cpu.interruptStatus == .failed)
        }
    }

    @Test("Commands on unreachable SPIs and LPIs change nothing; host-side calls on them throw")
    func unreachable() {
        var irs = irs(spis: 2, lpiBits: 4)
        let before = irs
        let enabledSPI = irs.setEnabled(spi(2), true)
        let pendingLPI = irs.setPending(lpi(16), true)
        #expect(!enabledSPI && !pendingLPI)
        #expect(irs == before)
        #expect(throws: GICv5ModelError.noSuchSPI(id: 2, count: 2)) { try irs.setLine(spi: 2, level: true) }
        #expect(throws: GICv5ModelError.noSuchLPI(id: 16, idBits: 4)) { try irs.setLPIPending(16) }
    }

    @Test("An LPI returned to its reset state is forgotten, so equal states compare equal")
    func lpiNormalisation() throws {
        var irs = irs()
        try irs.setLPIPending(5)
        #expect(irs.lpis.count == 1)
        irs.setPending(lpi(5), false)
        #expect(irs == self.irs())
    }
}

@Suite("Interrupt state table entries and IST geometry")
struct StateTableTests {
    /// The entry layout written out independently: PENDING 0, ACTIVE 1, HM 2, ENABLE 3, IRM 4,
    /// HWU [10:9], PRIORITY [15:11], IAFFID [31:16].
    func oracle(_ s: IRSInterrupt, hwu: UInt32) -> UInt32 {
        (s.pending ? 1 : 0) | (s.active ? 2 : 0) | (s.handlingMode == .level ? 4 : 0) | (s.enabled ? 8 : 0)
            | (s.routing == .oneOfN ? 16 : 0) | hwu << 9 | UInt32(s.priority) << 11 | UInt32(s.target) << 16
    }

    @Test("L2 ISTE: every flag combination × HWU × priority encodes as the layout and decodes back")
    func entryRoundTrip() throws {
        var mismatches = 0
        for flags in UInt32(0)..<32 {
            for hwu in UInt32(0)..<4 {
                for priority in UInt8(0)..<32 {
                    let target = UInt16(truncatingIfNeeded: flags &* 2749 &+ UInt32(priority) &* 40503)
                    let state = IRSInterrupt(enabled: flags & 8 != 0, pending: flags & 1 != 0, active: flags & 2 != 0,
                                             handlingMode: flags & 4 != 0 ? .level : .edge, priority: priority,
                                             target: target, routing: flags & 16 != 0 ? .oneOfN : .targeted)
                    let entry = InterruptStateTableEntry(state: state, hardwareUse: UInt8(hwu))
                    let raw = oracle(state, hwu: hwu)
                    let decoded = try InterruptStateTableEntry(rawValue: raw)
                    if entry.rawValue != raw || decoded != entry { mismatches += 1 }
                }
            }
        }
        #expect(mismatches == 0)
    }

    @Test("L2 ISTE bits [8:5] are reserved", arguments: [5, 6, 7, 8])
    func entryReservedBits(_ bitIndex: Int) {
        let raw = UInt32(1) << UInt32(bitIndex) | 0x8
        #expect(throws: GICv5ModelError.reservedBitsSet(what: .interruptStateTableEntry, value: UInt64(raw), reservedMask: 0x1E0)) {
            try InterruptStateTableEntry(rawValue: raw)
        }
    }

    @Test("Restoring an ISTE clears PENDING and HWU and reports the pending state for replay")
    func sanitise() throws {
        let entry = try InterruptStateTableEntry(rawValue: 0x0003_8E0F)
        let (clean, wasPending) = entry.sanitisedForRestore
        #expect(wasPending)
        #expect(clean.rawValue == 0x0003_880E)
        #expect(try InterruptStateTableEntry(rawValue: 0x8).sanitisedForRestore.wasPending == false)
    }

    @Test("IRS state round-trips through ISTEs; the SPI wire is not part of the entry")
    func irsEntries() throws {
        var irs = GICv5IRS(spiCount: 2, lpiIDBits: 6, enabled: true)
        try irs.setTriggerMode(spi: 1, .level)
        try irs.setLine(spi: 1, level: true)
        irs.setPriority(spi(1), 4)
        #expect(irs.stateTableEntry(spi(1))?.rawValue == 0x0000_2005)
        var restored = GICv5IRS(spiCount: 2, lpiIDBits: 6, enabled: true)
        try restored.restore(try #require(irs.stateTableEntry(spi(1))), for: spi(1))
        try restored.restore(InterruptStateTableEntry(rawValue: 0x0001_0009), for: lpi(63))
        #expect(restored.interrupt(spi(1)) == irs.interrupt(spi(1)))
        #expect(restored.spis[1].lineLevel == false)
        #expect(restored.interrupt(lpi(63)) == IRSInterrupt(enabled: true, pending: true, target: 1))
        #expect(throws: GICv5ModelError.noSuchLPI(id: 64, idBits: 6)) {
            try restored.restore(InterruptStateTableEntry(state: IRSInterrupt()), for: lpi(64))
        }
    }

    @Test("L1 ISTE: VALID bit 0, L2 address [55:12]")
    func level1Entry() throws {
        let entry = try ISTLevel1Entry(valid: true, level2Address: 0x00AB_CDEF_1234_5000)
        #expect(entry.rawValue == 0x00AB_CDEF_1234_5001)
        #expect(try ISTLevel1Entry(rawValue: 0x00AB_CDEF_1234_5001) == entry)
        #expect(throws: GICv5ModelError.reservedBitsSet(what: .istLevel1Entry, value: 0x1002, reservedMask: ISTLevel1Entry.reservedMask)) {
            try ISTLevel1Entry(rawValue: 0x1002)
        }
        #expect(throws: GICv5ModelError.reservedBitsSet(what: .istLevel1Address, value: 0x800, reservedMask: ~ISTLevel1Entry.addressMask)) {
            try ISTLevel1Entry(valid: false, level2Address: 0x800)
        }
    }

    @Test("IST location: linear tables index by ID × entry size; two-level tables split the ID", arguments: [
        // (IRS_IST_CFGR, id, L1 index, byte offset)
        (UInt32(0x0000_0010), UInt32(5), UInt32?.none, UInt64(20)),          // linear, 16 bits, 4-byte entries
        (0x0000_0090, 5, nil, 40),                                           // linear, 8-byte entries
        (0x0001_0010, 0x401, 1, 4),                                          // 2-level, 4K L2, 4-byte: 10 index bits
        (0x0001_0030, 0x1001, 1, 4),                                         // 16K L2: 12 index bits
        (0x0001_0150, 0x1001, 1, 16),                                        // 64K L2, 16-byte: 12 index bits
    ])
    func istLocation(_ config: UInt32, _ id: UInt32, _ l1: UInt32?, _ offset: UInt64) throws {
        let geometry = try ISTGeometry(configRegister: config)
        #expect(geometry.location(of: id) == ISTGeometry.Location(level1Index: l1, byteOffset: offset))
        #expect(geometry.configRegister == config)
        #expect(geometry.location(of: 1 << UInt32(geometry.idBits)) == nil)
    }

    @Test("IRS_IST_CFGR: reserved sizes and unknown bits are refused")
    func istConfigRefusals() throws {
        #expect(throws: GICv5ModelError.outOfRange(what: .istLevel2Size, value: 3, allowed: 0...2)) {
            try ISTGeometry(configRegister: 0x0000_0070)
        }
        #expect(throws: GICv5ModelError.outOfRange(what: .istEntrySize, value: 3, allowed: 0...2)) {
            try ISTGeometry(configRegister: 0x0000_0190)
        }
        #expect(throws: GICv5ModelError.outOfRange(what: .istIDBits, value: 0, allowed: 1...24)) {
            try ISTGeometry(configRegister: 0)
        }
        #expect(throws: GICv5ModelError.reservedBitsSet(what: .istConfig, value: 0x210, reservedMask: UInt64(~UInt32(0x1_01FF)))) {
            try ISTGeometry(configRegister: 0x210)
        }
        #expect(try ISTGeometry(configRegister: 0x0001_0014).level1EntryCount == 1024)
    }
}
