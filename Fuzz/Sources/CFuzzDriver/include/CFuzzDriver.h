#ifndef CFUZZDRIVER_H
#define CFUZZDRIVER_H
#include <stddef.h>
#include <stdint.h>

/// libFuzzer's documented entry for programs that own `main` (compiler-rt FuzzerInterface.h).
/// SwiftPM links every executable target with `main` aliased to `<module>_main`, which would
/// hide libFuzzer's own `main`, so each target defines `<module>_main` and hands over here.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*UserCb)(const uint8_t *Data, size_t Size));

#endif
