/*
 * A mutex for the syscall simulator, so a simulated kernel can be driven from several threads
 * the way a real one is (a VMM raises lines from its device threads while others read
 * registers). Here and not in Swift: Embedded Swift has no Glibc module, and no Synchronization
 * module for aarch64-none-none-elf.
 */
#ifndef CKVM_LOCK_H
#define CKVM_LOCK_H

#include <pthread.h>

typedef struct {
    pthread_mutex_t mutex;
} ckvm_lock;

static inline void ckvm_lock_init(ckvm_lock *lock) { pthread_mutex_init(&lock->mutex, NULL); }
static inline void ckvm_lock_destroy(ckvm_lock *lock) { pthread_mutex_destroy(&lock->mutex); }
static inline void ckvm_lock_acquire(ckvm_lock *lock) { pthread_mutex_lock(&lock->mutex); }
static inline void ckvm_lock_release(ckvm_lock *lock) { pthread_mutex_unlock(&lock->mutex); }

#endif /* CKVM_LOCK_H */
