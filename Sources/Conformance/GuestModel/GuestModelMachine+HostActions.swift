import GICModel
import GICVocabulary
import KVM

/// The model side of `HostAction`: the same attribute accesses, in the same order, as
/// `GuestMachine+HostActions.swift` makes through VGIC, on the model's userspace entry points
/// (with KVM's queueing), so both sides of the lab see one sequence of host operations.
extension GuestModelMachine {
    mutating func perform(_ action: HostAction, caller: Int, operand: UInt64) -> (result: HostResult, next: Int?) {
        switch action {
        case .switchTo(let vcpu):
            return (.done, vcpu)
        case .all(let actions):
            var next: Int? = nil
            for inner in actions {
                let (result, target) = perform(inner, caller: caller, operand: operand)
                if result != .done { return (result, next) }
                if let target { next = target }
            }
            return (.done, next)
        default:
            do throws(ModelRefusal) {
                if let value = try modelAction(action, caller: caller, operand: operand) { return (.observed(value), nil) }
                return (.done, nil)
            } catch {
                return (.refused(Errno(rawValue: error.errno.rawValue)), nil)
            }
        }
    }

    private mutating func modelAction(_ action: HostAction, caller: Int, operand: UInt64) throws(ModelRefusal) -> UInt64? {
        switch action {
        case .spiLine(let intid, let level):
            try delivery.hostSetLine(GuestMachine.lineWord(.spi, vcpu: 0, intid: intid), level: level)
        case .ppiLine(let intid, let vcpu, let level):
            try delivery.hostSetLine(GuestMachine.lineWord(.ppi, vcpu: UInt32(vcpu), intid: intid), level: level)
        case .operandLine(let level):
            let intid = UInt32(truncatingIfNeeded: operand)
            let word = intid < 32
                ? GuestMachine.lineWord(.ppi, vcpu: UInt32(caller), intid: intid) : GuestMachine.lineWord(.spi, vcpu: 0, intid: intid)
            try delivery.hostSetLine(word, level: level)
        case .rawLine(let word, let level):
            try delivery.hostSetLine(IRQLineWord(rawValue: word), level: level)
        case .setPending(let intid, let vcpu):
            try setBit(intid, vcpu: vcpu, private: .gicrISPENDR0, shared: .gicdISPENDR)
        case .setActive(let intid, let vcpu):
            try setBit(intid, vcpu: vcpu, private: .gicrISACTIVER0, shared: .gicdISACTIVER)
        case .setLineLevel(let intid, let vcpu, let level):
            let selector: LevelInfoSelector
            do throws(GICValueError) { selector = try LevelInfoSelector(affinity: affinity(vcpu), covering: intid) } catch {
                throw ModelRefusal(.EINVAL, .noVCPUWithAffinity(affinity(vcpu)))
            }
            let bitmap = try delivery.gic.readLineLevels(selector)
            let bit = UInt32(1) << (intid % 32)
            try delivery.hostWriteLineLevels(selector, level ? bitmap | bit : bitmap & ~bit)
        case .setSystemRegister(let register, let vcpu, let value):
            try delivery.hostWriteSystemRegister(affinity(vcpu), register.encoding, value)
        case .setDistributor(let register, let index, let value):
            try writeDistributor(register, index: index, value)
        case .setRedistributor(let register, let vcpu, let index, let value):
            try writeRedistributor(register, vcpu: vcpu, index: index, value)
        case .setPriority(let intid, let vcpu, let priority):
            try setField(intid, vcpu: vcpu, bits: 8, value: UInt64(priority), private: .gicrIPRIORITYR, shared: .gicdIPRIORITYR)
        case .enable(let intid, let vcpu):
            let flag = UInt64(1) << UInt64(intid % 32)
            if intid < 32 {
                try writeRedistributor(.gicrISENABLER0, vcpu: vcpu, index: 0, flag)
            } else {
                try writeDistributor(.gicdISENABLER, index: intid / 32, flag)
            }
        case .setGroup(let intid, let vcpu, let group1):
            try setField(intid, vcpu: vcpu, bits: 1, value: group1 ? 1 : 0, private: .gicrIGROUPR0, shared: .gicdIGROUPR)
        case .setTrigger(let intid, let edge):
            try setField(intid, vcpu: 0, bits: 2, value: edge ? 2 : 0, private: .gicrICFGR, shared: .gicdICFGR)
        case .route(let intid, let vcpu):
            try writeDistributor(.gicdIROUTER, index: intid, UInt64(affinity(vcpu).packed))
        case .observe(let observation):
            return try observe(observation)
        case .switchTo, .all:
            break
        }
        return nil
    }

