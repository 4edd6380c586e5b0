/*
 * What the lab's conformance runner needs from the C library besides KVM ioctls: a clock,
 * the pid-1 duties of an initramfs /init (mount devtmpfs and proc, power off), the kernel
 * release for the report, two raw-C ioctl loops that are the baseline for the Swift
 * API's overhead figure, and for the reliability scenarios the process's fd and mapping
 * counts and a way to run Swift code on several threads (Embedded Swift has no Thread).
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
#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <linux/kvm.h>

/* CLOCK_MONOTONIC in nanoseconds (0 if the clock is unavailable, which Linux never does). */
static inline int64_t ckvm_monotonic_ns(void) {
    struct timespec ts;
    if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) return 0;
    return (int64_t)ts.tv_sec * 1000000000 + (int64_t)ts.tv_nsec;
}

/* Sleeps for milliseconds (nanosleep, resumed after a signal). Returns 0 or -errno. */
static inline int ckvm_sleep_ms(int64_t milliseconds) {
    struct timespec ts = { (time_t)(milliseconds / 1000), (long)(milliseconds % 1000) * 1000000L };
    while (nanosleep(&ts, &ts) != 0) {
        if (errno != EINTR) return -errno;
    }
    return 0;
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

/* pid 1 only: flushes stdio, waits until the console has sent it (a power-off with bytes
 * still queued for the serial port loses them: the verdict lines of the last scenarios), syncs
 * and powers the machine off (QEMU then exits).
 * Returns only on failure: -EPERM when not pid 1, or reboot's -errno. */
static inline int ckvm_power_off(void) {
    if (getpid() != 1) return -EPERM;
    fflush(NULL);
    tcdrain(STDOUT_FILENO);
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

/* The overhead figure's two C loops, written once and instantiated twice: here with `issue`
 * = ioctl as the lab's baseline (ckvm_baseline_irq_line_loop, ckvm_baseline_get_attr_loop),
 * and in Benchmarks/CNullKernel with a null ioctl for the instruction counts of
 * Scripts/bench-instructions.sh, so both figures count the same argument marshalling.
 *
 * prefix##_irq_line_loop: `iterations` times KVM_IRQ_LINE level 1 then level 0 on the line
 * `irq` (a KVM_IRQ_LINE word) of VM vmfd, with nothing else in the loop.
 * prefix##_get_attr_loop: `iterations` times KVM_GET_DEVICE_ATTR of (group, attr) on device
 * devfd into a u32 (the width of the vgic's register groups). */
#define CKVM_DEFINE_OVERHEAD_LOOPS(prefix, issue)                                                  \
    static inline int prefix##_irq_line_loop(int vmfd, uint32_t irq, int iterations) {             \
        struct kvm_irq_level line;                                                                 \
        for (int i = 0; i < iterations; i++) {                                                     \
            line.irq = irq;                                                                        \
            line.level = 1;                                                                        \
            if (issue(vmfd, KVM_IRQ_LINE, &line) < 0) return -errno;                               \
            line.irq = irq;                                                                        \
            line.level = 0;                                                                        \
            if (issue(vmfd, KVM_IRQ_LINE, &line) < 0) return -errno;                               \
        }                                                                                          \
        return 0;                                                                                  \
    }                                                                                              \
    static inline int prefix##_get_attr_loop(int devfd, uint32_t group, uint64_t attr, int iterations) { \
        uint32_t value = 0;                                                                        \
        struct kvm_device_attr request;                                                            \
        for (int i = 0; i < iterations; i++) {                                                     \
            request.flags = 0;                                                                     \
            request.group = group;                                                                 \
            request.attr = attr;                                                                   \
            request.addr = (uint64_t)(uintptr_t)&value;                                            \
            if (issue(devfd, KVM_GET_DEVICE_ATTR, &request) < 0) return -errno;                    \
        }                                                                                          \
        return 0;                                                                                  \
    }

CKVM_DEFINE_OVERHEAD_LOOPS(ckvm_baseline, ioctl)

/* How many file descriptors this process has open: the entries of /proc/self/fd, not
 * counting the one this count itself opens to read the directory. -errno on failure. */
