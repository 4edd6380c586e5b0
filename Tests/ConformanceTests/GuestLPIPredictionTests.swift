@testable import Conformance
import GICModel
import GICVocabulary
import GuestHarness
import Testing

/// The LPI guest cases (`its.guest.*`, `its.figures.lpi_latency`) on the model: each passes its
/// own checks on both kernel lines, and the guest's driver writes what the ITS reads.
@Suite("The model's prediction of the LPI guest cases")
struct GuestLPIPredictionTests {
    static let cases = (GuestCatalog.lpi + GuestCatalog.lpiLatency).map { $0.name }

    @Test("passes its case's checks on 6.12 and 7.x", arguments: cases)
    func prediction(name: String) throws {
        let guestCase = try #require((GuestCatalog.lpi + GuestCatalog.lpiLatency).first { $0.name == name })
        for kernel in KernelBehaviour.allCases {
            var machine = try GuestModelMachine(try guestCase.build(), kernel: kernel)
            let outcome = machine.run()
            let verdict = guestCase.check(outcome, GuestCheckContext(kernel: kernel, affinities: machine.affinities))
            if case .pass = verdict { continue }
            Issue.record("\(kernel): \(verdict.detail)\n\(outcome.trace.events.map { $0.description }.joined(separator: "\n"))")
        }
    }

    @Test("the commands the guest stores into its queue decode as the commands it sent")
    func queueHoldsTheCommands() {
        let commands: [ITSCommand] = [
            .mapc(collection: 3, target: 1, valid: true), .mapd(device: 7, itt: LPIGuestLayout.itt(7), eventIDBits: 5, valid: true),
            .mapti(device: 7, event: 4, lpi: 8200, collection: 3), .movi(device: 7, event: 4, collection: 0), .discard(device: 7, event: 4),
        ]
        var driver = LPIDriver(vcpuCount: 1)
        var script = GuestScript()
        driver.send(commands, &script)
        var memory = SparseGuestMemory(regions: [GuestLayout.ramBase..<(GuestLayout.ramBase + UInt64(GuestLayout.ramBytes))])
        var cwriter: UInt64?
        for op in script.ops {
            guard case .mmioWrite(.absolute, let offset, .immediate(let word)) = op else { continue }
            let address = UInt64(offset)
            if address == LabLayout.its + UInt64(ITSRegister.gitsCWRITER.offset) { cwriter = word; continue }
            let stored = memory.write((0..<4).map { UInt8(truncatingIfNeeded: word >> UInt64(8 * $0)) }, at: address)
            #expect(stored)
        }
        #expect(cwriter == UInt64(commands.count * ITSCommand.size))
        for (index, command) in commands.enumerated() {
            let bytes = memory.bytes(at: LPIGuestLayout.commandQueue + UInt64(index * ITSCommand.size), count: ITSCommand.size) ?? []
            #expect(ITSCommand(bytes: bytes[...]) == command)
        }
        #expect(driver.writeOffset == UInt32(commands.count * 32))
    }

    @Test("the tables lie in the tables area, 64 KiB-aligned where KVM reads them so, and apart")
    func layout() {
        let area = LPIGuestLayout.tables..<(LPIGuestLayout.tables + UInt64(GuestLayout.tablesBytes))
        let regions: [(UInt64, UInt64)] = [
            (LPIGuestLayout.propertyTable, 0x2000), (LPIGuestLayout.deviceTable, 0x1_0000), (LPIGuestLayout.collectionTable, 0x1_0000),
            (LPIGuestLayout.commandQueue, UInt64(LPIGuestLayout.commandQueuePages * 0x1000)), (LPIGuestLayout.itt(0), 8 * 0x400),
            (LPIGuestLayout.wideITT, 0x2_0000),
        ] + (0..<GuestLayout.maximumVCPUs).map { (LPIGuestLayout.pendingTable($0), 0x800) }
        for (index, (base, size)) in regions.enumerated() {
            #expect(area.contains(base) && area.contains(base + size - 1), "region \(index)")
            for (other, (otherBase, otherSize)) in regions.enumerated() where other != index {
                #expect(base + size <= otherBase || otherBase + otherSize <= base, "regions \(index) and \(other) overlap")
            }
        }
        for base in [LPIGuestLayout.deviceTable, LPIGuestLayout.collectionTable] + (0..<8).map(LPIGuestLayout.pendingTable) {
            #expect(base % 0x1_0000 == 0)
        }
        #expect(LPIGuestLayout.queueSlots == 256)
    }

    @Test("DISCARD blocks the event's MSI (0) and CLEAR drops its pending LPI: only the later MSI is taken")
    func discardAndClear() throws {
        var machine = try GuestModelMachine(try GuestLPIScenarios.discardClear(), kernel: .linux7)
        let outcome = machine.run()
        #expect(outcome.trace.observations == [0, 1, 1])
        #expect(outcome.trace.acknowledged(by: 0) == [8193])
    }

    @Test("a model whose ITS delivers through an unmapped collection fails its case", arguments: KernelBehaviour.allCases)
    func unmappedCollectionMutant(kernel: KernelBehaviour) throws {
        let guestCase = try #require(GuestCatalog.lpi.first { $0.name == "its.guest.unmapped_collection" })
        var machine = try GuestModelMachine(try guestCase.build(), kernel: kernel, itsMutations: .unmappedCollectionDelivers)
        let outcome = machine.run()
        guard case .fail = guestCase.check(outcome, GuestCheckContext(kernel: kernel, affinities: machine.affinities)) else {
            Issue.record("the mutant passed")
            return
        }
    }

    @Test("the LPI cases fail on an outcome that took an LPI on the wrong vCPU")
    func checksCanFail() throws {
        var machine = try GuestModelMachine(try GuestLPIScenarios.delivery(.signalMSI), kernel: .linux7)
        var outcome = machine.run()
        // Move vCPU 1's first acknowledgement to vCPU 0.
        let index = try #require(outcome.trace.events.firstIndex {
            if case .logged(1, let entry) = $0, entry.tag == .acknowledged { return true }
            return false
        })
        guard case .logged(_, let entry) = outcome.trace.events[index] else { return }
        outcome.trace.events[index] = .logged(vcpu: 0, entry)
        guard case .fail = GuestLPIScenarios.checkDelivery(outcome, .signalMSI) else {
            Issue.record("a misrouted LPI passed")
            return
        }
    }
}
