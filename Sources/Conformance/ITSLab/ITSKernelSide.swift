import GICModel
import GICSnapshot
import GICVocabulary
import GuestHarness
import KVM
import VGIC

/// The kernel side of an ITS sequence: a VM with 2 MiB of guest RAM at `GuestLayout.ramBase`, its
/// vCPUs (created, never run), and an initialised vgic-v3 with an ITS at `ITSLabLayout.its`
/// (Conformance.docc/ITSLab.md). Every operation goes through the public API a VMM uses.
struct ITSKernelSide: ~Copyable {
    deinit {}

    let vm: VirtualMachine
    let memory: GuestMemory
    let gic: VGIC
    let identities: [VCPUIdentity]
    var vcpus: VCPUSet

    /// Creates the machine and brings it to `start`.
    static func create(on kvm: borrowing KVM, _ start: ITSStart) throws(ScenarioFailure) -> ITSKernelSide {
        var side = try create(on: kvm, vcpuCount: start.vcpuCount)
        try side.prepare(start)
        return side
    }

    /// Creates the machine as a VMM does before a restore: RAM, vCPUs, the vgic and the ITS, nothing
    /// else set.
    static func create(on kvm: borrowing KVM, vcpuCount: Int) throws(ScenarioFailure) -> ITSKernelSide {
        let vm = try ScenarioFailure.step("KVM_CREATE_VM") { () throws(KVMError) in try kvm.createVM() }
        let memory = try ScenarioFailure.step("guest RAM") { () throws(KVMError) in
            let memory = try vm.allocateGuestMemory(bytes: GuestLayout.ramBytes)
            try vm.mapMemory(memory, slot: 0, guestAddress: GuestLayout.ramBase)
            return memory
        }
        var vcpus = VCPUSet()
        for index in 0..<vcpuCount {
            let vcpu = try ScenarioFailure.step("vCPU \(index)") { () throws(KVMError) in
                let vcpu = try vm.createVCPU(id: UInt32(index))
                try vcpu.initialize(try vm.preferredTarget())
                return vcpu
            }
            do throws(VCPUSetError) { try vcpus.insert(vcpu) } catch { throw .fail("vCPU \(index): \(error)") }
        }
        let identities = vcpus.identities
        var layout = LabLayout.v3(vcpuCount: vcpuCount, interruptCount: 128)
        layout.itsBase = ITSLabLayout.its
        let gic: VGIC
        do throws(VGICError) {
            gic = try VGIC.create(on: vm, configuration: layout, vcpus: identities)
        } catch {
            throw .fail("vgic-v3 with an ITS: \(error)")
        }
        return ITSKernelSide(vm: vm, memory: memory, gic: gic, identities: identities, vcpus: vcpus)
    }

    /// The tables in guest RAM and the registers a driver (or a restore) sets: property bytes, each
    /// vCPU's PROPBASER and PENDBASER then EnableLPIs, the distributor's Group 1, the ITS's tables,
    /// its command queue at `start.queueStart`, then GITS_CTLR.
    mutating func prepare(_ start: ITSStart) throws(ScenarioFailure) {
        guard memory.write(start.properties, at: Int(ITSLabLayout.propertyTable - ITSLabLayout.ram)) else {
            throw .fail("the property table does not fit the RAM")
        }
        do throws(VGICError) {
            for (index, vcpu) in identities.enumerated() {
                try gic.setLPIPropertyBase(ITSLabLayout.propbaser, of: vcpu)
                try gic.setLPIPendingBase(ITSLabLayout.pendingTable(index), of: vcpu)
            }
            for (index, vcpu) in identities.enumerated() where start.lpisEnabled[index] {
                try gic.setLPIsEnabled(true, on: vcpu)
            }
            try gic.setDistributorRegister(.gicdCTLR, to: 0x2)
            try gic.setITSRegister(.gitsBASER, index: 0, to: start.deviceTableBase)
            try gic.setITSRegister(.gitsBASER, index: 1, to: ITSLabLayout.collectionTableBase)
            try gic.setITSRegister(.gitsCBASER, to: ITSLabLayout.commandQueueBase)
            try gic.setITSRegister(.gitsCREADR, to: start.queueStart)
            try gic.setITSRegister(.gitsCWRITER, to: start.queueStart)
            try gic.setITSRegister(.gitsCTLR, to: 1)
        } catch {
            throw .fail("ITS setup: \(error)")
        }
    }

