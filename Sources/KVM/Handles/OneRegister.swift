import CKVM
import GICVocabulary

/// A `KVM_GET_ONE_REG`/`KVM_SET_ONE_REG` register id of an arm64 vCPU.
///
/// The id carries the register's size: bits 55:52 hold log2 of its byte count (`KVM_REG_SIZE_*`:
/// 4 bytes for FPSR, FPCR and the CCSIDR demux, 16 for the FP/SIMD V registers, 8 for the rest
/// a non-SVE vCPU lists), and the kernel reads or writes exactly that many bytes at `addr`
/// (KVM.docc/VCPURegisters.md). `VCPU.value(of:)` and `VCPU.set(_:to:)` move values of any
/// size; `VCPU.get(_:)` and `VCPU.set(_:to:)` with a `UInt64` take registers of at most 8 bytes.
public struct OneRegister: Hashable, Sendable, CustomStringConvertible {
    /// The id word: `KVM_REG_ARM64 | KVM_REG_SIZE_* | coprocessor | index`.
    public let id: UInt64

    /// A register by its id word, as `KVM_GET_REG_LIST` names it.
    public init(id: UInt64) { self.id = id }

    /// How many bytes the register holds: `1 << ((id & KVM_REG_SIZE_MASK) >> KVM_REG_SIZE_SHIFT)`.
    public var byteCount: Int { 1 << Int((id & CKVM_REG_SIZE_MASK) >> CKVM_REG_SIZE_SHIFT) }

    /// Which register space the id belongs to (`KVM_REG_ARM_COPROC_MASK`).
    public var space: Space {
        switch id & CKVM_REG_ARM_COPROC_MASK {
        case CKVM_REG_ARM_CORE: .core
        case CKVM_REG_ARM64_SYSREG: .system
        case CKVM_REG_ARM_FW: .firmware
        case CKVM_REG_ARM_DEMUX: .demultiplexed
        default: .other(UInt16(truncatingIfNeeded: (id & CKVM_REG_ARM_COPROC_MASK) >> 16))
        }
    }

    /// The register spaces of arm64's one-reg ids.
    public enum Space: Hashable, Sendable, CustomStringConvertible {
        /// `KVM_REG_ARM_CORE`: `struct kvm_regs` by 32-bit word index (X0–X30, SP, PC, PSTATE,
        /// SP_EL1, ELR_EL1, the SPSRs, V0–V31, FPSR, FPCR).
        case core
        /// `KVM_REG_ARM64_SYSREG`: system registers by encoding, the timer's included.
        case system
        /// `KVM_REG_ARM_FW` and `KVM_REG_ARM_FW_FEAT_BMAP`'s neighbour: KVM's firmware
        /// pseudo-registers (PSCI version, SMCCC workarounds).
        case firmware
        /// `KVM_REG_ARM_DEMUX`: CCSIDR by cache selector.
        case demultiplexed
        /// Any other coprocessor number (the feature bitmaps, SVE).
        case other(UInt16)

        public var description: String {
            switch self {
            case .core: "core"
            case .system: "sysreg"
            case .firmware: "firmware"
            case .demultiplexed: "demux"
            case .other(let number): "coproc " + hex(UInt64(number))
            }
        }
    }

    /// A core register by its `struct kvm_regs` index (offset in 32-bit words).
    static func core(index: UInt64) -> OneRegister {
        OneRegister(id: CKVM_REG_ARM64 | CKVM_REG_SIZE_U64 | CKVM_REG_ARM_CORE | index)
    }

    /// General-purpose register Xn (0...30).
    public static func x(_ n: UInt8) -> OneRegister? {
        guard n <= 30 else { return nil }
        return core(index: 2 * UInt64(n))
    }

    /// The program counter.
    public static let pc = core(index: CKVM_ARM64_CORE_PC_INDEX_VALUE)
    /// PSTATE (SPSR-format processor state).
    public static let pstate = core(index: CKVM_ARM64_CORE_PSTATE_INDEX_VALUE)

    /// A system register by its encoding (`ARM64_SYS_REG(op0, op1, CRn, CRm, op2)`).
    public static func systemRegister(_ encoding: SysRegEncoding) -> OneRegister {
        OneRegister(id: CKVM_REG_ARM64 | CKVM_REG_SIZE_U64 | CKVM_REG_ARM64_SYSREG | UInt64(encoding.instr))
    }

    /// MPIDR_EL1 (3,0,0,0,5): the affinity the vgic uses to select this vCPU's
    /// redistributor, CPU sysregs and level info. Read it back; never assume it from the id.
    public static let mpidr = OneRegister(
        id: CKVM_REG_ARM64 | CKVM_REG_SIZE_U64 | CKVM_REG_ARM64_SYSREG | (3 << 14 | 0 << 11 | 0 << 7 | 0 << 3 | 5))