static inline int ckvm_open_fd_count(void) {
    DIR *dir = opendir("/proc/self/fd");
    if (dir == NULL) return -errno;
    int own = dirfd(dir);
    int count = 0;
    struct dirent *entry;
    errno = 0;
    while ((entry = readdir(dir)) != NULL) {
        const char *name = entry->d_name;
        if (name[0] < '0' || name[0] > '9') continue; /* "." and ".." */
        if (atoi(name) == own) continue;
        count++;
    }
    int error = errno;
    closedir(dir);
    return error != 0 ? -error : count;
}

/* How many memory mappings this process has: the lines of /proc/self/maps (read into a
 * stack buffer, so counting adds no mapping). -errno on failure. */
static inline int ckvm_mapping_count(void) {
    int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -errno;
    int lines = 0;
    int result = 0;
    char chunk[4096];
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n < 0) { if (errno == EINTR) continue; result = -errno; break; }
        if (n == 0) break;
        for (ssize_t i = 0; i < n; i++) lines += chunk[i] == '\n';
    }
    close(fd);
    return result != 0 ? result : lines;
}

/* The most threads ckvm_run_threads starts at once. */
#define CKVM_MAX_THREADS 16

/* The function each thread of ckvm_run_threads runs: a Swift @convention(c) closure, called
 * with the caller's context pointer and the thread's index (0 ..< count). */
typedef void (*ckvm_thread_body)(void *context, int index);

/* What the threads of one ckvm_run_threads call share: a start gate (so they begin together
 * rather than one by one as they are created) and the body. */
struct ckvm_thread_group {
    pthread_mutex_t lock;
    pthread_cond_t opened;
    int open;      /* 1: run the body; set once every thread exists */
    int cancelled; /* 1: a thread could not be created; return without running the body */
    ckvm_thread_body body;
    void *context;
};

struct ckvm_thread_slot {
    struct ckvm_thread_group *group;
    int index;
};

static void *ckvm_thread_main(void *raw) {
    struct ckvm_thread_slot *slot = (struct ckvm_thread_slot *)raw;
    struct ckvm_thread_group *group = slot->group;
    pthread_mutex_lock(&group->lock);
    while (!group->open && !group->cancelled) pthread_cond_wait(&group->opened, &group->lock);
    int run = !group->cancelled;
    pthread_mutex_unlock(&group->lock);
    if (run) group->body(group->context, slot->index);
    return NULL;
}

/* Runs body(context, i) on `count` new threads (1 ... CKVM_MAX_THREADS), i = 0 ..< count, all
 * released together once every one exists, and returns when all have finished. Returns 0, or
 * -EINVAL for a bad count, or pthread_create's error negated, in which case no body ran.
 * The body must not unwind (Swift cannot throw across it) and must be safe to run
 * concurrently with itself for different indexes. */
static inline int ckvm_run_threads(int count, ckvm_thread_body body, void *context) {
    if (count < 1 || count > CKVM_MAX_THREADS || body == NULL) return -EINVAL;
    struct ckvm_thread_group group;
    pthread_mutex_init(&group.lock, NULL);
    pthread_cond_init(&group.opened, NULL);
    group.open = 0;
    group.cancelled = 0;
    group.body = body;
    group.context = context;
    pthread_t threads[CKVM_MAX_THREADS];
    struct ckvm_thread_slot slots[CKVM_MAX_THREADS];
    int created = 0;
    int error = 0;
    for (; created < count; created++) {
        slots[created].group = &group;
        slots[created].index = created;
        error = pthread_create(&threads[created], NULL, ckvm_thread_main, &slots[created]);
        if (error != 0) break;
    }
    pthread_mutex_lock(&group.lock);
    if (error != 0) group.cancelled = 1; else group.open = 1;
    pthread_cond_broadcast(&group.opened);
    pthread_mutex_unlock(&group.lock);
    for (int i = 0; i < created; i++) pthread_join(threads[i], NULL);
    pthread_cond_destroy(&group.opened);
    pthread_mutex_destroy(&group.lock);
    return -error;
}

