// Bilinear interior spans with AVX2: eight output pixels at a time compute their 16.16 source
// positions with vector adds, load their taps (scalar loads for gray and RGB, measured faster
// than vpgatherdd on Zen 4; gathered 32-bit words for RGBA), and mix them
// in 32-bit lanes with exactly the integers of Swift's `Warp.bilinear`:
//   top = p00*(256-fx) + p01*fx,  bottom = p10*(256-fx) + p11*fx     (one vpmaddwd each)
//   v   = (top*256 + (bottom-top)*fy + 32768) >> 16
// which equals Swift's four-weight sum because its weights are (256-fx)(256-fy), fx(256-fy),
// (256-fx)fy and fx*fy. Taps are read so that no byte outside the image is touched (the span's
// taps are all inside, so ix + 1 <= width - 1 and a row holds at least two pixels):
// RGB loads 8 bytes at p (p00, p01 and two spare bytes, which lie before q + 2) and 8 at q - 2
// (q = the row below); gray loads 4 bytes at p and at q - 2; RGBA gathers p, p + 4, q, q + 4.
// A span that is not a multiple of eight ends with one overlapping vector (its first pixels
// are written twice, with the same bytes).
// A portable build compiles none of this, and the Swift loop does all the work.
#include "cwarp.h"

#include "ckernels.h"

#if defined(__x86_64__)
#include <immintrin.h>

/// AVX2 or better, by the training kernels' CPUID and XGETBV check (CKernels).
int cwarp_simd_level(void) { return ck_isa_supported() >= CK_ISA_AVX2; }

// MARK: AVX2, eight pixels

/// Positions, integer offsets and horizontal weight pairs of eight pixels.
typedef struct { __m256i off, wx, fy; } Taps8;

__attribute__((target("avx2"))) static inline Taps8
taps8(__m256i vx, __m256i vy, __m256i stride, int channels) {
    const __m256i r128 = _mm256_set1_epi32(128), m255 = _mm256_set1_epi32(255), c256 = _mm256_set1_epi32(256);
    const __m256i px = _mm256_srai_epi32(_mm256_add_epi32(vx, r128), 8);
    const __m256i py = _mm256_srai_epi32(_mm256_add_epi32(vy, r128), 8);
    const __m256i ix = _mm256_srai_epi32(px, 8), iy = _mm256_srai_epi32(py, 8);
    const __m256i fx = _mm256_and_si256(px, m255);
    Taps8 t;
    t.fy = _mm256_and_si256(py, m255);
    t.wx = _mm256_or_si256(_mm256_sub_epi32(c256, fx), _mm256_slli_epi32(fx, 16));   // words (256-fx, fx)
    __m256i col = ix;
    if (channels == 3) col = _mm256_add_epi32(ix, _mm256_add_epi32(ix, ix));
    if (channels == 4) col = _mm256_slli_epi32(ix, 2);
    t.off = _mm256_add_epi32(_mm256_mullo_epi32(iy, stride), col);
    return t;
}

/// `(top*256 + (bottom-top)*fy + 32768) >> 16` per lane.
__attribute__((target("avx2"))) static inline __m256i
mix8(__m256i top, __m256i bottom, __m256i fy) {
    const __m256i v = _mm256_add_epi32(_mm256_slli_epi32(top, 8), _mm256_mullo_epi32(_mm256_sub_epi32(bottom, top), fy));
    return _mm256_srli_epi32(_mm256_add_epi32(v, _mm256_set1_epi32(32768)), 16);
}

/// Four 8-byte loads as the qwords of one vector: (base+k0, base+k1 | base+k2, base+k3).
__attribute__((target("avx2"))) static inline __m256i
load4(const uint8_t *base, int32_t k0, int32_t k1, int32_t k2, int32_t k3) {
#define LOADQ(k) _mm_loadl_epi64((const __m128i *)(const void *)(base + (k)))
    return _mm256_inserti128_si256(_mm256_castsi128_si256(_mm_unpacklo_epi64(LOADQ(k0), LOADQ(k1))),
                                   _mm_unpacklo_epi64(LOADQ(k2), LOADQ(k3)), 1);
#undef LOADQ
}

static inline int load32(const uint8_t *p) { int v; __builtin_memcpy(&v, p, 4); return v; }

#define GATHER8(base, off) _mm256_i32gather_epi32((const int *)(const void *)(base), (off), 1)