    /// Performs `operation` and reads what it showed; a refusal the model would not give is an
    /// observation too (its errno), so the comparison reports it.
    mutating func perform(_ operation: ITSOperation) -> ITSObservation {
        switch operation {
        case .command(let command):
            guard let writer = try? gic.itsRegister(.gitsCWRITER) else { return .queue(control: 0, reader: 0, writer: 0) }
            _ = memory.write(command.bytes, at: Int(ITSLabLayout.commandQueue - ITSLabLayout.ram + writer))
            try? gic.setITSRegister(.gitsCWRITER, to: (writer + 32) % ITSLabLayout.commandQueueBytes)
            return queue()
        case .signal(let device, let event):
            let message = MSIMessage(address: ITSLabLayout.its + UInt64(ITSRegister.translaterOffset), data: event, deviceID: device)
            do throws(KVMError) {
                switch try vm.signalMSI(message) {
                case .delivered(let count): return .signal(Int32(truncatingIfNeeded: count))
                case .blocked: return .signal(0)
                }
            } catch {
                return .signal(-(error.errno?.rawValue ?? 0))
            }
        case .property(let lpi, let byte):
            _ = memory.write([byte], at: Int(ITSLabLayout.propertyTable - ITSLabLayout.ram) + Int(lpi - ITSTableABI.firstLPI))
            return .none
        case .pendingBit(let vcpu, let lpi, let set):
            let offset = Int(ITSLabLayout.pendingTable(vcpu) - ITSLabLayout.ram) + Int(lpi / 8)
            let byte = memory.byte(at: offset) ?? 0
            let bit = UInt8(1) << UInt8(lpi % 8)
            _ = memory.write([set ? byte | bit : byte & ~bit], at: offset)
            return .none
        case .lpis(let vcpu, let enabled):
            try? gic.setLPIsEnabled(enabled, on: identities[vcpu])
            return .control(
                redistributor: (try? gic.redistributorRegister(.gicrCTLR, of: identities[vcpu])) ?? 0xDEAD,
                its: (try? gic.itsRegister(.gitsCTLR)) ?? 0xDEAD)
        case .itsEnabled(let enabled):
            try? gic.setITSRegister(.gitsCTLR, to: enabled ? 1 : 0)
            return queue()
        case .save:
            let before = memory.bytes(at: GuestLayout.tablesOffset, count: GuestLayout.tablesBytes) ?? []
            let save = Self.errno { () throws(VGICError) in try gic.saveITSTables() }
            let pending = Self.errno { () throws(VGICError) in try gic.savePendingTables() }
            let bytes = memory.bytes(at: GuestLayout.tablesOffset, count: GuestLayout.tablesBytes) ?? []
            return .tables(before: before, save: save, pending: pending, bytes: bytes)
        }
    }

    /// GITS_CTLR, GITS_CREADR, GITS_CWRITER.
    func queue() -> ITSObservation {
        .queue(
            control: (try? gic.itsRegister(.gitsCTLR)) ?? 0xDEAD, reader: (try? gic.itsRegister(.gitsCREADR)) ?? 0xDEAD,
            writer: (try? gic.itsRegister(.gitsCWRITER)) ?? 0xDEAD)
    }

    /// 0, or the errno of the kernel's refusal.
    static func errno(_ body: () throws(VGICError) -> Void) -> Int32 {
        do throws(VGICError) {
            try body()
            return 0
        } catch {
            return error.errno?.rawValue ?? -1
        }
    }
}

/// The model side of an ITS sequence: the delivery model with an ITS and the same guest RAM, in
/// the state the same operations leave.
struct ITSModelSide {
    var delivery: VGICDelivery
    var memory = SparseGuestMemory(regions: [ITSLabLayout.ram..<(ITSLabLayout.ram + ITSLabLayout.ramBytes)])

    init(_ start: ITSStart, kernel: KernelBehaviour, mutations: ITSMutation = []) {
        var configuration = GICv3ModelConfiguration.vcpus(UInt32(start.vcpuCount), interruptCount: 128, kernel: kernel)
        configuration.hasITS = true
        delivery = VGICDelivery(gic: GICv3Model(configuration: configuration), its: ITSModel(kernel: kernel, mutations: mutations))
        prepare(start)
    }

