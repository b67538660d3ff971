// Unmasked fused attention for AVX-512 with queries across vector lanes: a band of 32 queries is
// two registers wide, so the head size never pads lanes (40 = 4 x 10 channels, not 48 lanes), the
// softmax needs no horizontal reductions, and both products broadcast from packed K and V rows.
//   scores  S^T[j][q] = sum_e K[j][e] Q^T[e][q]      (12 keys x 32 queries per register tile)
//   softmax P^T[j][q] = exp(scale S^T[j][q] - m[q])  (m: lane-wise maxima from the scores pass)
//   values  O^T[c][q] = sum_j V[j][c] P^T[j][q]       (12 channels x 32 queries), / sum[q]
#include <stdlib.h>
#include <string.h>
#include "TensorKernels.h"
#include "isa.h"

#define LANES 32
#define TK_INLINE static inline __attribute__((always_inline))

TK_AVX512 TK_INLINE void scores_lanes(int J, const float *kp, long d, const float *qt, float *st, __m512 *mx) {
    __m512 acc[12][2];
    for (int j = 0; j < J; j++) { acc[j][0] = _mm512_setzero_ps(); acc[j][1] = _mm512_setzero_ps(); }
    for (long e = 0; e < d; e++) {
        __m512 q0 = _mm512_loadu_ps(qt + e * LANES), q1 = _mm512_loadu_ps(qt + e * LANES + 16);
        for (int j = 0; j < J; j++) {
            __m512 b = _mm512_set1_ps(kp[j * d + e]);
            acc[j][0] = _mm512_fmadd_ps(b, q0, acc[j][0]);
            acc[j][1] = _mm512_fmadd_ps(b, q1, acc[j][1]);
        }
    }
    __m512 m0 = mx[0], m1 = mx[1];
    for (int j = 0; j < J; j++) {
        _mm512_storeu_ps(st + j * LANES, acc[j][0]);
        _mm512_storeu_ps(st + j * LANES + 16, acc[j][1]);
        m0 = _mm512_max_ps(m0, acc[j][0]);
        m1 = _mm512_max_ps(m1, acc[j][1]);
    }
    mx[0] = m0; mx[1] = m1;
}

TK_AVX512 TK_INLINE void values_lanes(int C, const float *pt, long nk, const float *vp, long d, float *ot,
                                      __m512 inv0, __m512 inv1) {
    __m512 acc[12][2];
    for (int c = 0; c < C; c++) { acc[c][0] = _mm512_setzero_ps(); acc[c][1] = _mm512_setzero_ps(); }
    for (long j = 0; j < nk; j++) {
        __m512 p0 = _mm512_loadu_ps(pt + j * LANES), p1 = _mm512_loadu_ps(pt + j * LANES + 16);
        for (int c = 0; c < C; c++) {
            __m512 b = _mm512_set1_ps(vp[j * d + c]);
            acc[c][0] = _mm512_fmadd_ps(b, p0, acc[c][0]);
            acc[c][1] = _mm512_fmadd_ps(b, p1, acc[c][1]);
        }
    }
    for (int c = 0; c < C; c++) {
        _mm512_storeu_ps(ot + c * LANES, _mm512_mul_ps(acc[c][0], inv0));
        _mm512_storeu_ps(ot + c * LANES + 16, _mm512_mul_ps(acc[c][1], inv1));
    }
}

TK_AVX512 static void band_lanes(const float *q, long q_stride, const float *kp, const float *vp, float *out,
                                 long out_stride, long rows, long nk, long d, float scale, float *qt, float *st, float *ot) {
    memset(qt, 0, sizeof(float) * (size_t)(d * LANES));
    for (long r = 0; r < rows; r++) for (long e = 0; e < d; e++) qt[e * LANES + r] = q[r * q_stride + e];
    __m512 mx[2] = { _mm512_set1_ps(-INFINITY), _mm512_set1_ps(-INFINITY) };
    long j = 0;
    for (; j + 12 <= nk; j += 12) scores_lanes(12, kp + j * d, d, qt, st + j * LANES, mx);
    for (; j < nk; j++) scores_lanes(1, kp + j * d, d, qt, st + j * LANES, mx);
    __m512 vs = _mm512_set1_ps(scale);
    __m512 m0 = _mm512_mul_ps(mx[0], vs), m1 = _mm512_mul_ps(mx[1], vs);
    __m512 s0 = _mm512_setzero_ps(), s1 = _mm512_setzero_ps();
    for (j = 0; j < nk; j++) {
        __m512 e0 = tk_exp512(_mm512_fmsub_ps(_mm512_loadu_ps(st + j * LANES), vs, m0));
        __m512 e1 = tk_exp512(_mm512_fmsub_ps(_mm512_loadu_ps(st + j * LANES + 16), vs, m1));
        _mm512_storeu_ps(st + j * LANES, e0);
        _mm512_storeu_ps(st + j * LANES + 16, e1);
        s0 = _mm512_add_ps(s0, e0);
        s1 = _mm512_add_ps(s1, e1);
    }
    __m512 inv0 = _mm512_div_ps(_mm512_set1_ps(1.0f), s0), inv1 = _mm512_div_ps(_mm512_set1_ps(1.0f), s1);
    for (long c0 = 0; c0 < d;) {
        long left = d - c0;
        int C = left >= 12 ? 12 : left >= 8 ? 8 : left >= 4 ? 4 : 1;
        if (C == 12) values_lanes(12, st, nk, vp + c0, d, ot, inv0, inv1);
        else if (C == 8) values_lanes(8, st, nk, vp + c0, d, ot, inv0, inv1);
        else if (C == 4) values_lanes(4, st, nk, vp + c0, d, ot, inv0, inv1);
        else values_lanes(1, st, nk, vp + c0, d, ot, inv0, inv1);
        for (long r = 0; r < rows; r++)
            for (int c = 0; c < C; c++) out[r * out_stride + c0 + c] = ot[c * LANES + r];
        c0 += C;
    }
}

TK_AVX512 int tk_attention_lanes512(const float *q, long q_stride, const float *k, long k_stride, const float *v,
                                    long v_stride, float *out, long out_stride, long nq, long nk, long d, float scale) {
    long kv = (nk * d + 15) / 16 * 16;           // segments start on 64-byte boundaries
    size_t floats = (size_t)(2 * kv + d * LANES + nk * LANES + 12 * LANES);
    float *kp = aligned_alloc(64, sizeof(float) * floats);
    if (!kp) return 0;
    float *vp = kp + kv, *qt = vp + kv, *st = qt + d * LANES, *ot = st + nk * LANES;
    for (long j = 0; j < nk; j++) {
        memcpy(kp + j * d, k + j * k_stride, sizeof(float) * (size_t)d);
        memcpy(vp + j * d, v + j * v_stride, sizeof(float) * (size_t)d);
    }
    for (long i0 = 0; i0 < nq; i0 += LANES) {
        long rows = nq - i0 < LANES ? nq - i0 : LANES;
        band_lanes(q + i0 * q_stride, q_stride, kp, vp, out + i0 * out_stride, out_stride, rows, nk, d, scale, qt, st, ot);
    }
    free(kp);
    return 1;
}
