/*
 * Every ioctl request number and uAPI constant the Swift code uses, computed by the kernel
 * header's own macros (Swift cannot import _IOW-style macros or enum-typed #defines with
 * casts). Swift sees these as typed constants; KVMTests pins each to its documented value.
 */
#ifndef CKVM_REQUESTS_H
#define CKVM_REQUESTS_H

/* /dev/kvm */
static const unsigned long CKVM_GET_API_VERSION = KVM_GET_API_VERSION;
static const unsigned long CKVM_CREATE_VM = KVM_CREATE_VM;
static const unsigned long CKVM_CHECK_EXTENSION = KVM_CHECK_EXTENSION;
static const unsigned long CKVM_GET_VCPU_MMAP_SIZE = KVM_GET_VCPU_MMAP_SIZE;

/* VM fd */
static const unsigned long CKVM_CREATE_VCPU = KVM_CREATE_VCPU;
static const unsigned long CKVM_SET_USER_MEMORY_REGION = KVM_SET_USER_MEMORY_REGION;
static const unsigned long CKVM_IRQ_LINE = KVM_IRQ_LINE;
static const unsigned long CKVM_CREATE_DEVICE = KVM_CREATE_DEVICE;
static const unsigned long CKVM_ARM_PREFERRED_TARGET = KVM_ARM_PREFERRED_TARGET;
static const unsigned long CKVM_SIGNAL_MSI = KVM_SIGNAL_MSI;
static const unsigned long CKVM_IRQFD = KVM_IRQFD;
static const unsigned long CKVM_SET_GSI_ROUTING = KVM_SET_GSI_ROUTING;

/* vCPU fd */
static const unsigned long CKVM_RUN = KVM_RUN;
static const unsigned long CKVM_ARM_VCPU_INIT = KVM_ARM_VCPU_INIT;
static const unsigned long CKVM_GET_ONE_REG = KVM_GET_ONE_REG;
static const unsigned long CKVM_SET_ONE_REG = KVM_SET_ONE_REG;
static const unsigned long CKVM_GET_REG_LIST = KVM_GET_REG_LIST;
static const unsigned long CKVM_GET_MP_STATE = KVM_GET_MP_STATE;
static const unsigned long CKVM_SET_MP_STATE = KVM_SET_MP_STATE;

/* device fd */
static const unsigned long CKVM_SET_DEVICE_ATTR = KVM_SET_DEVICE_ATTR;
static const unsigned long CKVM_GET_DEVICE_ATTR = KVM_GET_DEVICE_ATTR;
static const unsigned long CKVM_HAS_DEVICE_ATTR = KVM_HAS_DEVICE_ATTR;

static const int CKVM_API_VERSION = KVM_API_VERSION;
static const uint32_t CKVM_CREATE_DEVICE_TEST = KVM_CREATE_DEVICE_TEST;

/* Device types (enum kvm_device_type). */
static const uint32_t CKVM_DEV_TYPE_ARM_VGIC_V2 = KVM_DEV_TYPE_ARM_VGIC_V2;
static const uint32_t CKVM_DEV_TYPE_ARM_VGIC_V3 = KVM_DEV_TYPE_ARM_VGIC_V3;
static const uint32_t CKVM_DEV_TYPE_ARM_VGIC_ITS = KVM_DEV_TYPE_ARM_VGIC_ITS;
static const uint32_t CKVM_DEV_TYPE_ARM_VGIC_V5 = CKVM_DEV_TYPE_ARM_VGIC_V5_VALUE;
static const int CKVM_HEADERS_HAVE_VGIC_V5 = CKVM_HOST_HEADERS_HAVE_VGIC_V5;
static const int CKVM_HEADERS_HAVE_ARM64 = CKVM_HOST_HEADERS_HAVE_ARM64;

