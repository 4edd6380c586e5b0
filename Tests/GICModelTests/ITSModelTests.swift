import GICModel
import GICVocabulary
import Testing

/// A vgic with an ITS in the delivery model, guest RAM of 2 MiB at 1 GiB with the tables in its
/// upper mebibyte, and the guest's way of issuing commands: each written into the queue, then
/// GITS_CWRITER (GICModel.docc/ITSModel.md).
struct ITSBench {
    static let ram: UInt64 = 0x4000_0000
    static let propertyTable = ram + 0x10_0000
    static func pendingTable(_ vcpu: Int) -> UInt64 { ram + 0x11_0000 + UInt64(vcpu) * 0x1_0000 }
    static let deviceTable = ram + 0x15_0000
    static let collectionTable = ram + 0x16_0000
    static let commandQueue = ram + 0x17_0000
    static func itt(_ device: UInt32) -> UInt64 { ram + 0x18_0000 + UInt64(device) * 0x400 }

    var delivery: VGICDelivery
    var memory = SparseGuestMemory(regions: [ram..<(ram + 0x20_0000)])
    var slot: UInt64 = 0

    /// `vcpus` vCPUs with LPIs enabled on each (tables written by the host, as after a
    /// migration), property bytes `priority | enable` for every LPI, the ITS enabled.
    init(vcpus: UInt32 = 2, kernel: KernelBehaviour = .linux7, property: UInt8 = 0xA1, mutations: ITSMutation = []) {
        var configuration = GICv3ModelConfiguration.vcpus(vcpus, interruptCount: 128, kernel: kernel)
        configuration.hasITS = true
        delivery = VGICDelivery(gic: GICv3Model(configuration: configuration), its: ITSModel(kernel: kernel, mutations: mutations))
        _ = memory.write([UInt8](repeating: property, count: 0x1000), at: Self.propertyTable)
        for vcpu in 0..<Int(vcpus) {
            try! delivery.hostWriteRedistributor(cpu(UInt32(vcpu)), offset: 0x70, UInt32(Self.propertyTable | 15))
            try! delivery.hostWriteRedistributor(cpu(UInt32(vcpu)), offset: 0x78, UInt32(truncatingIfNeeded: Self.pendingTable(vcpu)))
            delivery.writeLPIControl(1, vcpu: vcpu, memory: memory)
        }
        try! delivery.hostWriteDistributor(offset: 0, 0x12)  // GICD_CTLR: ARE, EnableGrp1
        write(.gitsBASER, 0, ITSRegister.validBit | Self.deviceTable)
        write(.gitsBASER, 1, ITSRegister.validBit | Self.collectionTable)
        write(.gitsCBASER, 0, ITSRegister.validBit | Self.commandQueue | 3)
        write(.gitsCTLR, 0, 1)
    }

    mutating func write(_ register: ITSRegister, _ index: UInt32, _ value: UInt64) {
        let errno = delivery.hostWriteITS(register, index: index, value, memory: &memory)
        #expect(errno == nil)
    }

    /// Queues `commands` and advances GITS_CWRITER past them with a guest write.
    mutating func run(_ commands: [ITSCommand]) {
        for command in commands {
            _ = memory.write(command.bytes, at: Self.commandQueue + slot)
            slot = (slot + 32) % 0x4000
        }
        delivery.guestWriteITS(offset: 0x88, slot, memory: &memory)
    }

    var its: ITSModel { delivery.its! }

    func translation(_ device: UInt32, _ event: UInt32) -> ITSTranslation? {
        its.devices.first { $0.id == device }?.translations.first { $0.event == event }
    }
}

