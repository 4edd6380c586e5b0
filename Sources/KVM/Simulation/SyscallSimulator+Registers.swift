import CKVM
import GICVocabulary

extension SyscallSimulator {
    /// A register list of the shape a non-SVE arm64 vCPU reports (KVM.docc/VCPURegisters.md):
    /// the core registers (X0–X30, SP, PC, PSTATE, SP_EL1, ELR_EL1, five SPSRs as 8 bytes, V0–V31
    /// as 16, FPSR and FPCR as 4), the PSCI version pseudo-register, the six timer registers,
    /// MPIDR_EL1 and a few EL1 system registers, and one 4-byte CCSIDR. Enough for code that
    /// walks whatever the list says, in every size it says, to be tested without a kernel.
    public static let typicalRegisterList: [UInt64] = {
        var list: [UInt64] = []
        func core(_ index: UInt64, _ size: UInt64) { list.append(CKVM_REG_ARM64 | size | CKVM_REG_ARM_CORE | index) }
        for n in 0..<31 { core(2 * UInt64(n), CKVM_REG_SIZE_U64) }
        for index: UInt64 in [62, 64, 66, 68, 70, 72, 74, 76, 78, 80] { core(index, CKVM_REG_SIZE_U64) }
        for n in 0..<32 { core(84 + 4 * UInt64(n), CKVM_REG_SIZE_U128) }
        core(212, CKVM_REG_SIZE_U32)
        core(213, CKVM_REG_SIZE_U32)
        list.append(CKVM_REG_ARM64 | CKVM_REG_SIZE_U64 | CKVM_REG_ARM_FW | 0)
        for timer in [OneRegister.virtualTimerControl, .virtualTimerCount, .virtualTimerCompare,
                      .physicalTimerControl, .physicalTimerCount, .physicalTimerCompare] {
            list.append(timer.id)
        }
        list.append(OneRegister.mpidr.id)
        // SCTLR_EL1, TTBR0_EL1, TTBR1_EL1, TCR_EL1, VBAR_EL1, TPIDR_EL1.
        for (op1, crn, crm, op2) in [(0, 1, 0, 0), (0, 2, 0, 0), (0, 2, 0, 1), (0, 2, 0, 2), (0, 12, 0, 0), (0, 13, 0, 4)] {
            list.append(OneRegister.systemRegister(
                SysRegEncoding(instr: UInt16(3 << 14 | op1 << 11 | crn << 7 | crm << 3 | op2))).id)
        }
        list.append(CKVM_REG_ARM64 | CKVM_REG_SIZE_U32 | CKVM_REG_ARM_DEMUX | 0)
        return list
    }()
}
