/// The two interrupt inputs of a vCPU, as `KVM_IRQ_LINE` type CPU names them.
///
/// Only for a **userspace** irqchip: with an in-kernel GIC the kernel refuses type CPU with ENXIO
/// (GICVocabulary.docc/InterruptNumbers.md). `KVM_ARM_IRQ_CPU_IRQ` 0, `KVM_ARM_IRQ_CPU_FIQ` 1; anything above
/// 1 is EINVAL.
public enum CPUInterruptLine: UInt32, Hashable, Sendable, CaseIterable {
    case irq = 0
    case fiq = 1
}