@Suite("ITS model: commands, translations, tables")
struct ITSModelTests {
    @Test("MAPD, MAPC, MAPTI make an MSI deliver its LPI to the collection's vCPU, and a command queue that catches up is quiescent")
    func mapAndSignal() {
        var bench = ITSBench()
        bench.run([.mapd(device: 1, itt: ITSBench.itt(1), eventIDBits: 4, valid: true), .mapc(collection: 0, target: 1, valid: true),
                   .mapti(device: 1, event: 3, lpi: 8200, collection: 0)])
        #expect(bench.its.readOffset == 96 && bench.delivery.guestReadITS(offset: 0) == 0x8000_0001)
        let result1 = bench.delivery.signalMSI(device: 1, event: 3)
        #expect(result1 == .delivered)
        #expect(bench.delivery.gic.lpi(8200)?.interrupt.latch == true)
        #expect(bench.delivery.gic.lpi(8200)?.target == 1)
        #expect(bench.delivery.gic.lpi(8200)?.interrupt.priority == 0xA0)
        #expect(bench.delivery.vcpus[1].apList == [8200])
        let result2 = bench.delivery.signalMSI(device: 1, event: 4)
        #expect(result2 == .blocked)
        let result3 = bench.delivery.signalMSI(device: 2, event: 3)
        #expect(result3 == .blocked)
    }

    @Test("command errors change nothing: unmapped device, event beyond the ITT, LPI outside PROPBASER's IDbits, unmapped collection")
    func commandErrors() {
        var bench = ITSBench()
        var its = bench.its
        var gic = bench.delivery.gic
        var joins: [APListJoin] = []
        func run(_ command: ITSCommand) -> ITSCommandError? { its.execute(command, gic: &gic, memory: &bench.memory, joins: &joins) }
        #expect(run(.mapti(device: 9, event: 0, lpi: 8192, collection: 0)) == .architectural(.maptiUnmappedDevice))
        #expect(run(.mapd(device: 9, itt: ITSBench.itt(9), eventIDBits: 2, valid: true)) == nil)
        #expect(run(.mapti(device: 9, event: 4, lpi: 8192, collection: 0)) == .architectural(.maptiEventOutOfRange))
        #expect(run(.mapti(device: 9, event: 0, lpi: 8191, collection: 0)) == .architectural(.maptiPhysicalIDOutOfRange))
        #expect(run(.mapti(device: 9, event: 0, lpi: 65536, collection: 0)) == .architectural(.maptiPhysicalIDOutOfRange))
        #expect(run(.mapd(device: 9, itt: 0, eventIDBits: 17, valid: true)) == .architectural(.mapdITTSizeOutOfRange))
        #expect(run(.mapd(device: 8192, itt: 0, eventIDBits: 1, valid: true)) == .architectural(.mapdDeviceOutOfRange))
        #expect(run(.mapc(collection: 1, target: 2, valid: true)) == .architectural(.mapcProcessorOutOfRange))
        #expect(run(.invall(collection: 1)) == .architectural(.invallUnmappedCollection))
        // A MAPTI through a collection nobody mapped creates it unmapped: the MSI is blocked.
        #expect(run(.mapti(device: 9, event: 1, lpi: 8193, collection: 5)) == nil)
        #expect(its.collections.map(\.id) == [5] && its.collections[0].target == nil)
        let blocked = its.signal(device: 9, event: 1, gic: &gic).delivery
        #expect(blocked == .blocked)
        #expect(run(.movi(device: 9, event: 1, collection: 5)) == .architectural(.moviUnmappedCollection))
        #expect(run(.discard(device: 9, event: 1)) == .architectural(.discardUnmappedInterrupt))
        #expect(run(.movall(from: 0, to: 7)) == .architectural(.movallProcessorOutOfRange))
        #expect(run(.clear(device: 9, event: 3)) == .architectural(.clearUnmappedInterrupt))
    }

    @Test("an LPI mapped by a second event: shared on 6.12, refused with EEXIST on 7.x", arguments: KernelBehaviour.allCases)
    func sharedLPI(kernel: KernelBehaviour) {
        var bench = ITSBench(kernel: kernel)
        bench.run([.mapd(device: 1, itt: ITSBench.itt(1), eventIDBits: 4, valid: true), .mapc(collection: 0, target: 0, valid: true),
                   .mapc(collection: 1, target: 1, valid: true), .mapti(device: 1, event: 0, lpi: 8192, collection: 0),
                   .mapti(device: 1, event: 1, lpi: 8192, collection: 1)])
        let second = bench.delivery.signalMSI(device: 1, event: 1)
        #expect(second == (kernel.itsRefusesSharedLPI ? .blocked : .delivered))
        // Where it is shared, the LPI keeps the first mapping's target.
        #expect(bench.delivery.gic.lpi(8192)?.target == 0)
        // References: 7.x, the first event's ITE; 6.12, both ITEs, the cache entry and the ap_list.
        #expect(bench.delivery.gic.lpi(8192)?.references == (kernel.itsRefusesSharedLPI ? 1 : 4))
    }