    /// `ITSKernelSide.prepare`, on the model.
    mutating func prepare(_ start: ITSStart) {
        _ = memory.write(start.properties, at: ITSLabLayout.propertyTable)
        for vcpu in 0..<start.vcpuCount {
            let affinity = delivery.gic.redistributors[vcpu].affinity
            writeRedistributor(affinity, 0x70, ITSLabLayout.propbaser)
            writeRedistributor(affinity, 0x78, ITSLabLayout.pendingTable(vcpu))
        }
        for vcpu in 0..<start.vcpuCount where start.lpisEnabled[vcpu] { delivery.writeLPIControl(1, vcpu: vcpu, memory: memory) }
        try? delivery.hostWriteDistributor(offset: 0, 0x2)
        _ = delivery.hostWriteITS(.gitsBASER, index: 0, start.deviceTableBase, memory: &memory)
        _ = delivery.hostWriteITS(.gitsBASER, index: 1, ITSLabLayout.collectionTableBase, memory: &memory)
        _ = delivery.hostWriteITS(.gitsCBASER, ITSLabLayout.commandQueueBase, memory: &memory)
        _ = delivery.hostWriteITS(.gitsCREADR, start.queueStart, memory: &memory)
        _ = delivery.hostWriteITS(.gitsCWRITER, start.queueStart, memory: &memory)
        _ = delivery.hostWriteITS(.gitsCTLR, 1, memory: &memory)
    }

    /// A 64-bit redistributor register as VGIC writes it: low word, then high word.
    mutating func writeRedistributor(_ affinity: Affinity, _ offset: UInt32, _ value: UInt64) {
        try? delivery.hostWriteRedistributor(affinity, offset: offset, UInt32(truncatingIfNeeded: value))
        try? delivery.hostWriteRedistributor(affinity, offset: offset + 4, UInt32(truncatingIfNeeded: value >> 32))
    }

    mutating func perform(_ operation: ITSOperation) -> ITSObservation {
        switch operation {
        case .command(let command):
            let writer = delivery.hostReadITS(.gitsCWRITER) ?? 0
            _ = memory.write(command.bytes, at: ITSLabLayout.commandQueue + writer)
            _ = delivery.hostWriteITS(.gitsCWRITER, (writer + 32) % ITSLabLayout.commandQueueBytes, memory: &memory)
            return queue()
        case .signal(let device, let event):
            return .signal(delivery.signalMSI(device: device, event: event).returnValue)
        case .property(let lpi, let byte):
            _ = memory.write([byte], at: ITSLabLayout.propertyTable + UInt64(lpi - ITSTableABI.firstLPI))
            return .none
        case .pendingBit(let vcpu, let lpi, let set):
            let address = ITSLabLayout.pendingTable(vcpu) + UInt64(lpi / 8)
            let byte = memory.byte(at: address) ?? 0
            let bit = UInt8(1) << UInt8(lpi % 8)
            _ = memory.write([set ? byte | bit : byte & ~bit], at: address)
            return .none
        case .lpis(let vcpu, let enabled):
            delivery.writeLPIControl(enabled ? 1 : 0, vcpu: vcpu, memory: memory)
            let affinity = delivery.gic.redistributors[vcpu].affinity
            let control = (try? delivery.gic.readRedistributor(affinity, offset: 0)) ?? 0xDEAD
            return .control(redistributor: UInt64(control), its: delivery.hostReadITS(.gitsCTLR) ?? 0xDEAD)
        case .itsEnabled(let enabled):
            _ = delivery.hostWriteITS(.gitsCTLR, enabled ? 1 : 0, memory: &memory)
            return queue()
        case .save:
            let before = memory.bytes(at: ITSLabLayout.tables, count: ITSLabLayout.tablesBytes) ?? []
            let save = delivery.saveITSTables(into: &memory)?.rawValue ?? 0
            let pending = delivery.savePendingTables(into: &memory)?.rawValue ?? 0
            let bytes = memory.bytes(at: ITSLabLayout.tables, count: ITSLabLayout.tablesBytes) ?? []
            return .tables(before: before, save: save, pending: pending, bytes: bytes)
        }
    }

    func queue() -> ITSObservation {
        .queue(
            control: delivery.hostReadITS(.gitsCTLR) ?? 0, reader: delivery.hostReadITS(.gitsCREADR) ?? 0,
            writer: delivery.hostReadITS(.gitsCWRITER) ?? 0)
    }
}
