/*
 * A null kernel for the instruction-count benchmark (Benchmarks/kvm-gic-bench,
 * Scripts/bench-instructions.sh): an ioctl that answers 0 and does nothing else, the lab's
 * two overhead loops calling it instead of ioctl(2), and callgrind's collection switch.
 *
 * Host-side only: not part of the library, not in the Embedded Swift build.
 */
#ifndef CNULL_KERNEL_H
#define CNULL_KERNEL_H

#include <stdint.h>

/* Answers 0. Defined in its own translation unit and opaque to the optimiser, so neither a
 * C caller nor a Swift one can drop or fold the call. */
long cnull_ioctl(int fd, unsigned long request, void *argument);

/* CKVM_DEFINE_OVERHEAD_LOOPS(cnull, cnull_ioctl): the lab's baseline loops with the null
 * ioctl. Return 0 (the null ioctl never fails). */
int cnull_irq_line_loop(int vmfd, uint32_t irq, int iterations);
int cnull_get_attr_loop(int devfd, uint32_t group, uint64_t attr, int iterations);

/* 1 when running under valgrind, else 0. */
int cnull_under_valgrind(void);

/* Under callgrind (started with --collect-atstart=no): starts counting. Elsewhere a no-op. */
void cnull_collect_begin(void);

/* Under callgrind: stops counting and dumps the count so far as a profile part named
 * `label`, which starts the next count at zero. Elsewhere a no-op. */
void cnull_collect_end(const char *label);

#endif /* CNULL_KERNEL_H */