/*
 * The guest harness's watchdog: a one-shot SIGALRM that interrupts a KVM_RUN whose guest hangs.
 * The handler does nothing and is installed without SA_RESTART, so the interrupted KVM_RUN
 * returns EINTR (KVM_EXIT_INTR) and the caller decides what a hang means. The timer is the
 * process's ITIMER_REAL: the runner drives guests from one thread, and no other thread blocks
 * or waits for SIGALRM. Arm before KVM_RUN, disarm after.
 */
static inline void ckvm_watchdog_handler(int signal_number) { (void)signal_number; }

static inline int ckvm_watchdog_arm(int64_t milliseconds) {
    if (milliseconds <= 0) return -EINVAL;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = ckvm_watchdog_handler;
    sigemptyset(&action.sa_mask);
    if (sigaction(SIGALRM, &action, NULL) != 0) return -errno;
    struct itimerval timer;
    memset(&timer, 0, sizeof timer);
    timer.it_value.tv_sec = (time_t)(milliseconds / 1000);
    timer.it_value.tv_usec = (suseconds_t)((milliseconds % 1000) * 1000);
    if (setitimer(ITIMER_REAL, &timer, NULL) != 0) return -errno;
    return 0;
}

static inline int ckvm_watchdog_disarm(void) {
    struct itimerval timer;
    memset(&timer, 0, sizeof timer);
    if (setitimer(ITIMER_REAL, &timer, NULL) != 0) return -errno;
    return 0;
}

struct ckvm_thread_start_args_public { ckvm_thread_body body; void *context; int index; };
static void *ckvm_thread_trampoline(void *raw) {
    struct ckvm_thread_start_args_public args = *(struct ckvm_thread_start_args_public *)raw;
    free(raw);
    args.body(args.context, args.index);
    return NULL;
}

/*
 * The lab VMM's vCPU threads (MinimalVMM.docc/VCPUThreads.md). A VMM runs each vCPU on a thread
 * of its own and must be able to stop them all outside KVM_RUN (to pause, to migrate). The
 * controller sets every vCPU's kvm_run.immediate_exit and then sends each thread SIGUSR1,
 * whose handler does nothing and is installed without SA_RESTART: a thread inside KVM_RUN
 * returns EINTR, a thread about to enter it finds immediate_exit set and returns EINTR at once,
 * and a thread handling an exit sees the gate's request before its next run. The handler
 * touches no memory, so a kick that is delivered late (after the vCPU it was meant for is
 * gone) is harmless: at worst it interrupts a later KVM_RUN, which the thread simply repeats.
 */

/* Installs the no-op SIGUSR1 handler (idempotent). 0 or -errno. */
static inline int ckvm_kick_install(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = ckvm_watchdog_handler;
    sigemptyset(&action.sa_mask);
    if (sigaction(SIGUSR1, &action, NULL) != 0) return -errno;
    return 0;
}

/* Starts body(context, index) on a new joinable thread and writes its handle. 0 or -errno. */
static inline int ckvm_thread_start(ckvm_thread_body body, void *context, int index, uint64_t *handle) {
    if (body == NULL || handle == NULL) return -EINVAL;
    struct ckvm_thread_start_args_public *args = malloc(sizeof *args);
    if (args == NULL) return -ENOMEM;
    args->body = body;
    args->context = context;
    args->index = index;
    pthread_t thread;
    int error = pthread_create(&thread, NULL, ckvm_thread_trampoline, args);
    if (error != 0) { free(args); return -error; }
    *handle = (uint64_t)thread;
    return 0;
}

/* Waits for the thread to end. 0 or -errno. */
static inline int ckvm_thread_join(uint64_t handle) {
    return -pthread_join((pthread_t)handle, NULL);
}

/* Sends the thread SIGUSR1 (ckvm_kick_install must have run). 0 or -errno. */
static inline int ckvm_thread_kick(uint64_t handle) {
    return -pthread_kill((pthread_t)handle, SIGUSR1);
}

