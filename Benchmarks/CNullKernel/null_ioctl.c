#include "cnull_kernel.h"

long cnull_ioctl(int fd, unsigned long request, void *argument) {
    (void)fd;
    (void)request;
    /* A compiler barrier that claims to read the argument: the call has an effect the
     * optimiser must keep, and costs no instruction. */
    __asm__ volatile("" : : "r"(argument) : "memory");
    return 0;
}