    @Test("MAPTI takes the LPI's pending bit from its target's pending table and clears it there")
    func pendingTableSync() {
        var bench = ITSBench()
        _ = bench.memory.write([0x01], at: ITSBench.pendingTable(1) + 8200 / 8)
        bench.run([.mapd(device: 1, itt: ITSBench.itt(1), eventIDBits: 4, valid: true), .mapc(collection: 0, target: 1, valid: true),
                   .mapti(device: 1, event: 0, lpi: 8200, collection: 0)])
        #expect(bench.delivery.gic.lpi(8200)?.interrupt.latch == true)
        #expect(bench.memory.byte(at: ITSBench.pendingTable(1) + 8200 / 8) == 0)
        #expect(bench.delivery.vcpus[1].apList == [8200])
        // SAVE_PENDING_TABLES writes it back.
        let result4 = bench.delivery.savePendingTables(into: &bench.memory)
        #expect(result4 == nil)
        #expect(bench.memory.byte(at: ITSBench.pendingTable(1) + 8200 / 8) == 0x01)
    }

    @Test("MAPC V=0 keeps the translations without a collection: saved as zero entries, the MSI blocked")
    func unmapCollection() {
        var bench = ITSBench()
        bench.run([.mapd(device: 1, itt: ITSBench.itt(1), eventIDBits: 4, valid: true), .mapc(collection: 0, target: 0, valid: true),
                   .mapti(device: 1, event: 0, lpi: 8192, collection: 0), .mapti(device: 1, event: 2, lpi: 8193, collection: 1),
                   .mapc(collection: 1, target: 1, valid: true), .mapti(device: 1, event: 5, lpi: 8194, collection: 0),
                   .mapc(collection: 1, target: 0, valid: false)])
        #expect(bench.translation(1, 2)?.collection == nil)
        let result5 = bench.delivery.signalMSI(device: 1, event: 2)
        #expect(result5 == .blocked)
        let result6 = bench.delivery.saveITSTables(into: &bench.memory)
        #expect(result6 == nil)
        let itt = ITSBench.itt(1)
        #expect(bench.memory.doubleword(at: itt + 16) == 0)
        // ITE 0's `next`: 6.12 would point at event 2 (the zero entry); 7.x skips it to event 5.
        #expect(ITSTranslationTableEntry(rawValue: bench.memory.doubleword(at: itt)!) == .init(next: 5, lpi: 8192, collection: 0))
        #expect(ITSTranslationTableEntry(rawValue: bench.memory.doubleword(at: itt + 40)!) == .init(next: 0, lpi: 8194, collection: 0))
        var old = ITSBench(kernel: .debian6_12)
        old.run([.mapd(device: 1, itt: ITSBench.itt(1), eventIDBits: 4, valid: true), .mapc(collection: 0, target: 0, valid: true),
                 .mapti(device: 1, event: 0, lpi: 8192, collection: 0), .mapti(device: 1, event: 2, lpi: 8193, collection: 1),
                 .mapc(collection: 1, target: 1, valid: true), .mapc(collection: 1, target: 0, valid: false)])
        let result7 = old.delivery.saveITSTables(into: &old.memory)
        #expect(result7 == nil)
        #expect(ITSTranslationTableEntry(rawValue: old.memory.doubleword(at: itt)!).next == 2)
    }

