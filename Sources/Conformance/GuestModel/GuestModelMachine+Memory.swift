import GICModel
import GICVocabulary
import GuestHarness

/// Where a guest's load or store lands on the model, as the lab's machine decodes it: a GIC frame
/// (a trap KVM handles: an exit and an entry), the ITS frame (the same), or guest RAM (no exit:
/// the LPI tables, the ITS tables and the command queue the guest writes, which the ITS and the
/// redistributors read back as KVM reads them, `kvm_read_guest`).
///
/// Absolute addresses are decoded with the lab's layout (`LabLayout`, `GuestMachine.redistributor`),
/// so a guest may reach any vCPU's redistributor and the ITS by address, as a driver does.
extension GuestModelMachine {
    /// The target of one 32-bit access.
    enum GuestPlace {
        case gic(VGICDelivery.GuestFrame, offset: UInt32)
        case its(offset: UInt32)
        case ram(UInt64)
    }

    /// `frame` + `offset` of vCPU `vcpu`'s access, or nil where the lab maps nothing.
    func guestPlace(_ frame: GuestFrame, offset: UInt32, vcpu: Int) -> GuestPlace? {
        guard frame == .absolute else { return guestFrame(frame, vcpu: vcpu).map { .gic($0, offset: offset) } }
        let address = UInt64(offset)
        if address >= LabLayout.distributor, address < LabLayout.distributor + 0x1_0000 {
            return .gic(.distributor, offset: UInt32(address - LabLayout.distributor))
        }
        if address >= LabLayout.its, address < LabLayout.its + 0x2_0000, delivery.its != nil {
            return .its(offset: UInt32(address - LabLayout.its))
        }
        for index in 0..<scenario.vcpuCount {
            let base = GuestMachine.redistributor(index)
            guard address >= base, address < base + 0x2_0000 else { continue }
            let inFrame = UInt32(address - base)
            return inFrame < 0x1_0000
                ? .gic(.redistributor(vcpu: index), offset: inFrame) : .gic(.redistributorSGI(vcpu: index), offset: inFrame - 0x1_0000)
        }
        if address >= GuestLayout.ramBase, address + 4 <= GuestLayout.ramBase + UInt64(GuestLayout.ramBytes) { return .ram(address) }
        return nil
    }

    /// A 32-bit load.
    mutating func guestLoad(_ place: GuestPlace, vcpu: Int) -> UInt32 {
        switch place {
        case .gic(let frame, let offset):
            var word: UInt32 = 0
            kernelExit(vcpu) { word = $0.guestRead(frame, offset: offset) }
            return word
        case .its(let offset):
            var word: UInt32 = 0
            kernelExit(vcpu) { word = UInt32(truncatingIfNeeded: $0.guestReadITS(offset: offset)) }
            return word
        case .ram(let address):
            guard let bytes = memory.bytes(at: address, count: 4) else { return 0 }
            return bytes.enumerated().reduce(0) { $0 | UInt32($1.element) << UInt32(8 * $1.offset) }
        }
    }

    /// A 32-bit store.
    mutating func guestStore(_ place: GuestPlace, _ word: UInt32, vcpu: Int) {
        switch place {
        case .gic(.redistributor(let target), let offset) where delivery.its != nil && Self.isLPIRegister(offset):
            delivery.exit(vcpu)
            if !delivery.writeLPIRegister(vcpu: target, offset: offset, word, memory: memory) {
                // GICR_PROPBASER / PENDBASER: the same handlers as the attribute interface's.
                let selector = delivery.gic.redistributors[target].affinity
                try? delivery.hostWriteRedistributor(selector, offset: offset, word)
            }
            delivery.enter(vcpu, loading: false)
        case .gic(let frame, let offset):
            kernelExit(vcpu) { $0.guestWrite(frame, offset: offset, word) }
        case .its(let offset):
            delivery.exit(vcpu)
            delivery.guestWriteITS(offset: offset, bytes: 4, UInt64(word), memory: &memory)
            delivery.enter(vcpu, loading: false)
        case .ram(let address):
            _ = memory.write((0..<4).map { UInt8(truncatingIfNeeded: word >> UInt32(8 * $0)) }, at: address)
        }
    }

    /// The RD_base words the redistributor's LPI handlers own: GICR_CTLR, PROPBASER, PENDBASER,
    /// INVLPIR, INVALLR.
    static func isLPIRegister(_ offset: UInt32) -> Bool {
        let registers: [GICv3Register] = [.gicrCTLR, .gicrPROPBASER, .gicrPENDBASER, .gicrINVLPIR, .gicrINVALLR]
        return registers.contains { offset >= $0.offset && offset < $0.offset + ($0.width == .bits64 ? 8 : 4) }
    }
}