/* Capabilities. */
static const long CKVM_CAP_IRQCHIP = KVM_CAP_IRQCHIP;
static const long CKVM_CAP_NR_VCPUS = KVM_CAP_NR_VCPUS;
static const long CKVM_CAP_MAX_VCPUS = KVM_CAP_MAX_VCPUS;
static const long CKVM_CAP_MAX_VCPU_ID = KVM_CAP_MAX_VCPU_ID;
static const long CKVM_CAP_ONE_REG = KVM_CAP_ONE_REG;
static const long CKVM_CAP_DEVICE_CTRL = KVM_CAP_DEVICE_CTRL;
static const long CKVM_CAP_IRQFD = KVM_CAP_IRQFD;
static const long CKVM_CAP_SIGNAL_MSI = KVM_CAP_SIGNAL_MSI;
static const long CKVM_CAP_MSI_DEVID = KVM_CAP_MSI_DEVID;
static const long CKVM_CAP_IRQ_ROUTING = KVM_CAP_IRQ_ROUTING;
static const long CKVM_CAP_IRQFD_RESAMPLE = KVM_CAP_IRQFD_RESAMPLE;
static const long CKVM_CAP_ARM_PSCI_0_2 = KVM_CAP_ARM_PSCI_0_2;
static const long CKVM_CAP_ARM_VM_IPA_SIZE = KVM_CAP_ARM_VM_IPA_SIZE;
static const long CKVM_CAP_ARM_IRQ_LINE_LAYOUT_2 = KVM_CAP_ARM_IRQ_LINE_LAYOUT_2;
static const long CKVM_CAP_ARM_EL2 = KVM_CAP_ARM_EL2;

/* VM type. */
static const unsigned long CKVM_VM_TYPE_ARM_IPA_SIZE_MASK = KVM_VM_TYPE_ARM_IPA_SIZE_MASK;

/* vCPU init. */
static const uint32_t CKVM_ARM_TARGET_GENERIC_V8 = KVM_ARM_TARGET_GENERIC_V8;
static const uint32_t CKVM_ARM_VCPU_POWER_OFF = KVM_ARM_VCPU_POWER_OFF;
static const uint32_t CKVM_ARM_VCPU_EL1_32BIT = KVM_ARM_VCPU_EL1_32BIT;
static const uint32_t CKVM_ARM_VCPU_PSCI_0_2 = KVM_ARM_VCPU_PSCI_0_2;
static const uint32_t CKVM_ARM_VCPU_PMU_V3 = KVM_ARM_VCPU_PMU_V3;
static const uint32_t CKVM_ARM_VCPU_SVE = KVM_ARM_VCPU_SVE;
static const uint32_t CKVM_ARM_VCPU_PTRAUTH_ADDRESS = KVM_ARM_VCPU_PTRAUTH_ADDRESS;
static const uint32_t CKVM_ARM_VCPU_PTRAUTH_GENERIC = KVM_ARM_VCPU_PTRAUTH_GENERIC;
static const uint32_t CKVM_ARM_VCPU_HAS_EL2 = KVM_ARM_VCPU_HAS_EL2;

/* One-reg ids. */
static const uint64_t CKVM_REG_ARM64 = KVM_REG_ARM64;
static const uint64_t CKVM_REG_ARCH_MASK = KVM_REG_ARCH_MASK;
static const uint64_t CKVM_REG_SIZE_MASK = KVM_REG_SIZE_MASK;
static const uint64_t CKVM_REG_SIZE_SHIFT = KVM_REG_SIZE_SHIFT;
static const uint64_t CKVM_REG_SIZE_U32 = KVM_REG_SIZE_U32;
static const uint64_t CKVM_REG_SIZE_U128 = KVM_REG_SIZE_U128;
static const uint64_t CKVM_REG_ARM_COPROC_MASK = KVM_REG_ARM_COPROC_MASK;
static const uint64_t CKVM_REG_ARM_FW = KVM_REG_ARM_FW;
static const uint64_t CKVM_REG_ARM_DEMUX = KVM_REG_ARM_DEMUX;
static const uint64_t CKVM_REG_SIZE_U64 = KVM_REG_SIZE_U64;
static const uint64_t CKVM_REG_ARM_CORE = KVM_REG_ARM_CORE;
static const uint64_t CKVM_REG_ARM64_SYSREG = KVM_REG_ARM64_SYSREG;
static const uint64_t CKVM_ARM64_CORE_PC_INDEX_VALUE = CKVM_ARM64_CORE_PC_INDEX;
static const uint64_t CKVM_ARM64_CORE_PSTATE_INDEX_VALUE = CKVM_ARM64_CORE_PSTATE_INDEX;

