/*
 * What the lab's conformance runner needs from the C library besides KVM ioctls: a clock,
 * the pid-1 duties of an initramfs /init (mount devtmpfs and proc, power off), the kernel
 * release for the report, and two raw-C ioctl loops that are the baseline for the Swift
 * API's overhead figure.
 *
 * Why here and not in Swift: Embedded Swift has no Glibc module, and errno must be read in
 * the same C frame as the failing call (see ckvm_calls.h). Every function returns 0 or
 * -errno unless stated otherwise.
 *
 * Safety: the mount and power-off functions refuse (-EPERM) unless the caller is pid 1.
 * The same static binary runs on the development host under qemu-aarch64, where those
 * calls would reach the host kernel itself; the check is here, in the one place that
 * issues them, so no caller can forget it.
 */
#ifndef CKVM_LAB_H
#define CKVM_LAB_H

#include <stdint.h>
#include <stddef.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <linux/kvm.h>

/* CLOCK_MONOTONIC in nanoseconds (0 if the clock is unavailable, which Linux never does). */
static inline int64_t ckvm_monotonic_ns(void) {
    struct timespec ts;
    if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) return 0;
    return (int64_t)ts.tv_sec * 1000000000 + (int64_t)ts.tv_nsec;
}

/* 1 when this process is init (the lab's /init), else 0. */
static inline int ckvm_is_pid1(void) {
    return getpid() == 1 ? 1 : 0;
}

/* Mounts fstype on target, creating the mount point; an already mounted target is fine. */
static inline int ckvm_lab_mount(const char *source, const char *target, const char *fstype) {
    if (mkdir(target, 0755) != 0 && errno != EEXIST) return -errno;
    if (mount(source, target, fstype, 0, NULL) != 0 && errno != EBUSY) return -errno;
    return 0;
}

/* pid 1 only: devtmpfs on /dev (gives /dev/kvm), then proc on /proc. -EPERM otherwise. */
static inline int ckvm_mount_devtmpfs(void) {
    if (getpid() != 1) return -EPERM;
    int r = ckvm_lab_mount("devtmpfs", "/dev", "devtmpfs");
    if (r != 0) return r;
    return ckvm_lab_mount("proc", "/proc", "proc");
}

/* pid 1 only: flushes stdio, syncs and powers the machine off (QEMU then exits).
 * Returns only on failure: -EPERM when not pid 1, or reboot's -errno. */
static inline int ckvm_power_off(void) {
    if (getpid() != 1) return -EPERM;
    fflush(NULL);
    sync();
    reboot(RB_POWER_OFF);
    return -errno;
}

/* Copies uname().release (e.g. "6.12.117+deb12-arm64") into buffer, NUL-terminated. */
static inline int ckvm_kernel_release(char *buffer, size_t capacity) {
    struct utsname u;
    if (uname(&u) < 0) return -errno;
    size_t i = 0;
    for (; i + 1 < capacity && u.release[i] != 0; i++) buffer[i] = u.release[i];
    if (capacity > 0) buffer[i] = 0;
    return 0;
}

/* Copies argv[index] of this process into buffer, NUL-terminated, read from
 * /proc/self/cmdline (Embedded Swift has no CommandLine). Returns the argument's length,
 * -ENOENT when there is no such argument, -ERANGE when it does not fit, or -errno. */
static inline int ckvm_command_line_argument(int index, char *buffer, size_t capacity) {
    if (capacity == 0) return -ERANGE;
    int fd = open("/proc/self/cmdline", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -errno;
    int current = 0;
    size_t length = 0;
    int result = -ENOENT;
    char chunk[256];
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n < 0) { if (errno == EINTR) continue; result = -errno; break; }
        if (n == 0) break;
        for (ssize_t i = 0; i < n; i++) {
            if (current == index) {
                if (chunk[i] == 0) { buffer[length] = 0; result = (int)length; goto done; }
                if (length + 1 >= capacity) { result = -ERANGE; goto done; }
                buffer[length++] = chunk[i];
            } else if (chunk[i] == 0) {
                current++;
            }
        }
    }
done:
    close(fd);
    return result;
}

/* Writes out stdout's buffer: the serial console loses whatever is buffered at power-off. */
static inline void ckvm_flush_stdout(void) {
    fflush(stdout);
}

/* Flushes stdio and exits with status (for the runner outside pid 1). */
static inline void ckvm_exit(int status) __attribute__((noreturn));
static inline void ckvm_exit(int status) {
    fflush(NULL);
    exit(status);
}

/* Baseline for the overhead figure: `iterations` times KVM_IRQ_LINE level 1 then level 0
 * on the line `irq` (a KVM_IRQ_LINE word) of VM vmfd, with nothing else in the loop. */
static inline int ckvm_baseline_irq_line_loop(int vmfd, uint32_t irq, int iterations) {
    struct kvm_irq_level line;
    for (int i = 0; i < iterations; i++) {
        line.irq = irq;
        line.level = 1;
        if (ioctl(vmfd, KVM_IRQ_LINE, &line) < 0) return -errno;
        line.irq = irq;
        line.level = 0;
        if (ioctl(vmfd, KVM_IRQ_LINE, &line) < 0) return -errno;
    }
    return 0;
}

/* Baseline for the overhead figure: `iterations` times KVM_GET_DEVICE_ATTR of (group, attr)
 * on device devfd into a u32 (the width of the vgic's register groups). */
static inline int ckvm_baseline_get_attr_loop(int devfd, uint32_t group, uint64_t attr, int iterations) {
    uint32_t value = 0;
    struct kvm_device_attr request;
    for (int i = 0; i < iterations; i++) {
        request.flags = 0;
        request.group = group;
        request.attr = attr;
        request.addr = (uint64_t)(uintptr_t)&value;
        if (ioctl(devfd, KVM_GET_DEVICE_ATTR, &request) < 0) return -errno;
    }
    return 0;
}

#endif /* CKVM_LAB_H */
