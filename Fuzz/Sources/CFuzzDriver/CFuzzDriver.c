// Header-only shim: LLVMFuzzerRunDriver comes from libclang_rt.fuzzer, linked by -sanitize=fuzzer.
#include "CFuzzDriver.h"
