/*
 * The arm64 part of the KVM uAPI (arch/arm64/include/uapi/asm/kvm.h), for hosts whose
 * <asm/kvm.h> is another architecture's (x86 development machines). On an arm64 host, or in
 * the Embedded build against the arm64 cross headers, the real definitions are used and only
 * constants newer than the installed headers are filled in.
 *
 * Values: Linux v7.1 uAPI (see KVM.docc/UAPIConstants.md). Tests pin each one.
 */
#ifndef CKVM_ARM64_UAPI_H
#define CKVM_ARM64_UAPI_H

#include <linux/types.h>

/* The struct itself can only be supplied when the whole arm64 header is absent. */
#ifndef KVM_ARM_TARGET_GENERIC_V8
#define CKVM_HOST_HEADERS_HAVE_ARM64 0
struct kvm_vcpu_init {
    __u32 target;
    __u32 features[7];
};
#define KVM_ARM_TARGET_GENERIC_V8 5
#else
#define CKVM_HOST_HEADERS_HAVE_ARM64 1
#endif

/* vCPU feature bits (KVM_ARM_VCPU_INIT features[0]). */
#ifndef KVM_ARM_VCPU_POWER_OFF
#define KVM_ARM_VCPU_POWER_OFF 0
#endif
#ifndef KVM_ARM_VCPU_EL1_32BIT
#define KVM_ARM_VCPU_EL1_32BIT 1
#endif
#ifndef KVM_ARM_VCPU_PSCI_0_2
#define KVM_ARM_VCPU_PSCI_0_2 2
#endif
#ifndef KVM_ARM_VCPU_PMU_V3
#define KVM_ARM_VCPU_PMU_V3 3
#endif
#ifndef KVM_ARM_VCPU_SVE
#define KVM_ARM_VCPU_SVE 4
#endif
#ifndef KVM_ARM_VCPU_PTRAUTH_ADDRESS
#define KVM_ARM_VCPU_PTRAUTH_ADDRESS 5
#endif
#ifndef KVM_ARM_VCPU_PTRAUTH_GENERIC
#define KVM_ARM_VCPU_PTRAUTH_GENERIC 6
#endif
#ifndef KVM_ARM_VCPU_HAS_EL2
#define KVM_ARM_VCPU_HAS_EL2 7
#endif

/* Legacy KVM_ARM_SET_DEVICE_ADDR id encoding. */
#ifndef KVM_ARM_DEVICE_ID_SHIFT
#define KVM_ARM_DEVICE_ID_SHIFT 16
#endif
#ifndef KVM_ARM_DEVICE_VGIC_V2
#define KVM_ARM_DEVICE_VGIC_V2 0
#endif

/* Address types for KVM_DEV_ARM_VGIC_GRP_ADDR. */
#ifndef KVM_VGIC_V2_ADDR_TYPE_DIST
#define KVM_VGIC_V2_ADDR_TYPE_DIST 0
#endif
#ifndef KVM_VGIC_V2_ADDR_TYPE_CPU
#define KVM_VGIC_V2_ADDR_TYPE_CPU 1
#endif
#ifndef KVM_VGIC_V2_DIST_SIZE
#define KVM_VGIC_V2_DIST_SIZE 0x1000
#endif
#ifndef KVM_VGIC_V2_CPU_SIZE
#define KVM_VGIC_V2_CPU_SIZE 0x2000
#endif
#ifndef KVM_VGIC_V3_ADDR_TYPE_DIST
#define KVM_VGIC_V3_ADDR_TYPE_DIST 2
#endif
#ifndef KVM_VGIC_V3_ADDR_TYPE_REDIST
#define KVM_VGIC_V3_ADDR_TYPE_REDIST 3
#endif
#ifndef KVM_VGIC_ITS_ADDR_TYPE
#define KVM_VGIC_ITS_ADDR_TYPE 4
#endif
#ifndef KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION
#define KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION 5
#endif
/* The header spells these with SZ_64K, which uAPI users do not get; keep numeric twins. */
#define CKVM_VGIC_V3_DIST_SIZE   0x10000ULL
#define CKVM_VGIC_V3_REDIST_SIZE 0x20000ULL
#define CKVM_VGIC_V3_ITS_SIZE    0x20000ULL