__attribute__((target("avx2"))) static void
span8(const uint8_t *src, int32_t stride, int channels, uint8_t *out, int32_t count,
      uint32_t sx, uint32_t sy, uint32_t stepX, uint32_t stepY) {
    const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    const __m256i vstride = _mm256_set1_epi32(stride);
    const __m256i stepX8 = _mm256_set1_epi32((int)(stepX * 8)), stepY8 = _mm256_set1_epi32((int)(stepY * 8));
    // Byte pickers: bytes (2, 3) / (0, 1) of every 32-bit lane into its two words (gray).
    const __m256i pick23 = _mm256_setr_epi8(2, -1, 3, -1, 6, -1, 7, -1, 10, -1, 11, -1, 14, -1, 15, -1,
                                            2, -1, 3, -1, 6, -1, 7, -1, 10, -1, 11, -1, 14, -1, 15, -1);
    const __m256i pick01 = _mm256_setr_epi8(0, -1, 1, -1, 4, -1, 5, -1, 8, -1, 9, -1, 12, -1, 13, -1,
                                            0, -1, 1, -1, 4, -1, 5, -1, 8, -1, 9, -1, 12, -1, 13, -1);
    // Packing: the low byte of each lane (gray), or the low three (RGB), to the front of each half.
    const __m256i pack1 = _mm256_setr_epi8(0, 4, 8, 12, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
                                           0, 4, 8, 12, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1);
    const __m256i pack3 = _mm256_setr_epi8(0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, -1, -1, -1, -1,
                                           0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, -1, -1, -1, -1);
    const __m256i join1 = _mm256_setr_epi32(0, 4, 1, 1, 1, 1, 1, 1);
    const __m256i join3 = _mm256_setr_epi32(0, 1, 2, 4, 5, 6, 3, 7);
    // RGB from two 8-byte loads per 128-bit half: (red, green) pairs of both pixels, then blue.
    const __m256i rgP = _mm256_setr_epi8(0, -1, 3, -1, 8, -1, 11, -1, 1, -1, 4, -1, 9, -1, 12, -1,
                                         0, -1, 3, -1, 8, -1, 11, -1, 1, -1, 4, -1, 9, -1, 12, -1);
    const __m256i bP = _mm256_setr_epi8(2, -1, 5, -1, 10, -1, 13, -1, -1, -1, -1, -1, -1, -1, -1, -1,
                                        2, -1, 5, -1, 10, -1, 13, -1, -1, -1, -1, -1, -1, -1, -1, -1);
    const __m256i rgQ = _mm256_setr_epi8(2, -1, 5, -1, 10, -1, 13, -1, 3, -1, 6, -1, 11, -1, 14, -1,
                                         2, -1, 5, -1, 10, -1, 13, -1, 3, -1, 6, -1, 11, -1, 14, -1);
    const __m256i bQ = _mm256_setr_epi8(4, -1, 7, -1, 12, -1, 15, -1, -1, -1, -1, -1, -1, -1, -1, -1,
                                        4, -1, 7, -1, 12, -1, 15, -1, -1, -1, -1, -1, -1, -1, -1, -1);

    int32_t i = 0;
    for (;;) {
        if (i + 8 > count) i = count - 8;   // the overlapping last vector
        __m256i vx = _mm256_add_epi32(_mm256_set1_epi32((int)(sx + (uint32_t)i * stepX)), _mm256_mullo_epi32(lane, _mm256_set1_epi32((int)stepX)));
        __m256i vy = _mm256_add_epi32(_mm256_set1_epi32((int)(sy + (uint32_t)i * stepY)), _mm256_mullo_epi32(lane, _mm256_set1_epi32((int)stepY)));
        for (; i + 8 <= count; i += 8) {
            const Taps8 t = taps8(vx, vy, vstride, channels);
            uint8_t *o = out + (int64_t)i * channels;
            if (channels == 1) {
                // Eight scalar loads per row beat vpgatherdd (Zen 4, 80x80 gray Keras chain:
                // ~74,000 -> ~90,000 images/s).
                int32_t k[8];
                _mm256_storeu_si256((__m256i *)(void *)k, t.off);
                const uint8_t *q = src + stride - 2;
                const __m256i a = _mm256_setr_epi32(load32(src + k[0]), load32(src + k[1]), load32(src + k[2]), load32(src + k[3]),
                                                    load32(src + k[4]), load32(src + k[5]), load32(src + k[6]), load32(src + k[7]));
                const __m256i c = _mm256_setr_epi32(load32(q + k[0]), load32(q + k[1]), load32(q + k[2]), load32(q + k[3]),
                                                    load32(q + k[4]), load32(q + k[5]), load32(q + k[6]), load32(q + k[7]));
                const __m256i top = _mm256_madd_epi16(_mm256_shuffle_epi8(a, pick01), t.wx);
                const __m256i bottom = _mm256_madd_epi16(_mm256_shuffle_epi8(c, pick23), t.wx);
                const __m256i v = _mm256_permutevar8x32_epi32(_mm256_shuffle_epi8(mix8(top, bottom, t.fy), pack1), join1);
                _mm_storel_epi64((__m128i *)(void *)o, _mm256_castsi256_si128(v));
            } else if (channels == 3) {
                // Scalar 8-byte loads beat four vpgatherdd here (Zen 4, 150x150 RGB Keras chain:
                // 6,400 -> ~10,500 images/s):
                // P = [r0 g0 b0 r1 g1 b1 . .] at p, Q = [. . r0 g0 b0 r1 g1 b1] at q-2, both inside.
                int32_t k[8];
                _mm256_storeu_si256((__m256i *)(void *)k, t.off);
                const uint8_t *q = src + stride - 2;
                const __m256i xp = load4(src, k[0], k[1], k[4], k[5]), yp = load4(src, k[2], k[3], k[6], k[7]);
                const __m256i xq = load4(q, k[0], k[1], k[4], k[5]), yq = load4(q, k[2], k[3], k[6], k[7]);
                const __m256i xprg = _mm256_shuffle_epi8(xp, rgP), yprg = _mm256_shuffle_epi8(yp, rgP);
                const __m256i xqrg = _mm256_shuffle_epi8(xq, rgQ), yqrg = _mm256_shuffle_epi8(yq, rgQ);
                const __m256i r = mix8(_mm256_madd_epi16(_mm256_unpacklo_epi64(xprg, yprg), t.wx),
                                       _mm256_madd_epi16(_mm256_unpacklo_epi64(xqrg, yqrg), t.wx), t.fy);
                const __m256i g = mix8(_mm256_madd_epi16(_mm256_unpackhi_epi64(xprg, yprg), t.wx),
                                       _mm256_madd_epi16(_mm256_unpackhi_epi64(xqrg, yqrg), t.wx), t.fy);
                const __m256i bl = mix8(_mm256_madd_epi16(_mm256_unpacklo_epi64(_mm256_shuffle_epi8(xp, bP), _mm256_shuffle_epi8(yp, bP)), t.wx),
                                        _mm256_madd_epi16(_mm256_unpacklo_epi64(_mm256_shuffle_epi8(xq, bQ), _mm256_shuffle_epi8(yq, bQ)), t.wx), t.fy);
                const __m256i rgb = _mm256_or_si256(r, _mm256_or_si256(_mm256_slli_epi32(g, 8), _mm256_slli_epi32(bl, 16)));
                const __m256i v = _mm256_permutevar8x32_epi32(_mm256_shuffle_epi8(rgb, pack3), join3);
                _mm_storeu_si128((__m128i *)(void *)o, _mm256_castsi256_si128(v));
                _mm_storel_epi64((__m128i *)(void *)(o + 16), _mm256_extracti128_si256(v, 1));
            } else {
                const __m256i a = GATHER8(src, t.off), b = GATHER8(src + 4, t.off);
                const __m256i c = GATHER8(src + stride, t.off), d = GATHER8(src + stride + 4, t.off);
                __m256i rgba = _mm256_setzero_si256();
                for (int k = 0; k < 4; k++) {
                    // Words (byte k of a, byte k of b) and likewise for c, d.
                    const __m256i lo = _mm256_set1_epi32(0xFFFFFF00 | k), hi = _mm256_set1_epi32(0xFF00FFFF | (k << 16));
                    const __m256i top = _mm256_madd_epi16(_mm256_or_si256(_mm256_shuffle_epi8(a, _mm256_add_epi8(lo, _mm256_setr_epi32(0, 4, 8, 12, 0, 4, 8, 12))),
                                                                          _mm256_shuffle_epi8(b, _mm256_add_epi8(hi, _mm256_setr_epi32(0, 4 << 16, 8 << 16, 12 << 16, 0, 4 << 16, 8 << 16, 12 << 16)))), t.wx);
                    const __m256i bottom = _mm256_madd_epi16(_mm256_or_si256(_mm256_shuffle_epi8(c, _mm256_add_epi8(lo, _mm256_setr_epi32(0, 4, 8, 12, 0, 4, 8, 12))),
                                                                             _mm256_shuffle_epi8(d, _mm256_add_epi8(hi, _mm256_setr_epi32(0, 4 << 16, 8 << 16, 12 << 16, 0, 4 << 16, 8 << 16, 12 << 16)))), t.wx);
                    rgba = _mm256_or_si256(rgba, _mm256_slli_epi32(mix8(top, bottom, t.fy), 8 * k));
                }
                _mm256_storeu_si256((__m256i *)(void *)o, rgba);
            }
            vx = _mm256_add_epi32(vx, stepX8);
            vy = _mm256_add_epi32(vy, stepY8);
        }
        if (i >= count) return;
    }
}