/* The pause gate the vCPU threads and their controller share. */
typedef struct {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    int requested; /* the controller wants every thread parked */
    int parked;    /* threads waiting in ckvm_gate_park */
    int exited;    /* threads that have ended for good */
    int stop;      /* the threads are to end */
} ckvm_gate;

static inline void ckvm_gate_init(ckvm_gate *gate) {
    pthread_mutex_init(&gate->lock, NULL);
    pthread_cond_init(&gate->changed, NULL);
    gate->requested = 0;
    gate->parked = 0;
    gate->exited = 0;
    gate->stop = 0;
}

static inline void ckvm_gate_destroy(ckvm_gate *gate) {
    pthread_cond_destroy(&gate->changed);
    pthread_mutex_destroy(&gate->lock);
}

/* 1 when the controller asked the threads to park or to stop (read without the lock: a thread
 * polls it between runs). */
static inline int ckvm_gate_should_park(ckvm_gate *gate) {
    return __atomic_load_n(&gate->requested, __ATOMIC_ACQUIRE) | __atomic_load_n(&gate->stop, __ATOMIC_ACQUIRE);
}

/* A vCPU thread parks: counted as parked until the controller releases the gate. Returns 1 when
 * the threads are to stop, else 0. */
static inline int ckvm_gate_park(ckvm_gate *gate) {
    pthread_mutex_lock(&gate->lock);
    gate->parked++;
    pthread_cond_broadcast(&gate->changed);
    while (gate->requested && !gate->stop) pthread_cond_wait(&gate->changed, &gate->lock);
    gate->parked--;
    int stop = gate->stop;
    pthread_cond_broadcast(&gate->changed);
    pthread_mutex_unlock(&gate->lock);
    return stop;
}

/* A vCPU thread ends (its guest powered off, or it failed). */
static inline void ckvm_gate_exit(ckvm_gate *gate) {
    pthread_mutex_lock(&gate->lock);
    gate->exited++;
    pthread_cond_broadcast(&gate->changed);
    pthread_mutex_unlock(&gate->lock);
}

/* The controller asks every thread to park (it then sets immediate_exit and kicks them). */
static inline void ckvm_gate_request(ckvm_gate *gate) {
    pthread_mutex_lock(&gate->lock);
    __atomic_store_n(&gate->requested, 1, __ATOMIC_RELEASE);
    pthread_mutex_unlock(&gate->lock);
}

/* Waits until `count` threads are parked or have ended, at most timeout_ms. Returns the number
 * parked (>= 0) when they are, -ETIMEDOUT otherwise. */
static inline int ckvm_gate_wait_parked(ckvm_gate *gate, int count, int64_t timeout_ms) {
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += (time_t)(timeout_ms / 1000);
    deadline.tv_nsec += (long)((timeout_ms % 1000) * 1000000);
    if (deadline.tv_nsec >= 1000000000) { deadline.tv_sec++; deadline.tv_nsec -= 1000000000; }
    pthread_mutex_lock(&gate->lock);
    int result = 0;
    while (gate->parked + gate->exited < count) {
        if (pthread_cond_timedwait(&gate->changed, &gate->lock, &deadline) == ETIMEDOUT) {
            result = gate->parked + gate->exited < count ? -ETIMEDOUT : 0;
            break;
        }
    }
    if (result == 0) result = gate->parked;
    pthread_mutex_unlock(&gate->lock);
    return result;
}

/* Threads ended so far. */
static inline int ckvm_gate_exited(ckvm_gate *gate) {
    pthread_mutex_lock(&gate->lock);
    int exited = gate->exited;
    pthread_mutex_unlock(&gate->lock);
    return exited;
}

/* The controller lets the parked threads run again. */
static inline void ckvm_gate_release(ckvm_gate *gate) {
    pthread_mutex_lock(&gate->lock);
    __atomic_store_n(&gate->requested, 0, __ATOMIC_RELEASE);
    pthread_cond_broadcast(&gate->changed);
    pthread_mutex_unlock(&gate->lock);
}