/* Device attribute groups. */
#ifndef KVM_DEV_ARM_VGIC_GRP_ADDR
#define KVM_DEV_ARM_VGIC_GRP_ADDR 0
#endif
#ifndef KVM_DEV_ARM_VGIC_GRP_DIST_REGS
#define KVM_DEV_ARM_VGIC_GRP_DIST_REGS 1
#endif
#ifndef KVM_DEV_ARM_VGIC_GRP_CPU_REGS
#define KVM_DEV_ARM_VGIC_GRP_CPU_REGS 2
#endif
#ifndef KVM_DEV_ARM_VGIC_CPUID_SHIFT
#define KVM_DEV_ARM_VGIC_CPUID_SHIFT 32
#endif
#ifndef KVM_DEV_ARM_VGIC_CPUID_MASK
#define KVM_DEV_ARM_VGIC_CPUID_MASK (0xffULL << KVM_DEV_ARM_VGIC_CPUID_SHIFT)
#endif
#ifndef KVM_DEV_ARM_VGIC_V3_MPIDR_SHIFT
#define KVM_DEV_ARM_VGIC_V3_MPIDR_SHIFT 32
#endif
#ifndef KVM_DEV_ARM_VGIC_V3_MPIDR_MASK
#define KVM_DEV_ARM_VGIC_V3_MPIDR_MASK (0xffffffffULL << KVM_DEV_ARM_VGIC_V3_MPIDR_SHIFT)
#endif
#ifndef KVM_DEV_ARM_VGIC_OFFSET_SHIFT
#define KVM_DEV_ARM_VGIC_OFFSET_SHIFT 0
#endif
#ifndef KVM_DEV_ARM_VGIC_OFFSET_MASK
#define KVM_DEV_ARM_VGIC_OFFSET_MASK (0xffffffffULL << KVM_DEV_ARM_VGIC_OFFSET_SHIFT)
#endif
#ifndef KVM_DEV_ARM_VGIC_SYSREG_INSTR_MASK
#define KVM_DEV_ARM_VGIC_SYSREG_INSTR_MASK 0xffff
#endif
#ifndef KVM_DEV_ARM_VGIC_GRP_NR_IRQS
#define KVM_DEV_ARM_VGIC_GRP_NR_IRQS 3
#endif
#ifndef KVM_DEV_ARM_VGIC_GRP_CTRL
#define KVM_DEV_ARM_VGIC_GRP_CTRL 4
#endif
#ifndef KVM_DEV_ARM_VGIC_GRP_REDIST_REGS
#define KVM_DEV_ARM_VGIC_GRP_REDIST_REGS 5
#endif
#ifndef KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS
#define KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS 6
#endif
#ifndef KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO
#define KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO 7
#endif
#ifndef KVM_DEV_ARM_VGIC_GRP_ITS_REGS
#define KVM_DEV_ARM_VGIC_GRP_ITS_REGS 8
#endif
#ifndef KVM_DEV_ARM_VGIC_GRP_MAINT_IRQ
#define KVM_DEV_ARM_VGIC_GRP_MAINT_IRQ 9
#endif
#ifndef KVM_DEV_ARM_VGIC_LINE_LEVEL_INFO_SHIFT
#define KVM_DEV_ARM_VGIC_LINE_LEVEL_INFO_SHIFT 10
#endif
#ifndef KVM_DEV_ARM_VGIC_LINE_LEVEL_INFO_MASK
#define KVM_DEV_ARM_VGIC_LINE_LEVEL_INFO_MASK (0x3fffffULL << KVM_DEV_ARM_VGIC_LINE_LEVEL_INFO_SHIFT)
#endif
#ifndef KVM_DEV_ARM_VGIC_LINE_LEVEL_INTID_MASK
#define KVM_DEV_ARM_VGIC_LINE_LEVEL_INTID_MASK 0x3ff
#endif
#ifndef VGIC_LEVEL_INFO_LINE_LEVEL
#define VGIC_LEVEL_INFO_LINE_LEVEL 0
#endif

/* KVM_DEV_ARM_VGIC_GRP_CTRL attributes. */
#ifndef KVM_DEV_ARM_VGIC_CTRL_INIT
#define KVM_DEV_ARM_VGIC_CTRL_INIT 0
#endif
#ifndef KVM_DEV_ARM_ITS_SAVE_TABLES
#define KVM_DEV_ARM_ITS_SAVE_TABLES 1
#endif
#ifndef KVM_DEV_ARM_ITS_RESTORE_TABLES
#define KVM_DEV_ARM_ITS_RESTORE_TABLES 2
#endif
#ifndef KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES
#define KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES 3
#endif
#ifndef KVM_DEV_ARM_ITS_CTRL_RESET
#define KVM_DEV_ARM_ITS_CTRL_RESET 4
#endif

/* KVM_IRQ_LINE layout on arm64. */
#ifndef KVM_ARM_IRQ_VCPU2_SHIFT
#define KVM_ARM_IRQ_VCPU2_SHIFT 28
#endif
#ifndef KVM_ARM_IRQ_VCPU2_MASK
#define KVM_ARM_IRQ_VCPU2_MASK 0xf
#endif
#ifndef KVM_ARM_IRQ_TYPE_SHIFT
#define KVM_ARM_IRQ_TYPE_SHIFT 24
#endif
#ifndef KVM_ARM_IRQ_TYPE_MASK
#define KVM_ARM_IRQ_TYPE_MASK 0xf
#endif
#ifndef KVM_ARM_IRQ_VCPU_SHIFT
#define KVM_ARM_IRQ_VCPU_SHIFT 16
#endif
#ifndef KVM_ARM_IRQ_VCPU_MASK
#define KVM_ARM_IRQ_VCPU_MASK 0xff
#endif
#ifndef KVM_ARM_IRQ_NUM_SHIFT
#define KVM_ARM_IRQ_NUM_SHIFT 0
#endif
#ifndef KVM_ARM_IRQ_NUM_MASK
#define KVM_ARM_IRQ_NUM_MASK 0xffff
#endif
#ifndef KVM_ARM_IRQ_TYPE_CPU
#define KVM_ARM_IRQ_TYPE_CPU 0
#endif
#ifndef KVM_ARM_IRQ_TYPE_SPI
#define KVM_ARM_IRQ_TYPE_SPI 1
#endif
#ifndef KVM_ARM_IRQ_TYPE_PPI
#define KVM_ARM_IRQ_TYPE_PPI 2
#endif
#ifndef KVM_ARM_IRQ_CPU_IRQ
#define KVM_ARM_IRQ_CPU_IRQ 0
#endif
#ifndef KVM_ARM_IRQ_CPU_FIQ
#define KVM_ARM_IRQ_CPU_FIQ 1
#endif

