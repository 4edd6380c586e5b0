import GICVocabulary
import KVM
import VGIC

/// The kernel side of `HostAction`: each action through the public VGIC API, as a VMM would.
extension GuestMachine {
    /// Performs `action` for vCPU `caller` (whose call passed `operand`). Returns what came of it
    /// and, for `switchTo`, the vCPU to continue with.
    func perform(_ action: HostAction, caller: Int, operand: UInt64) -> (result: HostResult, next: Int?) {
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
            return (outcome { () throws(VGICError) -> UInt64? in try kernelAction(action, caller: caller, operand: operand) }, nil)
        }
    }

    /// The action's kernel calls; an observation's value, or nil.
    private func kernelAction(_ action: HostAction, caller: Int, operand: UInt64) throws(VGICError) -> UInt64? {
        switch action {
        case .spiLine(let intid, let level):
            try gic.setLine(Self.lineWord(.spi, vcpu: 0, intid: intid), level)
        case .ppiLine(let intid, let vcpu, let level):
            try gic.setLine(Self.lineWord(.ppi, vcpu: identity(vcpu).id, intid: intid), level)
        case .operandLine(let level):
            let intid = UInt32(truncatingIfNeeded: operand)
            let word = intid < 32
                ? Self.lineWord(.ppi, vcpu: identity(caller).id, intid: intid) : Self.lineWord(.spi, vcpu: 0, intid: intid)
            try gic.setLine(word, level)
        case .rawLine(let word, let level):
            try gic.setLine(IRQLineWord(rawValue: word), level)
        case .setPending(let intid, let vcpu):
            try setBit(intid, vcpu: vcpu, private: .gicrISPENDR0, shared: .gicdISPENDR)
        case .setActive(let intid, let vcpu):
            try setBit(intid, vcpu: vcpu, private: .gicrISACTIVER0, shared: .gicdISACTIVER)
        case .setLineLevel(let intid, let vcpu, let level):
            let selector = try VGIC.levelSelector(covering: intid, of: identity(vcpu))
            let bitmap = try gic.lineLevels(selector)
            let bit = UInt32(1) << (intid % 32)
            try gic.setLineLevels(selector, to: level ? bitmap | bit : bitmap & ~bit)
        case .setSystemRegister(let register, let vcpu, let value):
            try gic.setSystemRegister(register, of: identity(vcpu), to: value)
        case .modifySystemRegister(let register, let vcpu, let set, let clear):
            let value = try gic.systemRegister(register, of: identity(vcpu))
            try gic.setSystemRegister(register, of: identity(vcpu), to: value & ~clear | set)
        case .setDistributor(let register, let index, let value):
            try gic.setDistributorRegister(register, index: index, to: value)
        case .setRedistributor(let register, let vcpu, let index, let value):
            try gic.setRedistributorRegister(register, index: index, of: identity(vcpu), to: value)
        case .setPriority(let intid, let vcpu, let priority):
            try setField(intid, vcpu: vcpu, bits: 8, value: UInt64(priority), private: .gicrIPRIORITYR, shared: .gicdIPRIORITYR)
        case .enable(let intid, let vcpu):
            let flag = UInt64(1) << UInt64(intid % 32)
            if intid < 32 {
                try gic.setRedistributorRegister(.gicrISENABLER0, of: identity(vcpu), to: flag)
            } else {
                try gic.setDistributorRegister(.gicdISENABLER, index: intid / 32, to: flag)
            }
        case .setGroup(let intid, let vcpu, let group1):
            try setField(intid, vcpu: vcpu, bits: 1, value: group1 ? 1 : 0, private: .gicrIGROUPR0, shared: .gicdIGROUPR)
        case .setTrigger(let intid, let edge):
            try setField(intid, vcpu: 0, bits: 2, value: edge ? 2 : 0, private: .gicrICFGR, shared: .gicdICFGR)
        case .route(let intid, let vcpu):
            try gic.setDistributorRegister(.gicdIROUTER, index: intid, to: UInt64(identity(vcpu).affinity.packed))
        case .observe(let observation):
            return try observe(observation)
        case .switchTo, .all:
            break
        }
        return nil
    }

    private func observe(_ observation: HostObservation) throws(VGICError) -> UInt64 {
        switch observation {
        case .active(let intid, let vcpu):
            return try bit(intid, vcpu: vcpu, private: .gicrISACTIVER0, shared: .gicdISACTIVER)
        case .latch(let intid, let vcpu):
            return try bit(intid, vcpu: vcpu, private: .gicrISPENDR0, shared: .gicdISPENDR)
        case .line(let intid, let vcpu):
            return try gic.lineLevel(of: intid, on: identity(vcpu)) ? 1 : 0
        case .systemRegister(let register, let vcpu):
            return try gic.systemRegister(register, of: identity(vcpu))
        }
    }

    /// The bit of `intid` in a one-bit-per-interrupt bank: vCPU `vcpu`'s redistributor word
    /// below 32, the distributor's word above.
    private func bit(_ intid: UInt32, vcpu: Int, private privateBank: GICv3Register, shared: GICv3Register) throws(VGICError) -> UInt64 {
        let word = intid < 32
            ? try gic.redistributorRegister(privateBank, of: identity(vcpu))
            : try gic.distributorRegister(shared, covering: intid)
        return word >> UInt64(intid % 32) & 1
    }

    /// Sets one bit of such a bank by read-modify-write: a uaccess ISPENDR write sets the latch
    /// to exactly the bits written, so writing one bit alone would clear its neighbours.
    private func setBit(_ intid: UInt32, vcpu: Int, private privateBank: GICv3Register, shared: GICv3Register) throws(VGICError) {
        let flag = UInt64(1) << UInt64(intid % 32)
        if intid < 32 {
            let word = try gic.redistributorRegister(privateBank, of: identity(vcpu))
            try gic.setRedistributorRegister(privateBank, of: identity(vcpu), to: word | flag)
        } else {
            let word = try gic.distributorRegister(shared, index: intid / 32)
            try gic.setDistributorRegister(shared, index: intid / 32, to: word | flag)
        }
    }

    /// The identity of scenario vCPU `vcpu`. A scenario naming a vCPU the VM lacks is a scenario
    /// defect; the kernel then gets a selector that names no vCPU and answers for itself.
    /// Writes `intid`'s `bits`-wide field of a bank by read-modify-write of the 32-bit word
    /// holding it (vCPU `vcpu`'s redistributor word below 32, the distributor's above).
    private func setField(
        _ intid: UInt32, vcpu: Int, bits: UInt32, value: UInt64, private privateBank: GICv3Register, shared: GICv3Register
    ) throws(VGICError) {
        let perWord = 32 / bits
        let shift = UInt64((intid % perWord) * bits)
        let mask = (UInt64(1) << UInt64(bits) - 1) << shift
        if intid < 32 {
            let index = intid / perWord
            let word = try gic.redistributorRegister(privateBank, index: index, of: identity(vcpu))
            try gic.setRedistributorRegister(privateBank, index: index, of: identity(vcpu), to: word & ~mask | value << shift)
        } else {
            let index = intid / perWord
            let word = try gic.distributorRegister(shared, index: index)
            try gic.setDistributorRegister(shared, index: index, to: word & ~mask | value << shift)
        }
    }

    private func identity(_ vcpu: Int) -> VCPUIdentity {
        identities.indices.contains(vcpu) ? identities[vcpu] : VCPUIdentity(id: UInt32(truncatingIfNeeded: vcpu), affinity: Affinity(aff0: 0xFF))
    }

    /// A `KVM_IRQ_LINE` word from its fields (vCPU ids below 256), unchecked: the out-of-range
    /// INTIDs a scenario sends on purpose must reach the kernel.
    static func lineWord(_ type: IRQLineWord.LineType, vcpu: UInt32, intid: UInt32) -> IRQLineWord {
        IRQLineWord(rawValue: type.rawValue << IRQLineWord.typeShift | (vcpu & IRQLineWord.vcpuMask) << IRQLineWord.vcpuShift
            | (intid & IRQLineWord.numberMask))
    }

    /// A kernel call's result as the trace records it.
    private func outcome(_ body: () throws(VGICError) -> UInt64?) -> HostResult {
        do throws(VGICError) {
            if let value = try body() { return .observed(value) }
            return .done
        } catch {
            if let errno = error.errno { return .refused(errno) }
            return .rejected("\(error)")
        }
    }
}
