import GICVocabulary
import KVM

/// The userspace operations a `HostAction` is made of — a `KVM_IRQ_LINE`, a register element
/// read or written through the attribute interface, a LEVEL_INFO word, an ICC register — which
/// the kernel side (`GuestMachine`, through VGIC) and the model side (`GuestModelMachine`,
/// through the model's userspace entry points) each provide. `perform(_:caller:operand:)` is
/// written once on top of them, so both sides make the same accesses in the same order.
protocol HostBackend: ~Copyable {
    /// `KVM_IRQ_LINE` with `word`.
    mutating func setLine(_ word: IRQLineWord, level: Bool) throws(HostFailure)
    /// Element `index` of `register` (vCPU `vcpu`'s for redistributor registers).
    mutating func register(_ register: GICv3Register, vcpu: Int, index: UInt32) throws(HostFailure) -> UInt64
    mutating func setRegister(_ register: GICv3Register, vcpu: Int, index: UInt32, _ value: UInt64) throws(HostFailure)
    /// The LEVEL_INFO word of vCPU `vcpu` holding `intid`.
    mutating func lineLevels(covering intid: UInt32, vcpu: Int) throws(HostFailure) -> UInt32
    mutating func setLineLevels(covering intid: UInt32, vcpu: Int, _ word: UInt32) throws(HostFailure)
    /// An ICC register of vCPU `vcpu` through CPU_SYSREGS.
    mutating func systemRegister(_ register: ICCRegister, vcpu: Int) throws(HostFailure) -> UInt64
    mutating func setSystemRegister(_ register: ICCRegister, vcpu: Int, _ value: UInt64) throws(HostFailure)
    /// Signals irqfd `n`'s trigger eventfd.
    mutating func signalIRQFD(_ n: Int) throws(HostFailure)
    /// Takes irqfd `n`'s resample eventfd's count.
    mutating func takeResample(_ n: Int) throws(HostFailure) -> UInt64
    /// `KVM_SIGNAL_MSI` of (`device`, `event`): 1 delivered, 0 blocked.
    mutating func signalMSI(device: UInt32, event: UInt32) throws(HostFailure) -> UInt64
    /// Signals MSI route `n`'s trigger eventfd.
    mutating func signalMSIRoute(_ n: Int) throws(HostFailure)
    /// The id `KVM_IRQ_LINE` names vCPU `vcpu` by, and its affinity.
    func vcpuID(_ vcpu: Int) -> UInt32
    func affinity(_ vcpu: Int) -> Affinity
}

/// Why a host operation did not happen: the kernel's (or the model's) errno, or the library's
/// refusal before any ioctl.
enum HostFailure: Error {
    case refused(Errno)
    case rejected(String)

    var result: HostResult {
        switch self {
        case .refused(let errno): .refused(errno)
        case .rejected(let reason): .rejected(reason)
        }
    }
}