/* Device attribute groups and attributes. */
static const uint32_t CKVM_VGIC_GRP_ADDR = KVM_DEV_ARM_VGIC_GRP_ADDR;
static const uint32_t CKVM_VGIC_GRP_DIST_REGS = KVM_DEV_ARM_VGIC_GRP_DIST_REGS;
static const uint32_t CKVM_VGIC_GRP_CPU_REGS = KVM_DEV_ARM_VGIC_GRP_CPU_REGS;
static const uint32_t CKVM_VGIC_GRP_NR_IRQS = KVM_DEV_ARM_VGIC_GRP_NR_IRQS;
static const uint32_t CKVM_VGIC_GRP_CTRL = KVM_DEV_ARM_VGIC_GRP_CTRL;
static const uint32_t CKVM_VGIC_GRP_REDIST_REGS = KVM_DEV_ARM_VGIC_GRP_REDIST_REGS;
static const uint32_t CKVM_VGIC_GRP_CPU_SYSREGS = KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS;
static const uint32_t CKVM_VGIC_GRP_LEVEL_INFO = KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO;
static const uint32_t CKVM_VGIC_GRP_ITS_REGS = KVM_DEV_ARM_VGIC_GRP_ITS_REGS;
static const uint32_t CKVM_VGIC_GRP_MAINT_IRQ = KVM_DEV_ARM_VGIC_GRP_MAINT_IRQ;
static const uint64_t CKVM_VGIC_CTRL_INIT = KVM_DEV_ARM_VGIC_CTRL_INIT;
static const uint64_t CKVM_ITS_SAVE_TABLES = KVM_DEV_ARM_ITS_SAVE_TABLES;
static const uint64_t CKVM_ITS_RESTORE_TABLES = KVM_DEV_ARM_ITS_RESTORE_TABLES;
static const uint64_t CKVM_VGIC_SAVE_PENDING_TABLES = KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES;
static const uint64_t CKVM_ITS_CTRL_RESET = KVM_DEV_ARM_ITS_CTRL_RESET;
static const uint64_t CKVM_VGIC_USERSPACE_PPIS = KVM_DEV_ARM_VGIC_USERSPACE_PPIS;

/* Address types and region sizes. */
static const uint64_t CKVM_VGIC_V2_ADDR_TYPE_DIST = KVM_VGIC_V2_ADDR_TYPE_DIST;
static const uint64_t CKVM_VGIC_V2_ADDR_TYPE_CPU = KVM_VGIC_V2_ADDR_TYPE_CPU;
static const uint64_t CKVM_VGIC_V3_ADDR_TYPE_DIST = KVM_VGIC_V3_ADDR_TYPE_DIST;
static const uint64_t CKVM_VGIC_V3_ADDR_TYPE_REDIST = KVM_VGIC_V3_ADDR_TYPE_REDIST;
static const uint64_t CKVM_VGIC_ITS_ADDR_TYPE = KVM_VGIC_ITS_ADDR_TYPE;
static const uint64_t CKVM_VGIC_V3_ADDR_TYPE_REDIST_REGION = KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION;
static const uint64_t CKVM_VGIC_V2_DIST_SIZE_VALUE = KVM_VGIC_V2_DIST_SIZE;
static const uint64_t CKVM_VGIC_V2_CPU_SIZE_VALUE = KVM_VGIC_V2_CPU_SIZE;
static const uint64_t CKVM_VGIC_V3_DIST_SIZE_VALUE = CKVM_VGIC_V3_DIST_SIZE;
static const uint64_t CKVM_VGIC_V3_REDIST_SIZE_VALUE = CKVM_VGIC_V3_REDIST_SIZE;
static const uint64_t CKVM_VGIC_V3_ITS_SIZE_VALUE = CKVM_VGIC_V3_ITS_SIZE;

/* KVM_IRQ_LINE fields. */
static const uint32_t CKVM_ARM_IRQ_VCPU2_SHIFT = KVM_ARM_IRQ_VCPU2_SHIFT;
static const uint32_t CKVM_ARM_IRQ_TYPE_SHIFT = KVM_ARM_IRQ_TYPE_SHIFT;
static const uint32_t CKVM_ARM_IRQ_VCPU_SHIFT = KVM_ARM_IRQ_VCPU_SHIFT;
static const uint32_t CKVM_ARM_IRQ_NUM_MASK = KVM_ARM_IRQ_NUM_MASK;
static const uint32_t CKVM_ARM_IRQ_TYPE_CPU = KVM_ARM_IRQ_TYPE_CPU;
static const uint32_t CKVM_ARM_IRQ_TYPE_SPI = KVM_ARM_IRQ_TYPE_SPI;
static const uint32_t CKVM_ARM_IRQ_TYPE_PPI = KVM_ARM_IRQ_TYPE_PPI;