    @Test("save then restore into a fresh ITS gives the same devices, collections, translations and LPIs")
    func saveRestore() {
        var bench = ITSBench(vcpus: 2)
        var commands: [ITSCommand] = [.mapc(collection: 3, target: 1, valid: true), .mapc(collection: 0, target: 0, valid: true)]
        for device: UInt32 in [5, 1, 9] {
            commands.append(.mapd(device: device, itt: ITSBench.itt(device), eventIDBits: 5, valid: true))
            for event: UInt32 in [7, 0, 30] { commands.append(.mapti(device: device, event: event, lpi: 8192 + device * 32 + event, collection: event == 0 ? 3 : 0)) }
        }
        bench.run(commands)
        let result8 = bench.delivery.signalMSI(device: 9, event: 0)
        #expect(result8 == .delivered)
        let result9 = bench.delivery.saveITSTables(into: &bench.memory)
        #expect(result9 == nil)
        let result10 = bench.delivery.savePendingTables(into: &bench.memory)
        #expect(result10 == nil)
        #expect(bench.its.devices.map(\.id) == [1, 5, 9])
        #expect(ITSCollectionTableEntry(rawValue: bench.memory.doubleword(at: ITSBench.collectionTable)!) == .init(target: 1, collection: 3))
        #expect(bench.memory.doubleword(at: ITSBench.collectionTable + 16) == 0)

        var target = ITSBench(vcpus: 2)
        target.memory = bench.memory
        // The restore order: registers (all but CTLR), the tables, then GITS_CTLR.
        var fresh = target.delivery
        fresh.resetITS()
        let result11 = fresh.hostWriteITS(.gitsBASER, index: 0, ITSRegister.validBit | ITSBench.deviceTable, memory: &target.memory)
        #expect(result11 == nil)
        let result12 = fresh.hostWriteITS(.gitsBASER, index: 1, ITSRegister.validBit | ITSBench.collectionTable, memory: &target.memory)
        #expect(result12 == nil)
        let result13 = fresh.restoreITSTables(from: &target.memory)
        #expect(result13 == nil)
        #expect(fresh.its?.collections == bench.its.collections)
        #expect(fresh.its?.devices == bench.its.devices)
        #expect(fresh.gic.lpi(8192 + 9 * 32)?.interrupt.latch == true)
        #expect(fresh.gic.lpi(8192 + 9 * 32)?.target == 1)
        // The pending bit was consumed from the table.
        #expect(target.memory.byte(at: ITSBench.pendingTable(1) + UInt64(8192 + 9 * 32) / 8) == 0)
    }

    @Test("restore refuses what breaks a rule: a DTE beyond 16 EventID bits, an ITE below LPI 8192, a collection twice")
    func restoreRefusals() {
        for (address, raw, errno) in [
            (ITSBench.deviceTable, ITSDeviceTableEntry(next: 0, ittAddress: ITSBench.itt(0), eventIDBits: 17).rawValue, KernelErrno.EINVAL),
            (ITSBench.itt(0), ITSTranslationTableEntry(next: 0, lpi: 100, collection: 0).rawValue, .EINVAL),
            (ITSBench.collectionTable + 8, ITSCollectionTableEntry(target: 0, collection: 0).rawValue, .EEXIST),
        ] {
            var bench = ITSBench()
            bench.delivery.resetITS()
            _ = bench.memory.writeDoubleword(ITSCollectionTableEntry(target: 0, collection: 0).rawValue, at: ITSBench.collectionTable)
            _ = bench.memory.writeDoubleword(ITSDeviceTableEntry(next: 0, ittAddress: ITSBench.itt(0), eventIDBits: 4).rawValue, at: ITSBench.deviceTable)
            _ = bench.memory.writeDoubleword(raw, at: address)
            bench.write(.gitsBASER, 0, ITSRegister.validBit | ITSBench.deviceTable)
            bench.write(.gitsBASER, 1, ITSRegister.validBit | ITSBench.collectionTable)
            let result14 = bench.delivery.restoreITSTables(from: &bench.memory)
            #expect(result14 == errno)
            #expect(bench.its.devices.isEmpty && bench.its.collections.isEmpty)
        }
    }

