import GICModel
import GICSnapshot
import GICVocabulary
import KVM
import KVMSimulation
import Testing
import VGIC
import TestSupport

/// A vgic with an ITS in a snapshot (GICSnapshot.docc/RestoreRules.md "The ITS"): the registers in
/// the ITS section, the tables in guest RAM the VMM migrates, the restore order as data, and the
/// refusals before any write — on the simulated kernel, whose ITS is the ITS model.
@Suite("Snapshots with an ITS")
struct ITSSnapshotTests {
    static let ram: UInt64 = 0x4000_0000
    static let ramBytes = 0x20_0000
    static let propertyTable = ram + 0x10_0000
    static func pendingTable(_ vcpu: Int) -> UInt64 { ram + 0x11_0000 + UInt64(vcpu) * 0x1_0000 }
    static let collectionTable = ram + 0x15_0000
    static let commandQueue = ram + 0x16_0000
    static let itt = ram + 0x17_0000
    static let deviceTable = ram + 0x18_0000
    static let layout = TestLayout(vcpuIDs: [0, 1], interruptCount: 128, its: true)

    /// A VM with guest RAM, two vCPUs and a vgic-v3 with an ITS on `kernel`; `body` gets the RAM too.
    static func withMachine<Result>(
        _ kernel: SimulatedKernel, _ body: (borrowing GuestMemory, borrowing VGIC, inout VCPUSet) throws -> Result
    ) throws -> Result {
        let kvm = try KVM.open(interface: .simulated(kernel))
        let vm = try kvm.createVM()
        let memory = try vm.allocateGuestMemory(bytes: ramBytes)
        try vm.mapMemory(memory, slot: 0, guestAddress: ram)
        var set = VCPUSet()
        for id in layout.vcpuIDs { try set.insert(try vm.createVCPU(id: id)) }
        let vgic = try VGIC.create(on: vm, configuration: layout.configuration, vcpus: set.identities)
        return try body(memory, vgic, &set)
    }

    /// What a guest driver does: LPIs 8192...8199 enabled at priority 0xA0, the LPI tables and
    /// EnableLPIs on both vCPUs, the ITS's tables and queue, then `commands` through the queue.
    static func drive(_ memory: borrowing GuestMemory, _ vgic: borrowing VGIC, _ vcpus: [VCPUIdentity], _ commands: [ITSCommand]) throws {
        let written = memory.write([UInt8](repeating: 0xA1, count: 8), at: Int(propertyTable - ram))
            #expect(written)
        for (index, vcpu) in vcpus.enumerated() {
            try vgic.setLPIPropertyBase(propertyTable | 15, of: vcpu)
            try vgic.setLPIPendingBase(pendingTable(index), of: vcpu)
            try vgic.setLPIsEnabled(true, on: vcpu)
        }
        try vgic.setITSRegister(.gitsBASER, index: 0, to: ITSRegister.validBit | deviceTable)
        try vgic.setITSRegister(.gitsBASER, index: 1, to: ITSRegister.validBit | collectionTable)
        try vgic.setITSRegister(.gitsCBASER, to: ITSRegister.validBit | commandQueue)
        try vgic.setITSRegister(.gitsCTLR, to: 1)
        var writer = try vgic.itsRegister(.gitsCWRITER)
        for command in commands {
            let written = memory.write(command.bytes, at: Int(commandQueue - ram + writer))
            #expect(written)
            writer += 32
        }
        try vgic.setITSRegister(.gitsCWRITER, to: writer)
    }

    /// Two collections on the two vCPUs, device 1 with events 0 and 1, device 2 with event 3.
    static let commands: [ITSCommand] = [
        .mapc(collection: 0, target: 0, valid: true), .mapc(collection: 1, target: 1, valid: true),
        .mapd(device: 1, itt: itt, eventIDBits: 4, valid: true), .mapd(device: 2, itt: itt + 0x100, eventIDBits: 4, valid: true),
        .mapti(device: 1, event: 0, lpi: 8192, collection: 0), .mapti(device: 1, event: 1, lpi: 8193, collection: 1),
        .mapti(device: 2, event: 3, lpi: 8195, collection: 1),
    ]

