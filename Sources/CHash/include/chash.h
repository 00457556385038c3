#ifndef CHASH_H
#define CHASH_H

#include <stddef.h>
#include <stdint.h>

/// 1 when this CPU has the SHA extensions (and the SSSE3 / SSE4.1 they are used with), else 0.
/// Checked with CPUID once by the caller; the answer never changes during a run.
int chash_sha256_hardware_available(void);

/// SHA-256's compression function over `blocks` consecutive 64-byte blocks at `data`, updating
/// `state` (H0..H7, as FIPS 180-4 numbers them), with the x86 SHA-NI instructions: about ten
/// times the portable Swift loop. Call only when `chash_sha256_hardware_available()` is 1.
void chash_sha256_blocks(uint32_t state[8], const uint8_t *data, size_t blocks);

#endif
