import CKVM
import GICVocabulary

/// A `KVM_GET_ONE_REG`/`KVM_SET_ONE_REG` register id (64-bit arm64 registers only).
public struct OneRegister: Hashable, Sendable, CustomStringConvertible {
    /// The id word: `KVM_REG_ARM64 | KVM_REG_SIZE_U64 | coprocessor | index`.
    public let id: UInt64

    init(id: UInt64) { self.id = id }

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

    public var description: String { "one-reg " + hex(id) }
}