/* One-reg ids (KVM_GET/SET_ONE_REG). KVM_REG_ARM64 and the size bits are generic uAPI. */
#ifndef KVM_REG_ARM_COPROC_SHIFT
#define KVM_REG_ARM_COPROC_SHIFT 16
#endif
#ifndef KVM_REG_ARM_CORE
#define KVM_REG_ARM_CORE (0x0010 << KVM_REG_ARM_COPROC_SHIFT)
#endif
#ifndef KVM_REG_ARM64_SYSREG
#define KVM_REG_ARM64_SYSREG (0x0013 << KVM_REG_ARM_COPROC_SHIFT)
#endif
#ifndef KVM_REG_ARM_COPROC_MASK
#define KVM_REG_ARM_COPROC_MASK 0x000000000FFF0000
#endif
#ifndef KVM_REG_ARM_DEMUX
#define KVM_REG_ARM_DEMUX (0x0011 << KVM_REG_ARM_COPROC_SHIFT)
#endif
#ifndef KVM_REG_ARM_FW
#define KVM_REG_ARM_FW (0x0014 << KVM_REG_ARM_COPROC_SHIFT)
#endif
/*
 * Core register indexes are offsetof(struct kvm_regs, field) / sizeof(__u32); struct
 * kvm_regs is arm64-only, so the x86 build carries the numbers and the arm64 build proves
 * them against the real struct below.
 */
#define CKVM_ARM64_CORE_X0_INDEX 0      /* regs.regs[0]; X(n) = 2n */
#define CKVM_ARM64_CORE_PC_INDEX 64     /* regs.pc */
#define CKVM_ARM64_CORE_PSTATE_INDEX 66 /* regs.pstate */
#if CKVM_HOST_HEADERS_HAVE_ARM64
_Static_assert(offsetof(struct kvm_regs, regs.pc) / sizeof(__u32) == CKVM_ARM64_CORE_PC_INDEX,
               "arm64 kvm_regs.pc index");
_Static_assert(offsetof(struct kvm_regs, regs.pstate) / sizeof(__u32) == CKVM_ARM64_CORE_PSTATE_INDEX,
               "arm64 kvm_regs.pstate index");
#endif

/*
 * Interrupt routing on arm64. KVM_NR_IRQCHIPS is in <asm/kvm.h> and differs by architecture
 * (x86: 3, arm64: 1), so the arm64 value is carried under its own name and, where the real
 * arm64 header is present, proved against it. KVM_IRQCHIP_NUM_PINS (include/kvm/arm_vgic.h:
 * 1020 - 32, one pin per possible SPI) and KVM_MAX_IRQ_ROUTES (include/linux/kvm_host.h) are
 * kernel-internal limits that `kvm_set_routing_entry()` and `kvm_set_irq_routing()` enforce with
 * EINVAL; they are not uAPI, so they live here under CKVM_KERNEL_* names (KVM.docc/InterruptRouting.md).
 */
#define CKVM_ARM64_NR_IRQCHIPS 1
#if CKVM_HOST_HEADERS_HAVE_ARM64
_Static_assert(KVM_NR_IRQCHIPS == CKVM_ARM64_NR_IRQCHIPS, "arm64 KVM_NR_IRQCHIPS");
#endif
#define CKVM_KERNEL_IRQCHIP_NUM_PINS (1020 - 32)
#define CKVM_KERNEL_MAX_IRQ_ROUTES 4096

/* Capabilities newer than some host headers. */
#ifndef KVM_CAP_ARM_VM_IPA_SIZE
#define KVM_CAP_ARM_VM_IPA_SIZE 165
#endif
#ifndef KVM_CAP_ARM_IRQ_LINE_LAYOUT_2
#define KVM_CAP_ARM_IRQ_LINE_LAYOUT_2 174
#endif
#ifndef KVM_CAP_ARM_EL2
#define KVM_CAP_ARM_EL2 240
#endif
#ifndef KVM_VM_TYPE_ARM_IPA_SIZE_MASK
#define KVM_VM_TYPE_ARM_IPA_SIZE_MASK 0xffULL
#endif

#endif /* CKVM_ARM64_UAPI_H */
