// The training engine's own hot loops (Winograd tile transforms, bias + activation, dropout,
// Adam, max pooling, column sums), compiled once per x86-64 instruction-set level and chosen at run time: the Swift is
// built for plain x86-64 (SSE2), which left these loops at 4 floats per instruction and without
// 32-bit vector multiplies (dropout's hash) on CPUs with AVX2 or AVX-512.
//
// Bit-identical at every level: the code is the same C, compiled with FP contraction off (no
// FMA is formed, so a*b + c rounds twice everywhere), no fast-math (the vectorizer may not
// reorder a sum), and the only "math" is IEEE +, -, *, / and sqrt, which are correctly rounded
// at any width.
#pragma STDC FP_CONTRACT OFF
#pragma clang fp contract(off)

#include "ckernels.h"

typedef float ck_f4 __attribute__((vector_size(16), aligned(4), __may_alias__));
typedef int32_t ck_i4 __attribute__((vector_size(16)));

/// Unaligned vector (or float) load and store through memcpy: no alignment or aliasing claims.
#define LD(T, p) ({ T ld_; __builtin_memcpy(&ld_, (p), sizeof ld_); ld_; })
#define ST(p, x) do { __typeof__(x) st_ = (x); __builtin_memcpy((p), &st_, sizeof st_); } while (0)

#define CK_SUF base
#define CK_TARGET
#define CK_VT ck_f4
#define CK_IT ck_i4
#define CK_VW 4
#include "body.h"
#undef CK_SUF
#undef CK_TARGET
#undef CK_VT
#undef CK_IT
#undef CK_VW

#if defined(__x86_64__)
#include <cpuid.h>

typedef float ck_f8 __attribute__((vector_size(32), aligned(4), __may_alias__));
typedef float ck_f16 __attribute__((vector_size(64), aligned(4), __may_alias__));
typedef int32_t ck_i8 __attribute__((vector_size(32)));
typedef int32_t ck_i16 __attribute__((vector_size(64)));

#define CK_SUF avx2
#define CK_TARGET __attribute__((target("avx2")))
#define CK_VT ck_f8
#define CK_IT ck_i8
#define CK_VW 8
#include "body.h"
#undef CK_SUF
#undef CK_TARGET
#undef CK_VT
#undef CK_IT
#undef CK_VW

#define CK_SUF avx512
#define CK_TARGET __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq")))
#define CK_VT ck_f16
#define CK_IT ck_i16
#define CK_VW 16
#include "body.h"
#undef CK_SUF
#undef CK_TARGET
#undef CK_VT
#undef CK_IT
#undef CK_VW

static unsigned long long ck_xgetbv(void) {
    unsigned int lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return ((unsigned long long)hi << 32) | lo;
}

int ck_isa_supported(void) {
    unsigned int a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return CK_ISA_BASELINE;
    if (!((c >> 27) & 1) || !((c >> 28) & 1)) return CK_ISA_BASELINE;       // OSXSAVE, AVX
    const unsigned long long xcr0 = ck_xgetbv();
    if ((xcr0 & 0x6) != 0x6) return CK_ISA_BASELINE;                         // XMM, YMM state
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return CK_ISA_BASELINE;
    if (!((b >> 5) & 1)) return CK_ISA_BASELINE;                              // AVX2
    const int avx512 = ((b >> 16) & 1) && ((b >> 17) & 1) && ((b >> 30) & 1) && ((b >> 31) & 1); // F, DQ, BW, VL
    if (avx512 && (xcr0 & 0xE0) == 0xE0) return CK_ISA_AVX512;               // opmask, ZMM state
    return CK_ISA_AVX2;
}

#define CK_DISPATCH(name, args)                          \
    switch (isa) {                                       \
    case CK_ISA_AVX512: name##_avx512 args; return;      \
    case CK_ISA_AVX2: name##_avx2 args; return;          \
    default: name##_base args; return;                   \
    }
