/*
 * Non-variadic system-call wrappers. Each returns the call's result, or -errno on failure,
 * so the error is read in the same C frame that caused it. These are the only libc calls
 * the Swift core makes; the Swift side funnels all of them through one choke point
 * (`KernelInterface` in Sources/KVM/Internals/KernelInterface.swift).
 */
#ifndef CKVM_CALLS_H
#define CKVM_CALLS_H

static inline long ckvm_ioctl_pointer(int fd, unsigned long request, void *argument) {
    long r = ioctl(fd, request, argument);
    return r < 0 ? -(long)errno : r;
}

static inline long ckvm_ioctl_value(int fd, unsigned long request, unsigned long argument) {
    long r = ioctl(fd, request, argument);
    return r < 0 ? -(long)errno : r;
}

static inline int ckvm_open_read_write(const char *path) {
    int r = open(path, O_RDWR | O_CLOEXEC);
    return r < 0 ? -errno : r;
}

static inline int ckvm_close(int fd) {
    int r = close(fd);
    return r < 0 ? -errno : r;
}

static inline int ckvm_dup(int fd) {
    int r = fcntl(fd, F_DUPFD_CLOEXEC, 0);
    return r < 0 ? -errno : r;
}

/* Maps a shared read-write region of fd (kvm_run). Returns NULL and sets *error on failure. */
static inline void *ckvm_mmap_shared(int fd, size_t length, int *error) {
    void *p = mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) { *error = errno; return NULL; }
    *error = 0;
    return p;
}

/* Anonymous private memory for guest RAM. Returns NULL and sets *error on failure. */
static inline void *ckvm_mmap_anonymous(size_t length, int *error) {
    void *p = mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) { *error = errno; return NULL; }
    *error = 0;
    return p;
}

static inline int ckvm_munmap(void *address, size_t length) {
    int r = munmap(address, length);
    return r < 0 ? -errno : r;
}

/* eventfd(2): a new eventfd counter starting at initial. Returns the fd or -errno. */
static inline int ckvm_eventfd(unsigned int initial, int flags) {
    int r = eventfd(initial, flags);
    return r < 0 ? -errno : r;
}

/* Reads an eventfd's 8-byte counter (and resets it, or decrements it in semaphore mode).
 * Returns 0 with *value set, or -errno (-EAGAIN: a non-blocking eventfd whose counter is 0). */
static inline int ckvm_eventfd_read(int fd, uint64_t *value) {
    ssize_t r = read(fd, value, sizeof(*value));
    if (r < 0) return -errno;
    return r == (ssize_t)sizeof(*value) ? 0 : -EIO;
}

/* Adds value to an eventfd's counter. Returns 0 or -errno (-EAGAIN: it would overflow). */
static inline int ckvm_eventfd_write(int fd, uint64_t value) {
    ssize_t r = write(fd, &value, sizeof(value));
    if (r < 0) return -errno;
    return r == (ssize_t)sizeof(value) ? 0 : -EIO;
}

/* Copies uname().machine into buffer (NUL-terminated). Returns 0 or -errno. */
static inline int ckvm_machine(char *buffer, size_t capacity) {
    struct utsname u;
    if (uname(&u) < 0) return -errno;
    size_t i = 0;
    for (; i + 1 < capacity && u.machine[i] != 0; i++) buffer[i] = u.machine[i];
    if (capacity > 0) buffer[i] = 0;
    return 0;
}

/* errno names and values the Swift Errno type pins (so it never hard-codes an x86 value). */
static const int CKVM_EPERM = EPERM;
static const int CKVM_ENOENT = ENOENT;
static const int CKVM_EINTR = EINTR;
static const int CKVM_EIO = EIO;
static const int CKVM_ENXIO = ENXIO;
static const int CKVM_E2BIG = E2BIG;
static const int CKVM_EBADF = EBADF;
static const int CKVM_EAGAIN = EAGAIN;
static const int CKVM_ENOMEM = ENOMEM;
static const int CKVM_EACCES = EACCES;
static const int CKVM_EFAULT = EFAULT;
static const int CKVM_EBUSY = EBUSY;
static const int CKVM_EEXIST = EEXIST;
static const int CKVM_ENODEV = ENODEV;
static const int CKVM_EINVAL = EINVAL;
static const int CKVM_ENOTTY = ENOTTY;
static const int CKVM_ENOSPC = ENOSPC;
static const int CKVM_ERANGE = ERANGE;
static const int CKVM_ENOSYS = ENOSYS;
static const int CKVM_EOPNOTSUPP = EOPNOTSUPP;

#endif /* CKVM_CALLS_H */
