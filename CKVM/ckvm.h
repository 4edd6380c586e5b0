/*
 * CKVM: the C side of swift-kvm-gic.
 *
 * Why this file exists:
 *  - <linux/kvm.h> defines ioctl requests with the function-like _IOW/_IOR/_IOWR macros,
 *    which Swift cannot import, so every request the package uses is re-exported here as a
 *    constant computed *by those macros* (values come from the kernel uAPI, never retyped).
 *  - ioctl(2) is variadic; Swift cannot call variadic C functions. The wrappers below are
 *    non-variadic and return -errno on failure, so errno is captured right at the call and
 *    Swift never touches the thread-local errno (Embedded Swift has no Glibc module).
 *  - x86 hosts ship an x86 <asm/kvm.h> with no arm64 part, and headers older than Linux 7.1
 *    lack the GICv5 additions. The fallbacks below fill exactly those gaps, each behind
 *    #ifndef so the host's real headers always win.
 */
#ifndef CKVM_H
#define CKVM_H

#include <stdint.h>
#include <stddef.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <sys/eventfd.h>
#include <linux/kvm.h>

#include "ckvm_arm64_uapi.h"
#include "ckvm_gicv5_uapi.h"
#include "ckvm_requests.h"
#include "ckvm_calls.h"
#include "ckvm_lab.h"
#include "ckvm_lock.h"

#endif /* CKVM_H */