int32_t cwarp_bilinear_span(int level, const uint8_t *src, int32_t stride, int32_t channels, uint8_t *out, int32_t count,
                            int32_t sx, int32_t sy, int32_t stepX, int32_t stepY) {
    if (level < 1 || count < 8) return 0;
    switch (channels) {
    case 1: span8(src, stride, 1, out, count, (uint32_t)sx, (uint32_t)sy, (uint32_t)stepX, (uint32_t)stepY); break;
    case 3: span8(src, stride, 3, out, count, (uint32_t)sx, (uint32_t)sy, (uint32_t)stepX, (uint32_t)stepY); break;
    case 4: span8(src, stride, 4, out, count, (uint32_t)sx, (uint32_t)sy, (uint32_t)stepX, (uint32_t)stepY); break;
    default: return 0;
    }
    return count;
}

#else
int cwarp_simd_level(void) { return 0; }
int32_t cwarp_bilinear_span(int level, const uint8_t *src, int32_t stride, int32_t channels, uint8_t *out, int32_t count,
                            int32_t sx, int32_t sy, int32_t stepX, int32_t stepY) {
    (void)level; (void)src; (void)stride; (void)channels; (void)out; (void)count; (void)sx; (void)sy; (void)stepX; (void)stepY;
    return 0;
}
#endif