extension HostBackend where Self: ~Copyable {
    /// Performs `action` for vCPU `caller` (whose call passed `operand`): what came of it and,
    /// for `switchTo`, the vCPU to continue with.
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
            do throws(HostFailure) {
                if let value = try operate(action, caller: caller, operand: operand) { return (.observed(value), nil) }
                return (.done, nil)
            } catch {
                return (error.result, nil)
            }
        }
    }

    private mutating func operate(_ action: HostAction, caller: Int, operand: UInt64) throws(HostFailure) -> UInt64? {
        switch action {
        case .spiLine(let intid, let level):
            try setLine(HostLine.word(.spi, vcpu: 0, intid: intid), level: level)
        case .ppiLine(let intid, let vcpu, let level):
            try setLine(HostLine.word(.ppi, vcpu: vcpuID(vcpu), intid: intid), level: level)
        case .operandLine(let level):
            let intid = UInt32(truncatingIfNeeded: operand)
            let word = intid < 32 ? HostLine.word(.ppi, vcpu: vcpuID(caller), intid: intid) : HostLine.word(.spi, vcpu: 0, intid: intid)
            try setLine(word, level: level)
        case .rawLine(let word, let level):
            try setLine(IRQLineWord(rawValue: word), level: level)
        case .setPending(let intid, let vcpu):
            try setField(intid, vcpu: vcpu, bits: 1, value: 1, private: .gicrISPENDR0, shared: .gicdISPENDR)
        case .setActive(let intid, let vcpu):
            try setField(intid, vcpu: vcpu, bits: 1, value: 1, private: .gicrISACTIVER0, shared: .gicdISACTIVER)
        case .setLineLevel(let intid, let vcpu, let level):
            let bitmap = try lineLevels(covering: intid, vcpu: vcpu)
            let bit = UInt32(1) << (intid % 32)
            try setLineLevels(covering: intid, vcpu: vcpu, level ? bitmap | bit : bitmap & ~bit)
        case .setSystemRegister(let register, let vcpu, let value):
            try setSystemRegister(register, vcpu: vcpu, value)
        case .modifySystemRegister(let register, let vcpu, let set, let clear):
            let value = try systemRegister(register, vcpu: vcpu)
            try setSystemRegister(register, vcpu: vcpu, value & ~clear | set)
        case .setDistributor(let register, let index, let value):
            try setRegister(register, vcpu: 0, index: index, value)
        case .setRedistributor(let register, let vcpu, let index, let value):
            try setRegister(register, vcpu: vcpu, index: index, value)
        case .setPriority(let intid, let vcpu, let priority):
            try setField(intid, vcpu: vcpu, bits: 8, value: UInt64(priority), private: .gicrIPRIORITYR, shared: .gicdIPRIORITYR)
        case .enable(let intid, let vcpu):
            // A set-enable write of the one bit: zeros leave the others alone.
            let flag = UInt64(1) << UInt64(intid % 32)
            if intid < 32 {
                try setRegister(.gicrISENABLER0, vcpu: vcpu, index: 0, flag)
            } else {
                try setRegister(.gicdISENABLER, vcpu: 0, index: intid / 32, flag)
            }
        case .setGroup(let intid, let vcpu, let group1):
            try setField(intid, vcpu: vcpu, bits: 1, value: group1 ? 1 : 0, private: .gicrIGROUPR0, shared: .gicdIGROUPR)
        case .setTrigger(let intid, let edge):
            try setField(intid, vcpu: 0, bits: 2, value: edge ? 2 : 0, private: .gicrICFGR, shared: .gicdICFGR)
        case .route(let intid, let vcpu):
            try setRegister(.gicdIROUTER, vcpu: 0, index: intid, UInt64(affinity(vcpu).packed))
        case .observe(let observation):
            return try observe(observation)
        case .signalIRQFD(let n):
            try signalIRQFD(n)
        case .takeResample(let n):
            return try takeResample(n)
        case .signalMSI(let device, let event):
            return try signalMSI(device: device, event: event)
        case .signalMSIs(let events):
            var delivered: UInt64 = 0
            for message in events { delivered += try signalMSI(device: message.device, event: message.event) }
            return delivered
        case .signalMSIRoute(let n):
            try signalMSIRoute(n)
        case .switchTo, .all:
            break
        }
        return nil
    }

    private mutating func observe(_ observation: HostObservation) throws(HostFailure) -> UInt64 {
        switch observation {
        case .active(let intid, let vcpu):
            return try field(intid, vcpu: vcpu, bits: 1, private: .gicrISACTIVER0, shared: .gicdISACTIVER)
        case .latch(let intid, let vcpu):
            return try field(intid, vcpu: vcpu, bits: 1, private: .gicrISPENDR0, shared: .gicdISPENDR)
        case .line(let intid, let vcpu):
            return UInt64(try lineLevels(covering: intid, vcpu: vcpu) >> (intid % 32) & 1)
        case .systemRegister(let register, let vcpu):
            return try systemRegister(register, vcpu: vcpu)
        }
    }

    /// `intid`'s `bits`-wide field of a bank: vCPU `vcpu`'s redistributor word below 32, the
    /// distributor's above.
    private mutating func field(
        _ intid: UInt32, vcpu: Int, bits: UInt32, private privateBank: GICv3Register, shared: GICv3Register
    ) throws(HostFailure) -> UInt64 {
        let place = BankField(intid: intid, bits: bits)
        let word = try register(intid < 32 ? privateBank : shared, vcpu: intid < 32 ? vcpu : 0, index: place.index)
        return word >> place.shift & place.fieldMask
    }

    /// Writes that field by read-modify-write of its 32-bit word: a uaccess ISPENDR write sets
    /// the latch to exactly the bits written, so writing one bit alone would clear its
    /// neighbours (and the same read-modify-write keeps other priorities, groups, triggers).
    private mutating func setField(
        _ intid: UInt32, vcpu: Int, bits: UInt32, value: UInt64, private privateBank: GICv3Register, shared: GICv3Register
    ) throws(HostFailure) {
        let place = BankField(intid: intid, bits: bits)
        let bank = intid < 32 ? privateBank : shared
        let owner = intid < 32 ? vcpu : 0
        let word = try register(bank, vcpu: owner, index: place.index)
        try setRegister(bank, vcpu: owner, index: place.index, place.replacing(in: word, with: value))
    }
}

/// Where INTID `intid`'s field of a per-interrupt bank is: the 32-bit element and the bits.
struct BankField {
    let index: UInt32
    let shift: UInt64
    let fieldMask: UInt64

    init(intid: UInt32, bits: UInt32) {
        let perWord = 32 / bits
        index = intid / perWord
        shift = UInt64((intid % perWord) * bits)
        fieldMask = (UInt64(1) << UInt64(bits)) - 1
    }

    func replacing(in word: UInt64, with value: UInt64) -> UInt64 {
        word & ~(fieldMask << shift) | (value & fieldMask) << shift
    }
}

/// `KVM_IRQ_LINE` words from their fields, unchecked: the out-of-range INTIDs a scenario sends on
/// purpose must reach the kernel (vCPU ids below 256).
enum HostLine {
    static func word(_ type: IRQLineWord.LineType, vcpu: UInt32, intid: UInt32) -> IRQLineWord {
        IRQLineWord(rawValue: type.rawValue << IRQLineWord.typeShift | (vcpu & IRQLineWord.vcpuMask) << IRQLineWord.vcpuShift
            | (intid & IRQLineWord.numberMask))
    }
}