    /// The source: driven, LPI 8192 made pending by an MSI, then captured with guest RAM copied.
    static func source(_ kernel: SimulatedKernel = simulatedKernel()) throws -> (GICSnapshot, [UInt8]) {
        try withMachine(kernel) { memory, vgic, set in
            try drive(memory, vgic, set.identities, commands)
            #expect(try vgic.signalMSI(deviceID: 1, eventID: 0) == .delivered(1))
            let snapshot = try capture(vgic, &set)
            return (snapshot, memory.bytes(at: 0, count: ramBytes) ?? [])
        }
    }

    static func restoring(
        _ snapshot: GICSnapshot, _ vgic: borrowing VGIC, _ set: inout VCPUSet, declared: RestoredGuestMemory
    ) -> SnapshotError? {
        do throws(SnapshotError) {
            try set.whileStopped { (stopped) throws(SnapshotError) in try vgic.restoreSnapshot(snapshot, stopped, restoredMemory: declared) }
            return nil
        } catch {
            return error
        }
    }

    static let allRAM = RestoredGuestMemory([ram..<(ram + UInt64(ramBytes))])

    @Test("capture saves the tables into guest RAM and the registers into the ITS section")
    func captured() throws {
        let (snapshot, bytes) = try Self.source()
        let its = try #require(snapshot.its)
        #expect(its.base == 0x0880_0000)
        #expect(its.registers.map(\.register) == ITSRestoreOrder.savedRegisters)
        #expect(its.value(.gitsCTLR).map { $0 & 1 } == 1)
        #expect(its.value(.gitsCREADR) == 7 * 32 && its.value(.gitsCWRITER) == 7 * 32)
        // The collection table in list order, then the device table's entry for device 1.
        let entry = { (address: UInt64) in (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[Int(address - Self.ram) + $1]) << UInt64(8 * $1) } }
        #expect(ITSCollectionTableEntry(rawValue: entry(Self.collectionTable)).collection == 0)
        #expect(ITSCollectionTableEntry(rawValue: entry(Self.collectionTable + 8)).target == 1)
        #expect(ITSDeviceTableEntry(rawValue: entry(Self.deviceTable + 8)).valid)
        // LPI 8192's pending bit went to vCPU 0's pending table.
        #expect(bytes[Int(Self.pendingTable(0) - Self.ram) + 8192 / 8] & 1 == 1)
        #expect(snapshot.itsMemoryRanges.map(\.kind) == [
            .deviceTable, .collectionTable, .commandQueue, .propertyTable,
            .pendingTable(snapshot.identity.vcpus[0].identity.affinity), .pendingTable(snapshot.identity.vcpus[1].identity.affinity),
        ])
        #expect(snapshot.itsMemoryRanges[3].range == Self.propertyTable..<(Self.propertyTable + 0x1_0000 - 8192))
        #expect(snapshot.itsMemoryRanges[4].range == Self.pendingTable(0)..<(Self.pendingTable(0) + 0x2000))
    }

    @Test("guest RAM and the snapshot restore every translation, the pending LPI and the queue")
    func roundTrip() throws {
        let (snapshot, bytes) = try Self.source()
        let decoded = try GICSnapshot(decoding: snapshot.encoded())
        #expect(decoded == snapshot)
        let target = simulatedKernel()
        let (second, answers) = try Self.withMachine(target) { memory, vgic, set in
            let written = memory.write(bytes, at: 0)
            #expect(written)
            if let error = Self.restoring(decoded, vgic, &set, declared: Self.allRAM) { throw error }
            let again = try capture(vgic, &set)
            var answers: [MSIDelivery] = []
            for (device, event) in [(UInt32(1), UInt32(1)), (2, 3), (2, 4), (5, 0)] { answers.append(try vgic.signalMSI(deviceID: device, eventID: event)) }
            return (again, answers)
        }
        #expect(second == snapshot)
        #expect(target.gicv3?.lpi(8192)?.interrupt.latch == true, "the pending LPI is pending again")
        #expect(target.gicv3?.lpi(8195)?.target == 1)
        #expect(answers == [MSIDelivery.delivered(1), .delivered(1), .blocked, .blocked])
    }

    @Test("without the ITS's guest RAM declared restored, restore refuses before any write")
    func undeclaredMemory() throws {
        let (snapshot, bytes) = try Self.source()
        let target = simulatedKernel()
        for declared in [RestoredGuestMemory.none, RestoredGuestMemory([Self.ram..<Self.pendingTable(1)])] {
            let error = try Self.withMachine(target) { memory, vgic, set in
                let written = memory.write(bytes, at: 0)
            #expect(written)
                target.clearCalls()
                return Self.restoring(snapshot, vgic, &set, declared: declared)
            }
            guard case .guestMemoryNotRestored(let missing)? = error else {
                Issue.record("not refused: \(String(describing: error))")
                continue
            }
            #expect(missing.last?.kind == .pendingTable(snapshot.identity.vcpus[1].identity.affinity))
            #expect(target.calls(.setDeviceAttr).isEmpty)
            #expect(target.calls(.setDeviceAttr).isEmpty && target.gicv3?.lpi(8192) == nil)
        }
        // Two declared ranges that meet cover what spans them.
        let halves = RestoredGuestMemory([Self.ram..<(Self.ram + 0x15_1000), (Self.ram + 0x15_1000)..<(Self.ram + 0x20_0000)])
        #expect(snapshot.itsMemoryRanges.allSatisfy { halves.covers($0.range) })
        #expect(!RestoredGuestMemory([Self.ram..<(Self.ram + 0x15_0000), (Self.ram + 0x15_1000)..<(Self.ram + 0x20_0000)]).covers(
            Self.collectionTable..<(Self.collectionTable + 0x1_0000)))
    }

    @Test("the ITS is written after the GICv3, in ITSRestoreOrder")
    func order() throws {
        let (snapshot, bytes) = try Self.source()
        let target = simulatedKernel()
        let calls = try Self.withMachine(target) { memory, vgic, set in
            let written = memory.write(bytes, at: 0)
            #expect(written)
            target.clearCalls()
            if let error = Self.restoring(snapshot, vgic, &set, declared: Self.allRAM) { throw error }
            return target.calls(.setDeviceAttr)
        }
        let itsCalls = calls.filter { $0.attempt.attribute?.group == .itsRegisters || $0.attempt.attribute?.attr == 2 && $0.attempt.attribute?.group == .control }
        let expected: [String] = ITSRestoreOrder.steps.map { step in
            switch step.step {
            case .register(let register, let index): "reg \(hex(register.offset + index * register.elementSize))"
            case .restoreTables: "RESTORE_TABLES"
            }
        }
        let seen: [String] = itsCalls.map { call in
            call.attempt.attribute?.group == .itsRegisters ? "reg \(hex(UInt32(truncatingIfNeeded: call.attempt.attribute?.attr ?? 0)))" : "RESTORE_TABLES"
        }
        #expect(seen == expected)
        let firstITS = try #require(calls.firstIndex { $0.attempt.attribute?.group == .itsRegisters })
        #expect(!calls[firstITS...].contains { $0.attempt.attribute?.group == .redistributorRegisters }, "the GICv3 comes first")
        #expect(ITSRestoreOrder.savedRegisters.first == ITSSavedRegister(.gitsIIDR))
        #expect(ITSRestoreOrder.steps.last?.step == .register(.gitsCTLR, index: 0))
    }

    @Test("a table the kernel would refuse is a typed error before any write, when restore is given the RAM")
    func corruptTables() throws {
        let (snapshot, bytes) = try Self.source()
        var corrupt = SparseGuestMemory(regions: [Self.ram..<(Self.ram + UInt64(Self.ramBytes))])
        let copied = corrupt.write(bytes, at: Self.ram)
        #expect(copied)
        #expect(snapshot.itsTableProblem(in: corrupt) == nil)
        // Collection 1 now targets vCPU 9, which the VM does not have: EINVAL.
        let entry = ITSCollectionTableEntry(valid: true, target: 9, collection: 1)
        let edited = corrupt.writeDoubleword(entry.rawValue, at: Self.collectionTable + 8)
        #expect(edited)
        #expect(snapshot.itsTableProblem(in: corrupt) == ITSTableProblem(errno: .EINVAL))
        let target = simulatedKernel()
        let error = try Self.withMachine(target) { memory, vgic, set in
            target.clearCalls()
            do throws(SnapshotError) {
                try set.whileStopped { (stopped) throws(SnapshotError) in
                    try vgic.restoreSnapshot(snapshot, stopped, restoredMemory: Self.allRAM, tables: corrupt)
                }
                return nil as SnapshotError?
            } catch {
                return error
            }
        }
        #expect(error == .malformed(.itsTables(ITSTableProblem(errno: .EINVAL))))
        #expect(target.calls(.setDeviceAttr).isEmpty)
    }

    @Test("ITS state that contradicts itself is malformed")
    func malformed() throws {
        let (snapshot, _) = try Self.source()
        #expect(snapshot.structuralProblem() == nil)
        var missing = snapshot
        missing.its?.registers.removeLast()
        #expect(missing.structuralProblem() == .its(.missingRegister(ITSSavedRegister(.gitsCTLR))))
        var wide = snapshot
        wide.its?.registers[0].value = 1 << 40
        #expect(wide.structuralProblem() == .its(.valueTooWide(ITSSavedRegister(.gitsIIDR), 1 << 40)))
        var misplaced = snapshot
        misplaced.its?.base = 0x0880_1000
        #expect(misplaced.structuralProblem() == .its(.misalignedBase(0x0880_1000)))
        var absent = snapshot
        absent.its = nil
        #expect(absent.structuralProblem() == .its(.presence(identity: true, state: false)))
        var repeated = snapshot
        let baser0 = try #require(snapshot.its?.registers[1])
        repeated.its?.registers.append(baser0)
        #expect(repeated.structuralProblem() == .its(.unexpectedRegister(offset: ITSRegister.gitsBASER.offset)))
        let target = simulatedKernel()
        for bad in [missing, wide, misplaced, absent, repeated] {
            let error = try Self.withMachine(target) { _, vgic, set in
                target.clearCalls()
                return Self.restoring(bad, vgic, &set, declared: Self.allRAM)
            }
            guard case .malformed? = error else {
                Issue.record("\(String(describing: error))")
                continue
            }
            #expect(target.calls(.setDeviceAttr).isEmpty)
        }
    }

    @Test("ITS state the format carries but no restore accepts still decodes to itself (found by the fuzzer)")
    func repeatedRegisterDecodes() throws {
        let (snapshot, _) = try Self.source()
        var repeated = snapshot
        let baser1 = try #require(snapshot.its?.registers[2])
        repeated.its?.registers.append(baser1)
        let decoded = try GICSnapshot(decoding: repeated.encoded())
        #expect(decoded == repeated)
        #expect(decoded.structuralProblem() == .its(.unexpectedRegister(offset: ITSRegister.gitsBASER.offset + 8)))
    }

    @Test("the ITS section decoder refuses, never traps, on damaged sections", arguments: Array(UInt64(0)..<UInt64(24)))
    func damagedSection(seed: UInt64) throws {
        var random = SeededRandom(seed: seed)
        let (snapshot, _) = try Self.source()
        let bytes = try snapshot.encoded()
        // The ITS section is the last: 8-byte header, 12-byte prefix, 16 bytes per register.
        let sectionStart = bytes.count - 4 - (8 + 12 + 16 * ITSRestoreOrder.savedRegisters.count)
        var accepted = 0
        for _ in 0..<400 {
            var damaged = bytes
            switch random.below(3) {
            case 0:
                for _ in 0..<(1 + random.below(4)) {
                    damaged[sectionStart + random.below(damaged.count - 4 - sectionStart)] = UInt8(truncatingIfNeeded: random.next())
                }
            case 1:
                damaged.removeSubrange((sectionStart + random.below(damaged.count - 4 - sectionStart))..<(damaged.count - 4))
            default:
                let payload = (0..<random.below(80)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
                damaged.replaceSubrange((sectionStart + 8)..<(damaged.count - 4), with: payload)
                let length = UInt32(payload.count)
                for index in 0..<4 { damaged[sectionStart + 4 + index] = UInt8(truncatingIfNeeded: length >> UInt32(8 * index)) }
            }
            let checksum = SnapshotFormat.checksum(sealing: damaged)
            for index in 0..<4 { damaged[damaged.count - 4 + index] = UInt8(truncatingIfNeeded: checksum >> UInt32(8 * index)) }
            let decoded: GICSnapshot
            do throws(SnapshotDecodingError) {
                decoded = try GICSnapshot(decoding: damaged)
            } catch {
                continue
            }
            accepted += 1
            // Whatever decodes re-encodes to the same bytes.
            let encoded = try decoded.encoded()
            #expect(encoded == damaged, "seed \(seed)")
        }
        #expect(accepted < 400, "seed \(seed): damage went unnoticed every time")
    }
}
