#include "cnull_kernel.h"

#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#define CNULL_HAVE_CALLGRIND 1
#else
#define CNULL_HAVE_CALLGRIND 0
#endif

int cnull_under_valgrind(void) {
#if CNULL_HAVE_CALLGRIND
    return RUNNING_ON_VALGRIND ? 1 : 0;
#else
    return 0;
#endif
}

void cnull_collect_begin(void) {
#if CNULL_HAVE_CALLGRIND
    CALLGRIND_TOGGLE_COLLECT;
#endif
}

void cnull_collect_end(const char *label) {
#if CNULL_HAVE_CALLGRIND
    CALLGRIND_TOGGLE_COLLECT;
    CALLGRIND_DUMP_STATS_AT(label);
#else
    (void)label;
#endif
}
