#ifndef CWARP_H
#define CWARP_H

#include <stdint.h>

/// The bilinear span kernel this CPU and OS can run: 1 = AVX2, 0 = none (the caller keeps its
/// portable loop). Checked with CPUID and XGETBV (the OS must save the YMM registers); the
/// answer never changes during a run. Higher levels are left for wider kernels.
int cwarp_simd_level(void);

/// Bilinear resampling of one interior span of an output row, uint8 HWC, 1, 3 or 4 channels.
///
/// Output pixel `i` (0 <= i < count) reads the 16.16 source position `(sx + i*stepX,
/// sy + i*stepY)`: rounded to 1/256 pixel, split into integer part `(ix, iy)` and weights
/// `(fx, fy)`, four taps mixed as `(p00*(256-fx) + p01*fx)*(256-fy) + (p10*(256-fx) + p11*fx)*fy
/// + 32768 >> 16`, which is the same integer as Swift's `Warp.bilinear` (its four weights are
/// these products), so the bytes are identical.
///
/// The caller guarantees every pixel's four taps are inside the image (the span is the row's
/// interior), that every position fits in 32 bits, and `stride * height < 2^31`.
/// `level` is the value `cwarp_simd_level()` returned. Returns the number of pixels written:
/// `count`, or 0 (nothing written) when there is no SIMD kernel for this level and channel count
/// or the span is shorter than one vector (8 pixels); the caller's own loop then does them.
int32_t cwarp_bilinear_span(int level, const uint8_t *src, int32_t stride, int32_t channels, uint8_t *out, int32_t count,
                            int32_t sx, int32_t sy, int32_t stepX, int32_t stepY);

#endif