    private func observe(_ observation: HostObservation) throws(ModelRefusal) -> UInt64 {
        switch observation {
        case .active(let intid, let vcpu):
            return try bit(intid, vcpu: vcpu, private: .gicrISACTIVER0, shared: .gicdISACTIVER)
        case .latch(let intid, let vcpu):
            return try bit(intid, vcpu: vcpu, private: .gicrISPENDR0, shared: .gicdISPENDR)
        case .line(let intid, let vcpu):
            let selector: LevelInfoSelector
            do throws(GICValueError) { selector = try LevelInfoSelector(affinity: affinity(vcpu), covering: intid) } catch {
                throw ModelRefusal(.EINVAL, .noVCPUWithAffinity(affinity(vcpu)))
            }
            return UInt64(try delivery.gic.readLineLevels(selector) >> (intid % 32) & 1)
        case .systemRegister(let register, let vcpu):
            return try delivery.gic.readSystemRegister(affinity(vcpu), register.encoding)
        }
    }

    // MARK: Register plumbing, element by element as VGIC does it

    /// The affinity of scenario vCPU `vcpu` (one no vCPU has, for a vCPU the VM lacks).
    private func affinity(_ vcpu: Int) -> Affinity {
        vcpu < delivery.gic.vcpuCount ? delivery.gic.redistributors[vcpu].affinity : Affinity(aff0: 0xFF)
    }

    private func readDistributor(_ register: GICv3Register, index: UInt32) -> UInt64 {
        let offset = register.offset + index * elementSize(register)
        var value = UInt64(delivery.gic.readDistributor(offset: offset))
        if elementSize(register) == 8 { value |= UInt64(delivery.gic.readDistributor(offset: offset + 4)) << 32 }
        return value
    }

    private mutating func writeDistributor(_ register: GICv3Register, index: UInt32, _ value: UInt64) throws(ModelRefusal) {
        let offset = register.offset + index * elementSize(register)
        try delivery.hostWriteDistributor(offset: offset, UInt32(truncatingIfNeeded: value))
        if elementSize(register) == 8 { try delivery.hostWriteDistributor(offset: offset + 4, UInt32(truncatingIfNeeded: value >> 32)) }
    }

    private func readRedistributor(_ register: GICv3Register, vcpu: Int, index: UInt32) throws(ModelRefusal) -> UInt64 {
        let offset = register.offset + index * elementSize(register)
        var value = UInt64(try delivery.gic.readRedistributor(affinity(vcpu), offset: offset))
        if elementSize(register) == 8 { value |= UInt64(try delivery.gic.readRedistributor(affinity(vcpu), offset: offset + 4)) << 32 }
        return value
    }

    private mutating func writeRedistributor(_ register: GICv3Register, vcpu: Int, index: UInt32, _ value: UInt64) throws(ModelRefusal) {
        let offset = register.offset + index * elementSize(register)
        try delivery.hostWriteRedistributor(affinity(vcpu), offset: offset, UInt32(truncatingIfNeeded: value))
        if elementSize(register) == 8 {
            try delivery.hostWriteRedistributor(affinity(vcpu), offset: offset + 4, UInt32(truncatingIfNeeded: value >> 32))
        }
    }

    /// Bytes per element, as VGIC counts them: 8 for 64-bit registers and banks, else 4.
    private func elementSize(_ register: GICv3Register) -> UInt32 {
        if register.bitsPerInterrupt == 64 { return 8 }
        if register.bitsPerInterrupt == 0 && register.width == .bits64 { return 8 }
        return 4
    }

    private func bit(_ intid: UInt32, vcpu: Int, private privateBank: GICv3Register, shared: GICv3Register) throws(ModelRefusal) -> UInt64 {
        let word = intid < 32 ? try readRedistributor(privateBank, vcpu: vcpu, index: 0) : readDistributor(shared, index: intid / 32)
        return word >> UInt64(intid % 32) & 1
    }

    private mutating func setBit(_ intid: UInt32, vcpu: Int, private privateBank: GICv3Register, shared: GICv3Register) throws(ModelRefusal) {
        let flag = UInt64(1) << UInt64(intid % 32)
        if intid < 32 {
            let word = try readRedistributor(privateBank, vcpu: vcpu, index: 0)
            try writeRedistributor(privateBank, vcpu: vcpu, index: 0, word | flag)
        } else {
            let word = readDistributor(shared, index: intid / 32)
            try writeDistributor(shared, index: intid / 32, word | flag)
        }
    }

    private mutating func setField(
        _ intid: UInt32, vcpu: Int, bits: UInt32, value: UInt64, private privateBank: GICv3Register, shared: GICv3Register
    ) throws(ModelRefusal) {
        let perWord = 32 / bits
        let shift = UInt64((intid % perWord) * bits)
        let mask = (UInt64(1) << UInt64(bits) - 1) << shift
        let index = intid / perWord
        if intid < 32 {
            let word = try readRedistributor(privateBank, vcpu: vcpu, index: index)
            try writeRedistributor(privateBank, vcpu: vcpu, index: index, word & ~mask | value << shift)
        } else {
            let word = readDistributor(shared, index: index)
            try writeDistributor(shared, index: index, word & ~mask | value << shift)
        }
    }
}
