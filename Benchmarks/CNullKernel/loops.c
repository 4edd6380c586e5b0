#include "cnull_kernel.h"
#include "../../CKVM/ckvm_lab.h"

CKVM_DEFINE_OVERHEAD_LOOPS(cnull_inline, cnull_ioctl)

int cnull_irq_line_loop(int vmfd, uint32_t irq, int iterations) {
    return cnull_inline_irq_line_loop(vmfd, irq, iterations);
}

int cnull_get_attr_loop(int devfd, uint32_t group, uint64_t attr, int iterations) {
    return cnull_inline_get_attr_loop(devfd, group, attr, iterations);
}