/* irqfd, GSI routing and MSIs (generic uAPI; the arm64 limits are in ckvm_arm64_uapi.h). */
static const uint32_t CKVM_IRQFD_FLAG_DEASSIGN = KVM_IRQFD_FLAG_DEASSIGN;
static const uint32_t CKVM_IRQFD_FLAG_RESAMPLE = KVM_IRQFD_FLAG_RESAMPLE;
static const uint32_t CKVM_MSI_VALID_DEVID = KVM_MSI_VALID_DEVID;
static const uint32_t CKVM_IRQ_ROUTING_IRQCHIP = KVM_IRQ_ROUTING_IRQCHIP;
static const uint32_t CKVM_IRQ_ROUTING_MSI = KVM_IRQ_ROUTING_MSI;
static const uint32_t CKVM_NR_IRQCHIPS_ARM64 = CKVM_ARM64_NR_IRQCHIPS;
static const uint32_t CKVM_IRQCHIP_NUM_PINS = CKVM_KERNEL_IRQCHIP_NUM_PINS;
static const uint32_t CKVM_MAX_IRQ_ROUTES = CKVM_KERNEL_MAX_IRQ_ROUTES;

/* eventfd(2) flags. */
static const int CKVM_EFD_CLOEXEC = EFD_CLOEXEC;
static const int CKVM_EFD_NONBLOCK = EFD_NONBLOCK;
static const int CKVM_EFD_SEMAPHORE = EFD_SEMAPHORE;

/* kvm_run exit reasons. */
static const uint32_t CKVM_EXIT_UNKNOWN = KVM_EXIT_UNKNOWN;
static const uint32_t CKVM_EXIT_MMIO = KVM_EXIT_MMIO;
static const uint32_t CKVM_EXIT_SHUTDOWN = KVM_EXIT_SHUTDOWN;
static const uint32_t CKVM_EXIT_FAIL_ENTRY = KVM_EXIT_FAIL_ENTRY;
static const uint32_t CKVM_EXIT_INTR = KVM_EXIT_INTR;
static const uint32_t CKVM_EXIT_INTERNAL_ERROR = KVM_EXIT_INTERNAL_ERROR;
static const uint32_t CKVM_EXIT_SYSTEM_EVENT = KVM_EXIT_SYSTEM_EVENT;
static const uint32_t CKVM_EXIT_ARM_NISV = KVM_EXIT_ARM_NISV;

/* Sizes the Swift side checks its buffers against. */
static const size_t CKVM_SIZEOF_DEVICE_ATTR = sizeof(struct kvm_device_attr);
static const size_t CKVM_SIZEOF_CREATE_DEVICE = sizeof(struct kvm_create_device);
static const size_t CKVM_SIZEOF_IRQ_LEVEL = sizeof(struct kvm_irq_level);
static const size_t CKVM_SIZEOF_VCPU_INIT = sizeof(struct kvm_vcpu_init);
static const size_t CKVM_SIZEOF_ONE_REG = sizeof(struct kvm_one_reg);
static const size_t CKVM_SIZEOF_USERSPACE_MEMORY_REGION = sizeof(struct kvm_userspace_memory_region);
static const size_t CKVM_SIZEOF_IRQFD = sizeof(struct kvm_irqfd);
static const size_t CKVM_SIZEOF_MSI = sizeof(struct kvm_msi);
static const size_t CKVM_SIZEOF_IRQ_ROUTING = sizeof(struct kvm_irq_routing);
static const size_t CKVM_SIZEOF_IRQ_ROUTING_ENTRY = sizeof(struct kvm_irq_routing_entry);
static const size_t CKVM_OFFSETOF_IRQ_ROUTING_ENTRY_U = offsetof(struct kvm_irq_routing_entry, u);
static const size_t CKVM_OFFSETOF_RUN_EXIT_REASON = offsetof(struct kvm_run, exit_reason);
static const size_t CKVM_OFFSETOF_RUN_MMIO = offsetof(struct kvm_run, mmio);
static const size_t CKVM_OFFSETOF_RUN_SYSTEM_EVENT = offsetof(struct kvm_run, system_event);
static const size_t CKVM_OFFSETOF_RUN_IMMEDIATE_EXIT = offsetof(struct kvm_run, immediate_exit);
static const size_t CKVM_SIZEOF_REG_LIST = sizeof(struct kvm_reg_list);
static const size_t CKVM_SIZEOF_MP_STATE = sizeof(struct kvm_mp_state);

/* vCPU power states (struct kvm_mp_state); arm64 uses these three. */
static const uint32_t CKVM_MP_STATE_RUNNABLE = KVM_MP_STATE_RUNNABLE;
static const uint32_t CKVM_MP_STATE_STOPPED = KVM_MP_STATE_STOPPED;
static const uint32_t CKVM_MP_STATE_SUSPENDED = KVM_MP_STATE_SUSPENDED;

#endif /* CKVM_REQUESTS_H */