/* The controller ends the threads: parked ones return from ckvm_gate_park with 1. */
static inline void ckvm_gate_stop(ckvm_gate *gate) {
    pthread_mutex_lock(&gate->lock);
    __atomic_store_n(&gate->stop, 1, __ATOMIC_RELEASE);
    pthread_cond_broadcast(&gate->changed);
    pthread_mutex_unlock(&gate->lock);
}

/* Sleeps for `microseconds` (restarted after signals). */
static inline void ckvm_sleep_us(int64_t microseconds) {
    if (microseconds <= 0) return;
    struct timespec ts = { (time_t)(microseconds / 1000000), (long)((microseconds % 1000000) * 1000) };
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {}
}

/* Waits up to `timeout_ms` for `fd` to become readable (a resample eventfd the kernel signals
 * when the guest acknowledges a level interrupt): 1 readable, 0 timed out, -EBADF when poll
 * calls the descriptor invalid (POLLNVAL), or -errno. */
static inline int ckvm_wait_readable(int fd, int timeout_ms) {
    struct pollfd entry = { .fd = fd, .events = POLLIN, .revents = 0 };
    int ready = poll(&entry, 1, timeout_ms);
    if (ready < 0) return -errno;
    if (ready == 0) return 0;
    if (entry.revents & POLLNVAL) return -EBADF;
    return 1;
}

/* The size of the file at path, or -errno. */
static inline int64_t ckvm_file_size(const char *path) {
    struct stat st;
    if (stat(path, &st) != 0) return -errno;
    return (int64_t)st.st_size;
}

/* Reads the whole file at path into dest (at most capacity bytes). Returns the bytes read, -EFBIG
 * when the file is larger than capacity, or -errno. */
static inline int64_t ckvm_read_file(const char *path, void *dest, size_t capacity) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -errno;
    size_t total = 0;
    int64_t result = 0;
    for (;;) {
        if (total == capacity) {
            char probe;
            ssize_t extra = read(fd, &probe, 1);
            if (extra > 0) result = -EFBIG;
            else if (extra < 0) result = -errno;
            break;
        }
        ssize_t n = read(fd, (char *)dest + total, capacity - total);
        if (n < 0) { if (errno == EINTR) continue; result = -errno; break; }
        if (n == 0) break;
        total += (size_t)n;
    }
    close(fd);
    return result < 0 ? result : (int64_t)total;
}

/* Reads at most count bytes from the start of the file at path into dest. Returns the bytes
 * read or -errno. */
static inline int64_t ckvm_read_file_prefix(const char *path, void *dest, size_t count) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -errno;
    size_t total = 0;
    int64_t result = 0;
    while (total < count) {
        ssize_t n = read(fd, (char *)dest + total, count - total);
        if (n < 0) { if (errno == EINTR) continue; result = -errno; break; }
        if (n == 0) break;
        total += (size_t)n;
    }
    close(fd);
    return result < 0 ? result : (int64_t)total;
}

/* 1 when the page at p (page bytes, a multiple of 8) is all zero, else 0. */
static inline int ckvm_page_is_zero(const void *p, size_t page) {
    const uint64_t *words = (const uint64_t *)p;
    uint64_t any = 0;
    for (size_t i = 0; i < page / sizeof(uint64_t); i++) any |= words[i];
    return any == 0;
}

/* Copies src to dst (length bytes, a multiple of page) page by page, skipping pages of src that
 * are all zero: dst must be fresh anonymous memory (zero-filled). Returns the pages copied.
 * Skipping zero pages keeps an untouched guest page untouched on both sides. */
static inline int64_t ckvm_copy_nonzero_pages(void *dst, const void *src, size_t length, size_t page) {
    int64_t copied = 0;
    for (size_t offset = 0; offset + page <= length; offset += page) {
        const uint64_t *words = (const uint64_t *)((const char *)src + offset);
        size_t count = page / sizeof(uint64_t);
        uint64_t any = 0;
        for (size_t i = 0; i < count; i++) any |= words[i];
        if (any == 0) continue;
        memcpy((char *)dst + offset, (const char *)src + offset, page);
        copied++;
    }
    return copied;
}

#endif /* CKVM_LAB_H */