#else
int ck_isa_supported(void) { return CK_ISA_BASELINE; }
#define CK_DISPATCH(name, args) do { (void)isa; name##_base args; } while (0)
#endif

void ck_wino_input(int isa, const float *x, long height, long width, long channels, long padTop, long padLeft,
                   long cols, long lo, long hi, float *v, long positionStride, const float *zeros) {
    CK_DISPATCH(wino_input, (x, height, width, channels, padTop, padLeft, cols, lo, hi, v, positionStride, zeros));
}

void ck_wino_output(int isa, const float *m, long outHeight, long outWidth, long cols, long lo, long hi,
                    long positionStride, long filters, const float *bias, int relu, float *y, float *dump) {
    CK_DISPATCH(wino_output, (m, outHeight, outWidth, cols, lo, hi, positionStride, filters, bias, relu, y, dump));
}

void ck_wino_output_adjoint(int isa, const float *dz, long outHeight, long outWidth, long cols, long lo, long hi,
                            long filters, float *m, long positionStride, const float *zeros) {
    CK_DISPATCH(wino_output_adjoint, (dz, outHeight, outWidth, cols, lo, hi, filters, m, positionStride, zeros));
}

void ck_wino_input_adjoint(int isa, const float *v, long height, long width, long channels, long padTop, long padLeft,
                           long cols, long lo, long hi, long positionStride, float *dx, float *dump) {
    CK_DISPATCH(wino_input_adjoint, (v, height, width, channels, padTop, padLeft, cols, lo, hi, positionStride, dx, dump));
}

void ck_bias_activation(int isa, float *y, long rows, long cols, const float *bias, int relu) {
    CK_DISPATCH(bias_activation, (y, rows, cols, bias, relu));
}

void ck_relu(int isa, float *y, long count) { CK_DISPATCH(relu, (y, count)); }

void ck_relu_backward(int isa, const float *y, float *dy, long count) { CK_DISPATCH(relu_backward, (y, dy, count)); }

void ck_adam(int isa, float *w, const float *g, float *m, float *v, long count, float a1, float a2, float eps, float alpha) {
    CK_DISPATCH(adam, (w, g, m, v, count, a1, a2, eps, alpha));
}

void ck_dropout(int isa, uint32_t k0, uint32_t k1, uint32_t threshold, float scale, const float *x, float *y,
                float *mask, long count) {
    CK_DISPATCH(dropout, (k0, k1, threshold, scale, x, y, mask, count));
}

void ck_max_pool(int isa, const float *x, long height, long width, long channels, long kernelHeight, long kernelWidth,
                 long strideY, long strideX, long padTop, long padLeft, long outHeight, long outWidth, float *y) {
    CK_DISPATCH(max_pool, (x, height, width, channels, kernelHeight, kernelWidth, strideY, strideX, padTop, padLeft,
                           outHeight, outWidth, y));
}

void ck_max_pool_backward_tiled(int isa, const float *x, long width, long channels, long kernelHeight, long kernelWidth,
                                long outHeight, long outWidth, const float *y, const float *dy, float *dx) {
    CK_DISPATCH(max_pool_backward_tiled, (x, width, channels, kernelHeight, kernelWidth, outHeight, outWidth, y, dy, dx));
}

void ck_column_sums(int isa, const float *y, float *m, long lo, long hi, long cols, float *acc) {
    CK_DISPATCH(column_sums, (y, m, lo, hi, cols, acc));
}

void ck_max_pool_backward(int isa, const float *x, long height, long width, long channels, long kernelHeight,
                          long kernelWidth, long strideY, long strideX, long padTop, long padLeft, long outHeight,
                          long outWidth, const float *y, const float *dy, float *dx, float *remaining) {
    CK_DISPATCH(max_pool_backward, (x, height, width, channels, kernelHeight, kernelWidth, strideY, strideX, padTop, padLeft,
                                    outHeight, outWidth, y, dy, dx, remaining));
}
