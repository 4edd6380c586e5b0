/*
 * GICv5 additions of Linux 7.1 (commits c547c51ff4d4 and d51c978b7d3e), for headers older
 * than 7.1. KVM_DEV_TYPE_ARM_VGIC_V5 is an enum member with a self-#define in <linux/kvm.h>,
 * so its presence can be tested; the merged value is 16 (the patch series had 15 — the
 * header is the authority, which is why the header's value wins whenever it exists).
 */
#ifndef CKVM_GICV5_UAPI_H
#define CKVM_GICV5_UAPI_H

#ifdef KVM_DEV_TYPE_ARM_VGIC_V5
#define CKVM_HOST_HEADERS_HAVE_VGIC_V5 1
#define CKVM_DEV_TYPE_ARM_VGIC_V5_VALUE KVM_DEV_TYPE_ARM_VGIC_V5
#else
#define CKVM_HOST_HEADERS_HAVE_VGIC_V5 0
#define CKVM_DEV_TYPE_ARM_VGIC_V5_VALUE 16
#endif

#ifndef KVM_DEV_ARM_VGIC_USERSPACE_PPIS
#define KVM_DEV_ARM_VGIC_USERSPACE_PPIS 5
#endif

#endif /* CKVM_GICV5_UAPI_H */