    @Test("the translation cache: an LPI retargeted to a vCPU with LPIs disabled is still delivered once cached, refused when not")
    func translationCache() {
        var bench = ITSBench()
        bench.run([.mapd(device: 1, itt: ITSBench.itt(1), eventIDBits: 4, valid: true), .mapc(collection: 0, target: 0, valid: true),
                   .mapti(device: 1, event: 0, lpi: 8192, collection: 0), .mapti(device: 1, event: 1, lpi: 8193, collection: 0)])
        #expect(bench.delivery.signalMSI(device: 1, event: 0) == .delivered)  // cached now
        bench.delivery.writeLPIControl(0, vcpu: 1, memory: bench.memory)  // vCPU 1's LPIs off (empties caches)
        #expect(bench.delivery.signalMSI(device: 1, event: 0) == .delivered)  // cached again
        bench.run([.mapc(collection: 0, target: 1, valid: true)])  // retarget: no invalidation
        let result15 = bench.delivery.signalMSI(device: 1, event: 0)
        #expect(result15 == .delivered)
        let result16 = bench.delivery.signalMSI(device: 1, event: 1)
        #expect(result16 == .refused(.EBUSY))
        var uncached = ITSBench(mutations: .noTranslationCache)
        uncached.run([.mapd(device: 1, itt: ITSBench.itt(1), eventIDBits: 4, valid: true), .mapc(collection: 0, target: 0, valid: true),
                      .mapti(device: 1, event: 0, lpi: 8192, collection: 0)])
        let result17 = uncached.delivery.signalMSI(device: 1, event: 0)
        #expect(result17 == .delivered)
        uncached.delivery.writeLPIControl(0, vcpu: 1, memory: uncached.memory)
        uncached.run([.mapc(collection: 0, target: 1, valid: true)])
        let result18 = uncached.delivery.signalMSI(device: 1, event: 0)
        #expect(result18 == .refused(.EBUSY))
    }

    @Test("a discarded LPI still queued keeps its pending state until it leaves the ap_list")
    func discardWhileQueued() {
        var bench = ITSBench()
        bench.run([.mapd(device: 1, itt: ITSBench.itt(1), eventIDBits: 4, valid: true), .mapc(collection: 0, target: 0, valid: true),
                   .mapti(device: 1, event: 0, lpi: 8192, collection: 0)])
        let result19 = bench.delivery.signalMSI(device: 1, event: 0)
        #expect(result19 == .delivered)
        bench.run([.discard(device: 1, event: 0)])
        #expect(bench.translation(1, 0) == nil)
        #expect(bench.delivery.gic.lpi(8192)?.interrupt.latch == true)
        #expect(bench.delivery.gic.lpi(8192)?.references == 1)  // the ap_list's
        let result20 = bench.delivery.savePendingTables(into: &bench.memory)
        #expect(result20 == nil)
        #expect(bench.memory.byte(at: ITSBench.pendingTable(0) + 1024) == 1)
        bench.delivery.writeLPIControl(0, vcpu: 0, memory: bench.memory)
        #expect(bench.delivery.gic.lpi(8192) == nil)
    }

    @Test("INV and INVALL re-read the property table; the guest acknowledges the LPI and its active state is dropped on exit")
    func propertyAndDelivery() {
        var bench = ITSBench(property: 0xA0)  // disabled
        bench.run([.mapd(device: 1, itt: ITSBench.itt(1), eventIDBits: 4, valid: true), .mapc(collection: 0, target: 0, valid: true),
                   .mapti(device: 1, event: 0, lpi: 8192, collection: 0)])
        let result21 = bench.delivery.signalMSI(device: 1, event: 0)
        #expect(result21 == .delivered)
        #expect(bench.delivery.vcpus[0].apList.isEmpty)  // pending but disabled
        _ = bench.memory.write([0x43], at: ITSBench.propertyTable)
        bench.run([.inv(device: 1, event: 0)])
        #expect(bench.delivery.gic.lpi(8192)?.interrupt.enabled == true && bench.delivery.gic.lpi(8192)?.interrupt.priority == 0x40)
        #expect(bench.delivery.vcpus[0].apList == [8192])
        try! bench.delivery.hostWriteSystemRegister(cpu(0), ICCRegister.iccPMR.encoding, 0xF8)
        try! bench.delivery.hostWriteSystemRegister(cpu(0), ICCRegister.iccIGRPEN1.encoding, 1)
        bench.delivery.enter(0, loading: true)
        #expect(bench.delivery.vcpus[0].listRegisters.first?.priority == 0x40)
        #expect(bench.delivery.guestAcknowledge(group1: true, vcpu: 0) == 8192)
        bench.delivery.exit(0)
        #expect(bench.delivery.gic.lpi(8192)?.interrupt.active == false)
        #expect(bench.delivery.gic.lpi(8192)?.queuedOn == nil)
        bench.delivery.enter(0, loading: true)
        bench.delivery.guestEndOfInterrupt(8192, group1: true, vcpu: 0)
        #expect(bench.delivery.guestRunningPriority(vcpu: 0) == 0xFF)
        #expect(bench.delivery.vcpus[0].control.eoiCount == 0)
    }
}
