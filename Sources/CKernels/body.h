// One instruction-set level of every kernel. ckernels.c includes this once per level with
//   CK_SUF     the name suffix (base, avx2, avx512)
//   CK_TARGET  the function attribute that lets the compiler use that level's instructions
//   CK_VT, CK_VW  the widest float vector of the level and its lane count
//   CK_IT      the 32-bit integer vector of the same width (bitwise selects)
// The plain loops below are vectorized by the compiler for each level; without fast-math and
// with FP contraction off that changes only speed, never a result bit.

#define CK_JOIN2(a, b) a##_##b
#define CK_JOIN(a, b) CK_JOIN2(a, b)
#define FN(name) CK_JOIN(name, CK_SUF)

#define LT CK_VT
#define LN(name) CK_JOIN(FN(name), w)
#include "lanes.h"
#undef LT
#undef LN
#define LT ck_f4
#define LN(name) CK_JOIN(FN(name), q)
#include "lanes.h"
#undef LT
#undef LN
#define LT float
#define LN(name) CK_JOIN(FN(name), s)
#include "lanes.h"
#undef LT
#undef LN

/// Runs LANE over channels [0, count): widest vectors, then 4 floats, then one at a time.
#define FOR_LANES(count, LANE, ...)                                                   \
    do {                                                                              \
        long c_ = 0;                                                                  \
        for (; c_ + CK_VW <= (count); c_ += CK_VW) CK_JOIN(FN(LANE), w)(c_, __VA_ARGS__); \
        for (; c_ + 4 <= (count); c_ += 4) CK_JOIN(FN(LANE), q)(c_, __VA_ARGS__);     \
        for (; c_ < (count); c_++) CK_JOIN(FN(LANE), s)(c_, __VA_ARGS__);             \
    } while (0)

/// The 16 pixels of the 4x4 window at (iy, ix), `outside` for those outside the image.
CK_TARGET static inline __attribute__((always_inline)) void
FN(window)(float *p[16], float *base, long height, long width, long channels, long iy, long ix, float *outside) {
    for (int dy = 0; dy < 4; dy++)
        for (int dx = 0; dx < 4; dx++) {
            const long y = iy + dy, x = ix + dx;
            p[4 * dy + dx] = y >= 0 && y < height && x >= 0 && x < width ? base + (y * width + x) * channels : outside;
        }
}

CK_TARGET static void
FN(wino_input)(const float *x, long height, long width, long channels, long padTop, long padLeft,
               long cols, long lo, long hi, float *v, long s, const float *zeros) {
    for (long k = lo; k < hi; k++) {
        const long ty = k / cols, tx = k - ty * cols;
        float *p[16];
        FN(window)(p, (float *)x, height, width, channels, 2 * ty - padTop, 2 * tx - padLeft, (float *)zeros);
        float *out = v + (k - lo) * channels;
        FOR_LANES(channels, input, (const float *const *)p, out, s);
    }
}

/// `max(y, 0)` as Swift's `max` (`0 >= y ? 0 : y`: NaN stays NaN, -0 becomes +0).
CK_TARGET static void FN(relu)(float *y, long count) {
    for (long i = 0; i < count; i++) y[i] = 0.0f >= y[i] ? 0.0f : y[i];
}

CK_TARGET static void
FN(wino_output)(const float *m, long outHeight, long outWidth, long cols, long lo, long hi, long s, long filters,
                const float *bias, int relu, float *y, float *dump) {
    for (long k = lo; k < hi; k++) {
        const long ty = k / cols, tx = k - ty * cols, oy = 2 * ty, ox = 2 * tx;
        const int right = ox + 1 < outWidth, below = oy + 1 < outHeight;
        float *q[4];
        q[0] = y + (oy * outWidth + ox) * filters;
        q[1] = right ? q[0] + filters : dump;
        q[2] = below ? q[0] + outWidth * filters : dump;
        q[3] = right && below ? q[2] + filters : dump;
        FOR_LANES(filters, output, m + (k - lo) * filters, s, bias, (float *const *)q);
        if (relu) {
            const long n = (right ? 2 : 1) * filters;
            FN(relu)(q[0], n);
            if (below) FN(relu)(q[2], n);
        }
    }
}

CK_TARGET static void
FN(wino_output_adjoint)(const float *dz, long outHeight, long outWidth, long cols, long lo, long hi, long filters,
                        float *m, long s, const float *zeros) {
    for (long k = lo; k < hi; k++) {
        const long ty = k / cols, tx = k - ty * cols, oy = 2 * ty, ox = 2 * tx;
        const int right = ox + 1 < outWidth, below = oy + 1 < outHeight;
        const float *a[4];
        a[0] = dz + (oy * outWidth + ox) * filters;
        a[1] = right ? a[0] + filters : zeros;
        a[2] = below ? a[0] + outWidth * filters : zeros;
        a[3] = right && below ? a[2] + filters : zeros;
        FOR_LANES(filters, output_adjoint, (const float *const *)a, m + (k - lo) * filters, s);
    }
}

