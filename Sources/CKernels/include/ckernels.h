#ifndef CKERNELS_H
#define CKERNELS_H

#include <stdint.h>

/// Instruction-set levels of the training engine's own loops (OpenBLAS picks its kernels itself).
/// Every level computes the same operations in the same order, without FMA contraction, so the
/// results are bit-identical whichever level runs: only speed differs.
enum {
    CK_ISA_BASELINE = 0,   ///< x86-64 SSE2 (4 floats), or the portable C on other CPUs
    CK_ISA_AVX2 = 1,       ///< AVX2 (8 floats)
    CK_ISA_AVX512 = 2      ///< AVX-512 F/BW/VL (16 floats)
};

/// The highest level this CPU and OS can run, from CPUID and XGETBV (the OS must save the YMM,
/// and for AVX-512 the ZMM and mask, registers). Fixed for the process.
int ck_isa_supported(void);

// Winograd F(2x2, 3x3) tile passes over the tiles [lo, hi) of one sample (see Winograd.swift):
// `cols` tile columns, tile k at (2*(k / cols) - padTop, 2*(k % cols) - padLeft) in the input.

/// x (H, W, C) -> V rows of the tiles (`B^T d B`); pixels outside the image read `zeros` (C floats).
void ck_wino_input(int isa, const float *x, long height, long width, long channels, long padTop, long padLeft,
                   long cols, long lo, long hi, float *v, long positionStride, const float *zeros);

/// M rows of the tiles -> y (OH, OW, O): `A^T m A + bias`, then ReLU (`max(y, 0)`) when `relu`
/// is nonzero. Outputs outside the image go to `dump` (O floats).
void ck_wino_output(int isa, const float *m, long outHeight, long outWidth, long cols, long lo, long hi,
                    long positionStride, long filters, const float *bias, int relu, float *y, float *dump);

/// dz (OH, OW, O) -> dM rows of the tiles (`A dY A^T`); outputs outside read `zeros`.
void ck_wino_output_adjoint(int isa, const float *dz, long outHeight, long outWidth, long cols, long lo, long hi,
                            long filters, float *m, long positionStride, const float *zeros);

/// dV rows of the tiles -> dx (H, W, C), accumulated (`B dV B^T`); pixels outside go to `dump`.
void ck_wino_input_adjoint(int isa, const float *v, long height, long width, long channels, long padTop, long padLeft,
                           long cols, long lo, long hi, long positionStride, float *dx, float *dump);

/// y (rows, cols) += bias (cols) then, when `relu`, `y = y > 0 ? y : 0`.
void ck_bias_activation(int isa, float *y, long rows, long cols, const float *bias, int relu);
/// y = max(y, 0) (Swift's `max`: NaN stays NaN).
void ck_relu(int isa, float *y, long count);
/// dy = y > 0 ? dy : 0.
void ck_relu_backward(int isa, const float *y, float *dy, long count);

/// Adam over [0, count): m += (g - m) a1; v += (g^2 - v) a2; w -= alpha m / (sqrt(v) + eps).
void ck_adam(int isa, float *w, const float *g, float *m, float *v, long count, float a1, float a2, float eps, float alpha);

/// Dropout of one sample: element i is dropped (0) when the mask hash of (k0, k1, i) is below
/// `threshold`, else scaled by `scale`; mask[i] = that factor, y[i] = x[i] * mask[i].
void ck_dropout(int isa, uint32_t k0, uint32_t k1, uint32_t threshold, float scale, const float *x, float *y,
                float *mask, long count);

/// Max pooling of one sample: x (H, W, C) -> y (OH, OW, C), windows clipped to the image.
void ck_max_pool(int isa, const float *x, long height, long width, long channels, long kernelHeight, long kernelWidth,
                 long strideY, long strideX, long padTop, long padLeft, long outHeight, long outWidth, float *y);

/// Max-pool backward of one sample, any windows: dx (H, W, C) overwritten, each gradient to its
/// window's first maximum (scan order), overlapping windows adding; `remaining`: C floats scratch.
void ck_max_pool_backward(int isa, const float *x, long height, long width, long channels, long kernelHeight,
                          long kernelWidth, long strideY, long strideX, long padTop, long padLeft, long outHeight,
                          long outWidth, const float *y, const float *dy, float *dx, float *remaining);

/// Max-pool backward of one sample when the windows tile the image (stride = kernel, no
/// padding, OH*KH = H, OW*KW = W): dx (H, W, C) overwritten, each gradient to the window's
/// first maximum.
void ck_max_pool_backward_tiled(int isa, const float *x, long width, long channels, long kernelHeight, long kernelWidth,
                                long outHeight, long outWidth, const float *y, const float *dy, float *dx);

/// acc[c] = the sum over rows r in [lo, hi) of m[r, c], from +0 in row order (overwritten).
/// When `y` is not NULL, m is first masked in place by ReLU's backward: m = y > 0 ? m : 0.
void ck_column_sums(int isa, const float *y, float *m, long lo, long hi, long cols, float *acc);

#endif
