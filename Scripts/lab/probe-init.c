// probe-init: a static arm64 /init that checks what the lab's KVM offers and measures a
// baseline. Runs as PID 1 in the emulated arm64 machine booted by boot.sh:
//   1. mounts devtmpfs on /dev and opens /dev/kvm,
//   2. prints the API version and a few capabilities,
//   3. asks, with KVM_CREATE_DEVICE_TEST, which vgic devices exist (errno 0 = yes),
//   4. builds a VM with one vCPU and a vgic-v3 (64 IRQs, CTRL_INIT) and times KVM_IRQ_LINE
//      on SPI 32,
//   5. powers the machine off (which ends QEMU).
// Every line starts with "probe:" so a caller can grep the serial log.
//
// Build: aarch64-linux-gnu-gcc -static -O2 -Wall -Wextra -o probe-init probe-init.c
// (bookworm's arm64 uAPI headers are 6.1: the GICv5 device type is defined below.)
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#ifndef KVM_DEV_TYPE_ARM_VGIC_V5
#define KVM_DEV_TYPE_ARM_VGIC_V5 16 // Linux 7.x uAPI
#endif

#define IRQ_LINE_CALLS 1000
#define SPI 32
#define NR_IRQS 64
// Guest-physical addresses of the vgic-v3 frames (as on QEMU's virt machine).
#define GICD_BASE 0x08000000ULL
#define GICR_BASE 0x080a0000ULL

__attribute__((noreturn)) static void power_off(int status) {
    printf("probe: done (%s)\n", status == 0 ? "ok" : "FAILED");
    fflush(stdout);
    sync();
    reboot(RB_POWER_OFF);
    _exit(status); // only reached if reboot() failed; PID 1 exiting panics the kernel
}

static const char *errno_name(int e) {
    const char *name = e ? strerrorname_np(e) : "0";
    return name ? name : "?";
}

// Fails the probe with the current errno.
__attribute__((noreturn)) static void fail(const char *what) {
    int e = errno;
    printf("probe: FAIL %s: %s (%d) %s\n", what, errno_name(e), e, strerror(e));
    power_off(1);
}

static int check_cap(int kvm, const char *name, long cap) {
    int value = ioctl(kvm, KVM_CHECK_EXTENSION, cap);
    printf("probe: cap %s = %d\n", name, value);
    return value;
}

static void test_device(int vm, const char *name, uint32_t type) {
    struct kvm_create_device dev = {.type = type, .flags = KVM_CREATE_DEVICE_TEST};
    int e = ioctl(vm, KVM_CREATE_DEVICE, &dev) == 0 ? 0 : errno;
    printf("probe: device %s (type %u): %s (%d)\n", name, type, errno_name(e), e);
}

static void set_attr(int fd, uint32_t group, uint64_t attr, void *value, const char *what) {
    struct kvm_device_attr a = {.group = group, .attr = attr, .addr = (uint64_t)(uintptr_t)value};
    if (ioctl(fd, KVM_SET_DEVICE_ATTR, &a) != 0) fail(what);
}

static double now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (mount("devtmpfs", "/dev", "devtmpfs", 0, NULL) != 0 && errno != EBUSY) fail("mount /dev");

    struct utsname u;
    if (uname(&u) == 0) printf("probe: kernel %s %s\n", u.release, u.machine);

    int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    if (kvm < 0) fail("open /dev/kvm");
    printf("probe: KVM_GET_API_VERSION = %d\n", ioctl(kvm, KVM_GET_API_VERSION, 0));
    check_cap(kvm, "KVM_CAP_ARM_VM_IPA_SIZE", KVM_CAP_ARM_VM_IPA_SIZE);
    check_cap(kvm, "KVM_CAP_MAX_VCPUS", KVM_CAP_MAX_VCPUS);
    check_cap(kvm, "KVM_CAP_ARM_IRQ_LINE_LAYOUT_2", KVM_CAP_ARM_IRQ_LINE_LAYOUT_2);

    int vm = ioctl(kvm, KVM_CREATE_VM, 0);
    if (vm < 0) fail("KVM_CREATE_VM");
    test_device(vm, "vgic-v2", KVM_DEV_TYPE_ARM_VGIC_V2);
    test_device(vm, "vgic-v3", KVM_DEV_TYPE_ARM_VGIC_V3);
    test_device(vm, "vgic-its", KVM_DEV_TYPE_ARM_VGIC_ITS);
    test_device(vm, "vgic-v5", KVM_DEV_TYPE_ARM_VGIC_V5);

    // One initialized vCPU, then the vgic-v3 (the order QEMU uses).
    int vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
    if (vcpu < 0) fail("KVM_CREATE_VCPU");
    struct kvm_vcpu_init init;
    if (ioctl(vm, KVM_ARM_PREFERRED_TARGET, &init) != 0) fail("KVM_ARM_PREFERRED_TARGET");
    if (ioctl(vcpu, KVM_ARM_VCPU_INIT, &init) != 0) fail("KVM_ARM_VCPU_INIT");

    struct kvm_create_device gic = {.type = KVM_DEV_TYPE_ARM_VGIC_V3};
    if (ioctl(vm, KVM_CREATE_DEVICE, &gic) != 0) fail("KVM_CREATE_DEVICE vgic-v3");
    uint64_t gicd = GICD_BASE, gicr = GICR_BASE;
    uint32_t nr_irqs = NR_IRQS;
    set_attr(gic.fd, KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_DIST, &gicd, "set GICD address");
    set_attr(gic.fd, KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_REDIST, &gicr, "set GICR address");
    set_attr(gic.fd, KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0, &nr_irqs, "set NR_IRQS");
    set_attr(gic.fd, KVM_DEV_ARM_VGIC_GRP_CTRL, KVM_DEV_ARM_VGIC_CTRL_INIT, NULL, "CTRL_INIT");
    printf("probe: vgic-v3 ready: 1 vCPU, NR_IRQS=%u\n", nr_irqs);

    // Alternate level 1/0 on SPI 32, as a device raising and lowering its line.
    struct kvm_irq_level irq = {.irq = (KVM_ARM_IRQ_TYPE_SPI << KVM_ARM_IRQ_TYPE_SHIFT) | SPI};
    double start = now_us();
    for (int i = 0; i < IRQ_LINE_CALLS; i++) {
        irq.level = (i % 2 == 0);
        if (ioctl(vm, KVM_IRQ_LINE, &irq) != 0) fail("KVM_IRQ_LINE");
    }
    double elapsed = now_us() - start;
    printf("probe: KVM_IRQ_LINE x%d on SPI %d: %.2f us/call\n", IRQ_LINE_CALLS, SPI,
           elapsed / IRQ_LINE_CALLS);

    power_off(0);
}