CK_TARGET static void
FN(wino_input_adjoint)(const float *v, long height, long width, long channels, long padTop, long padLeft,
                       long cols, long lo, long hi, long s, float *dx, float *dump) {
    for (long k = lo; k < hi; k++) {
        const long ty = k / cols, tx = k - ty * cols;
        float *p[16];
        FN(window)(p, dx, height, width, channels, 2 * ty - padTop, 2 * tx - padLeft, dump);
        FOR_LANES(channels, input_adjoint, v + (k - lo) * channels, s, (float *const *)p);
    }
}

CK_TARGET static void
FN(bias_activation)(float *y, long rows, long cols, const float *bias, int relu) {
    for (long r = 0; r < rows; r++) {
        float *restrict row = y + r * cols;
        if (relu) {
            for (long c = 0; c < cols; c++) { const float v = row[c] + bias[c]; row[c] = v > 0 ? v : 0; }
        } else {
            for (long c = 0; c < cols; c++) row[c] += bias[c];
        }
    }
}

CK_TARGET static void
FN(relu_backward)(const float *restrict y, float *restrict dy, long count) {
    for (long i = 0; i < count; i++) dy[i] = y[i] > 0 ? dy[i] : 0;
}

CK_TARGET static void
FN(adam)(float *restrict w, const float *restrict g, float *restrict m, float *restrict v, long count,
         float a1, float a2, float eps, float alpha) {
    for (long i = 0; i < count; i++) {
        const float gi = g[i];
        const float mi = m[i] + (gi - m[i]) * a1;
        const float vi = v[i] + (gi * gi - v[i]) * a2;
        m[i] = mi; v[i] = vi;
        w[i] = w[i] - alpha * mi / (__builtin_elementwise_sqrt(vi) + eps);
    }
}

CK_TARGET static void
FN(dropout)(uint32_t k0, uint32_t k1, uint32_t threshold, float scale, const float *restrict x, float *restrict y,
            float *restrict mask, long count) {
    for (long i = 0; i < count; i++) {
        // murmur3's finalizer of the index mixed with the sample's key (DropoutHash.bits).
        uint32_t h = ((uint32_t)i * 0x9E3779B1u) ^ k0;
        h ^= h >> 16; h *= 0x85EBCA6Bu;
        h ^= h >> 13; h *= 0xC2B2AE35u;
        h ^= h >> 16;
        h = (h ^ k1) * 0x27100D1Bu;
        h ^= h >> 15;
        const float f = h < threshold ? 0.0f : scale;
        mask[i] = f;
        y[i] = x[i] * f;
    }
}

/// Max pooling of one sample, the loop of `Pooling.maxForward`: the window's first pixel, then
/// `out = v > out ? v : out` over the window in scan order.
CK_TARGET static void
FN(max_pool)(const float *restrict x, long height, long width, long channels, long kernelHeight, long kernelWidth,
             long strideY, long strideX, long padTop, long padLeft, long outHeight, long outWidth, float *restrict y) {
    for (long oy = 0; oy < outHeight; oy++)
        for (long ox = 0; ox < outWidth; ox++) {
            const long wy = oy * strideY - padTop, wx = ox * strideX - padLeft;
            const long y0 = wy > 0 ? wy : 0, y1 = wy + kernelHeight < height ? wy + kernelHeight : height;
            const long x0 = wx > 0 ? wx : 0, x1 = wx + kernelWidth < width ? wx + kernelWidth : width;
            float *restrict out = y + (oy * outWidth + ox) * channels;
            const float *first = x + (y0 * width + x0) * channels;
            for (long t = 0; t < channels; t++) out[t] = first[t];
            for (long iy = y0; iy < y1; iy++)
                for (long ix = x0; ix < x1; ix++) {
                    const float *src = x + (iy * width + ix) * channels;
                    for (long t = 0; t < channels; t++) { const float v = src[t], o = out[t]; out[t] = v > o ? v : o; }
                }
        }
}

