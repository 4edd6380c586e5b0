#ifndef CLIBFUZZER_H
#define CLIBFUZZER_H

#include <stddef.h>
#include <stdint.h>

/// libFuzzer's driver (compiler-rt, FuzzerDriver.cpp): parses libFuzzer's flags from argv and
/// fuzzes `callback` as `main` would. Defined only in a `-sanitize=fuzzer` link, so call it only
/// from code compiled for that build (`#if SNAPSHOT_LIBFUZZER`). SwiftPM gives an executable's
/// `@main` the program's `main`, so the fuzz target starts libFuzzer through this rather than
/// through libFuzzer's own `main`.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