    /// `KVM_REG_ARM_TIMER_CTL`: CNTV_CTL_EL0 (3,3,14,3,1).
    public static let virtualTimerControl = systemRegister(SysRegEncoding(instr: 3 << 14 | 3 << 11 | 14 << 7 | 3 << 3 | 1))
    /// `KVM_REG_ARM_TIMER_CNT`: the guest's virtual count. Its id is the encoding (3,3,14,3,2),
    /// which is CNTV_CVAL_EL0's: the uAPI swapped the two by accident and keeps them swapped.
    /// Writing it moves the VM's virtual counter offset.
    public static let virtualTimerCount = systemRegister(SysRegEncoding(instr: 3 << 14 | 3 << 11 | 14 << 7 | 3 << 3 | 2))
    /// `KVM_REG_ARM_TIMER_CVAL`: CNTV_CVAL_EL0, under the id (3,3,14,0,2) of CNTVCT_EL0.
    public static let virtualTimerCompare = systemRegister(SysRegEncoding(instr: 3 << 14 | 3 << 11 | 14 << 7 | 0 << 3 | 2))
    /// `KVM_REG_ARM_PTIMER_CTL`: CNTP_CTL_EL0 (3,3,14,2,1).
    public static let physicalTimerControl = systemRegister(SysRegEncoding(instr: 3 << 14 | 3 << 11 | 14 << 7 | 2 << 3 | 1))
    /// `KVM_REG_ARM_PTIMER_CNT`: CNTPCT_EL0 (3,3,14,0,1); writing it moves the physical offset.
    public static let physicalTimerCount = systemRegister(SysRegEncoding(instr: 3 << 14 | 3 << 11 | 14 << 7 | 0 << 3 | 1))
    /// `KVM_REG_ARM_PTIMER_CVAL`: CNTP_CVAL_EL0 (3,3,14,2,2).
    public static let physicalTimerCompare = systemRegister(SysRegEncoding(instr: 3 << 14 | 3 << 11 | 14 << 7 | 2 << 3 | 2))

    public var description: String { "one-reg " + hex(id) }
}

/// The value of a one-reg register: exactly its `byteCount` bytes, little-endian, as
/// `KVM_GET_ONE_REG` wrote them.
public struct RegisterValue: Hashable, Sendable, CustomStringConvertible {
    /// The bytes, least significant first.
    public var bytes: [UInt8]

    public init(bytes: [UInt8]) { self.bytes = bytes }

    /// `value` in `byteCount` bytes (its low bytes; zero-extended beyond 8).
    public init(_ value: UInt64, byteCount: Int) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(byteCount)
        for index in 0..<byteCount {
            bytes.append(index < 8 ? UInt8(truncatingIfNeeded: value >> (8 * UInt64(index))) : 0)
        }
        self.bytes = bytes
    }

    /// The low 8 bytes as a number (all of a register of at most 8 bytes).
    public var low64: UInt64 {
        var value: UInt64 = 0
        for (index, byte) in bytes.prefix(8).enumerated() { value |= UInt64(byte) << (8 * UInt64(index)) }
        return value
    }

    public var description: String {
        var text = "0x"
        let digits: [Character] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "a", "b", "c", "d", "e", "f"]
        for byte in bytes.reversed() {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0xf)])
        }
        return text
    }
}

/// A vCPU's power state as `KVM_GET_MP_STATE` reports it (`struct kvm_mp_state`): what a
/// migration carries besides the registers, since a powered-off secondary and a running one
/// have the same register file (KVM.docc/VCPURegisters.md).
public enum MPState: Hashable, Sendable, CustomStringConvertible {
    /// `KVM_MP_STATE_RUNNABLE` (0): the vCPU runs.
    case runnable
    /// `KVM_MP_STATE_STOPPED` (5): powered off (initialised with `KVM_ARM_VCPU_POWER_OFF`, or
    /// PSCI CPU_OFF); PSCI CPU_ON starts it.
    case stopped
    /// `KVM_MP_STATE_SUSPENDED` (10): in PSCI SYSTEM_SUSPEND, waiting for a wake-up interrupt.
    case suspended
    /// A state arm64 does not define, by number.
    case other(UInt32)

    public init(rawValue: UInt32) {
        switch rawValue {
        case CKVM_MP_STATE_RUNNABLE: self = .runnable
        case CKVM_MP_STATE_STOPPED: self = .stopped
        case CKVM_MP_STATE_SUSPENDED: self = .suspended
        default: self = .other(rawValue)
        }
    }

    public var rawValue: UInt32 {
        switch self {
        case .runnable: CKVM_MP_STATE_RUNNABLE
        case .stopped: CKVM_MP_STATE_STOPPED
        case .suspended: CKVM_MP_STATE_SUSPENDED
        case .other(let value): value
        }
    }

    public var description: String {
        switch self {
        case .runnable: "runnable"
        case .stopped: "stopped"
        case .suspended: "suspended"
        case .other(let value): "mp_state \(value)"
        }
    }
}