/// Max-pool backward for any windows (`Pooling.maxBackward`): dx cleared, then each output
/// gradient goes to the first pixel of its window equal to the maximum, overlapping windows
/// adding; `remaining` (C floats) holds the gradient not yet delivered.
CK_TARGET static void
FN(max_pool_backward)(const float *x, long height, long width, long channels, long kernelHeight, long kernelWidth,
                      long strideY, long strideX, long padTop, long padLeft, long outHeight, long outWidth,
                      const float *y, const float *dy, float *restrict dx, float *restrict remaining) {
    for (long i = 0; i < height * width * channels; i++) dx[i] = 0;
    for (long oy = 0; oy < outHeight; oy++)
        for (long ox = 0; ox < outWidth; ox++) {
            const long wy = oy * strideY - padTop, wx = ox * strideX - padLeft;
            const long y0 = wy > 0 ? wy : 0, y1 = wy + kernelHeight < height ? wy + kernelHeight : height;
            const long x0 = wx > 0 ? wx : 0, x1 = wx + kernelWidth < width ? wx + kernelWidth : width;
            const long o = (oy * outWidth + ox) * channels;
            for (long t = 0; t < channels; t++) remaining[t] = dy[o + t];
            for (long iy = y0; iy < y1; iy++)
                for (long ix = x0; ix < x1; ix++) {
                    const long i = (iy * width + ix) * channels;
                    for (long t = 0; t < channels; t++) {
                        const int hit = x[i + t] == y[o + t];
                        const float r = remaining[t];
                        dx[i + t] += hit ? r : 0;
                        remaining[t] = hit ? 0 : r;
                    }
                }
        }
}

/// Max-pool backward when the windows tile the image (`Pooling.maxBackwardTiled`): each output
/// gradient goes to the first pixel of its window equal to the maximum, every dx pixel written
/// once; the undelivered gradient stays in a register (bitwise selects, so exact at any width).
CK_TARGET static void
FN(max_pool_backward_tiled)(const float *x, long width, long channels, long kernelHeight, long kernelWidth,
                            long outHeight, long outWidth, const float *y, const float *dy, float *dx) {
    for (long oy = 0; oy < outHeight; oy++)
        for (long ox = 0; ox < outWidth; ox++) {
            const long o = (oy * outWidth + ox) * channels;
            const long first = (oy * kernelHeight * width + ox * kernelWidth) * channels;
            long t = 0;
            for (; t + CK_VW <= channels; t += CK_VW) {
                const CK_IT top = (CK_IT)LD(CK_VT, y + o + t);
                CK_IT r = (CK_IT)LD(CK_VT, dy + o + t);
                for (long ky = 0; ky < kernelHeight; ky++)
                    for (long kx = 0; kx < kernelWidth; kx++) {
                        const long i = first + (ky * width + kx) * channels + t;
                        const CK_IT hit = (CK_IT)(LD(CK_VT, x + i) == (CK_VT)top);
                        ST(dx + i, (CK_VT)(r & hit));
                        r = r & ~hit;
                    }
            }
            for (; t < channels; t++) {
                float r = dy[o + t];
                for (long ky = 0; ky < kernelHeight; ky++)
                    for (long kx = 0; kx < kernelWidth; kx++) {
                        const long i = first + (ky * width + kx) * channels + t;
                        const int hit = x[i] == y[o + t];
                        dx[i] = hit ? r : 0;
                        r = hit ? 0 : r;
                    }
            }
        }
}

/// Column sums of rows [lo, hi) of m (rows of `cols`), each column summed from +0 in row order
/// (so any vector width gives the same bits), four vectors of columns at a time held in
/// registers. With `y`, first masks m in place by ReLU's backward, `m = y > 0 ? m : 0`.
CK_TARGET static void
FN(column_sums)(const float *y, float *m, long lo, long hi, long cols, float *acc) {
    long c0 = 0;
    while (c0 + CK_VW <= cols) {
        long width = (cols - c0) / CK_VW;
        if (width > 4) width = 4;
        CK_VT a[4] = {0};
        for (long r = lo; r < hi; r++) {
            const long o = r * cols + c0;
            for (long k = 0; k < 4; k++) {
                if (k >= width) break;
                CK_VT v = LD(CK_VT, m + o + k * CK_VW);
                if (y) {
                    v = (CK_VT)((CK_IT)v & (CK_IT)(LD(CK_VT, y + o + k * CK_VW) > 0));
                    ST(m + o + k * CK_VW, v);
                }
                a[k] += v;
            }
        }
        for (long k = 0; k < width; k++) ST(acc + c0 + k * CK_VW, a[k]);
        c0 += width * CK_VW;
    }
    if (c0 == cols) return;
    for (long c = c0; c < cols; c++) acc[c] = 0;
    for (long r = lo; r < hi; r++) {
        float *d = m + r * cols;
        for (long c = c0; c < cols; c++) {
            float v = d[c];
            if (y) { v = y[r * cols + c] > 0 ? v : 0; d[c] = v; }
            acc[c] += v;
        }
    }
}

#undef FOR_LANES
#undef FN
#undef CK_JOIN
#undef CK_JOIN2
