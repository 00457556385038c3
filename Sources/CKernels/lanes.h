// The Winograd per-channel-run passes for one lane type LT (a float vector or float), named
// LN(name). Included by body.h once per lane width; see Winograd.swift for the algebra. The
// arithmetic is written in exactly the order of the Swift it replaced, so every width (and the
// old Swift) gives the same bits. p[4*i + j] is the pixel at row i, column j of a 4x4 window.

CK_TARGET static inline __attribute__((always_inline)) void
LN(input)(long c, const float *const *p, float *v, long s) {
    LT t[4][4];
    for (int j = 0; j < 4; j++) {
        const LT d0 = LD(LT, p[j] + c), d1 = LD(LT, p[4 + j] + c), d2 = LD(LT, p[8 + j] + c), d3 = LD(LT, p[12 + j] + c);
        t[0][j] = d0 - d2; t[1][j] = d1 + d2; t[2][j] = d2 - d1; t[3][j] = d1 - d3;
    }
    for (int i = 0; i < 4; i++) {
        ST(v + (4 * i + 0) * s + c, t[i][0] - t[i][2]);
        ST(v + (4 * i + 1) * s + c, t[i][1] + t[i][2]);
        ST(v + (4 * i + 2) * s + c, t[i][2] - t[i][1]);
        ST(v + (4 * i + 3) * s + c, t[i][1] - t[i][3]);
    }
}

CK_TARGET static inline __attribute__((always_inline)) void
LN(output)(long c, const float *m, long s, const float *bias, float *const *q) {
    LT s0[4], s1[4];
    for (int j = 0; j < 4; j++) {
        const LT m0 = LD(LT, m + (0 + j) * s + c), m1 = LD(LT, m + (4 + j) * s + c);
        const LT m2 = LD(LT, m + (8 + j) * s + c), m3 = LD(LT, m + (12 + j) * s + c);
        s0[j] = m0 + m1 + m2; s1[j] = m1 - m2 - m3;
    }
    const LT b = LD(LT, bias + c);
    ST(q[0] + c, s0[0] + s0[1] + s0[2] + b);
    ST(q[1] + c, s0[1] - s0[2] - s0[3] + b);
    ST(q[2] + c, s1[0] + s1[1] + s1[2] + b);
    ST(q[3] + c, s1[1] - s1[2] - s1[3] + b);
}

CK_TARGET static inline __attribute__((always_inline)) void
LN(output_adjoint)(long c, const float *const *a, float *m, long s) {
    LT r[4][2];
    for (int j = 0; j < 2; j++) {
        const LT y0 = LD(LT, a[j] + c), y1 = LD(LT, a[2 + j] + c);
        r[0][j] = y0; r[1][j] = y0 + y1; r[2][j] = y0 - y1; r[3][j] = -y1;
    }
    for (int i = 0; i < 4; i++) {
        ST(m + (4 * i + 0) * s + c, r[i][0]);
        ST(m + (4 * i + 1) * s + c, r[i][0] + r[i][1]);
        ST(m + (4 * i + 2) * s + c, r[i][0] - r[i][1]);
        ST(m + (4 * i + 3) * s + c, -r[i][1]);
    }
}

CK_TARGET static inline __attribute__((always_inline)) void
LN(input_adjoint)(long c, const float *v, long s, float *const *p) {
    LT x[4][4];
    for (int j = 0; j < 4; j++) {
        const LT y0 = LD(LT, v + (0 + j) * s + c), y1 = LD(LT, v + (4 + j) * s + c);
        const LT y2 = LD(LT, v + (8 + j) * s + c), y3 = LD(LT, v + (12 + j) * s + c);
        x[0][j] = y0; x[1][j] = y1 - y2 + y3; x[2][j] = y1 + y2 - y0; x[3][j] = -y3;
    }
    // Pixel by pixel in window order: outside pixels all share one dump row.
    for (int i = 0; i < 4; i++) {
        ST(p[4 * i + 0] + c, LD(LT, p[4 * i + 0] + c) + (x[i][0]));
        ST(p[4 * i + 1] + c, LD(LT, p[4 * i + 1] + c) + (x[i][1] - x[i][2] + x[i][3]));
        ST(p[4 * i + 2] + c, LD(LT, p[4 * i + 2] + c) + (x[i][1] + x[i][2] - x[i][0]));
        ST(p[4 * i + 3] + c, LD(LT, p[4 * i + 3] + c) + (-x[i][3]));
    }
}
