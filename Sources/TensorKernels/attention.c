// Masked fused attention for AVX-512 (unmasked heads go to attention_lanes.c): per band of 36 queries, S = Q K^T (K packed transposed, 6 rows x 64 keys per
// register tile), softmax numerators in place, O = P V (9 rows x 48 columns per register tile),
// then O /= row sums. The band's scores (36 x nk floats) stay in L2; nothing is packed per band.
#include <stdlib.h>
#include <string.h>
#include "TensorKernels.h"
#include "isa.h"

#define BAND 36      // rows per band: a multiple of both register tiles (6 and 9 rows)
#define KEYS 64      // keys per S register tile (4 vectors)

// S[r][j0 .. j0+64) for R rows of q: kt is this tile of K transposed, [d][64] contiguous.
#define TK_INLINE static inline __attribute__((always_inline))

// mx[r] accumulates the row's maximum over the valid keys (mask `valid` per vector of this tile).
TK_AVX512 TK_INLINE void scores_tile(int R, const float *q, long qs, const float *kt, long nkp,
                                     long d, float *s, long ss, __m512 *mx, const __mmask16 *valid) {
    __m512 acc[8][4];
    for (int r = 0; r < R; r++) for (int t = 0; t < 4; t++) acc[r][t] = _mm512_setzero_ps();
    for (long e = 0; e < d; e++) {
        const float *kr = kt + e * KEYS;
        __m512 k0 = _mm512_loadu_ps(kr), k1 = _mm512_loadu_ps(kr + 16), k2 = _mm512_loadu_ps(kr + 32), k3 = _mm512_loadu_ps(kr + 48);
        for (int r = 0; r < R; r++) {
            __m512 qb = _mm512_set1_ps(q[r * qs + e]);
            acc[r][0] = _mm512_fmadd_ps(qb, k0, acc[r][0]);
            acc[r][1] = _mm512_fmadd_ps(qb, k1, acc[r][1]);
            acc[r][2] = _mm512_fmadd_ps(qb, k2, acc[r][2]);
            acc[r][3] = _mm512_fmadd_ps(qb, k3, acc[r][3]);
        }
    }
    for (int r = 0; r < R; r++) {
        __m512 m = mx[r];
        for (int t = 0; t < 4; t++) {
            _mm512_storeu_ps(s + r * ss + 16 * t, acc[r][t]);
            m = _mm512_mask_max_ps(m, valid[t], m, acc[r][t]);
        }
        mx[r] = m;
    }
}

// out[r][c0 .. c0+48) = sum_j p[r][j] v[j][c0 ..] for R rows, masking columns at d.
TK_AVX512 TK_INLINE void values_tile(int R, const float *p, long ps, const float *v, long vs, long nk,
                                     long c0, long d, float *o, long os, const float *inv) {
    __m512 acc[9][3];
    __mmask16 m[3];
    for (int t = 0; t < 3; t++) {
        long left = d - c0 - 16 * t;
        m[t] = left >= 16 ? (__mmask16)0xFFFF : left <= 0 ? (__mmask16)0 : (__mmask16)((1u << left) - 1);
    }
    for (int r = 0; r < R; r++) for (int t = 0; t < 3; t++) acc[r][t] = _mm512_setzero_ps();
    for (long j = 0; j < nk; j++) {
        const float *vr = v + j * vs + c0;
        __m512 v0 = _mm512_maskz_loadu_ps(m[0], vr), v1 = _mm512_maskz_loadu_ps(m[1], vr + 16), v2 = _mm512_maskz_loadu_ps(m[2], vr + 32);
        for (int r = 0; r < R; r++) {
            __m512 pb = _mm512_set1_ps(p[r * ps + j]);
            acc[r][0] = _mm512_fmadd_ps(pb, v0, acc[r][0]);
            acc[r][1] = _mm512_fmadd_ps(pb, v1, acc[r][1]);
            acc[r][2] = _mm512_fmadd_ps(pb, v2, acc[r][2]);
        }
    }
    for (int r = 0; r < R; r++) {
        __m512 sc = _mm512_set1_ps(inv[r]);
        for (int t = 0; t < 3; t++) _mm512_mask_storeu_ps(o + r * os + c0 + 16 * t, m[t], _mm512_mul_ps(acc[r][t], sc));
    }
}

TK_AVX512 static void scores_band(const float *q, long qs, const float *kt, long nkp, long nk, long d, float *s,
                                  long rows, __m512 *mx) {
    for (long r = 0; r < rows; r++) mx[r] = _mm512_set1_ps(-INFINITY);
    for (long j0 = 0; j0 < nkp; j0 += KEYS) {
        __mmask16 valid[4];
        for (int t = 0; t < 4; t++) {
            long left = nk - j0 - 16 * t;
            valid[t] = left >= 16 ? (__mmask16)0xFFFF : left <= 0 ? (__mmask16)0 : (__mmask16)((1u << left) - 1);
        }
        long r = 0;
        const float *tile = kt + j0 * d;
        // 6 rows x 4 vectors = 24 accumulators + 4 keys + 1 broadcast fit the 32 registers.
        for (; r + 6 <= rows; r += 6) scores_tile(6, q + r * qs, qs, tile, nkp, d, s + r * nkp + j0, nkp, mx + r, valid);
        for (; r < rows; r++) scores_tile(1, q + r * qs, qs, tile, nkp, d, s + r * nkp + j0, nkp, mx + r, valid);
    }
}

TK_AVX512 static void values_band(const float *p, long nkp, const float *v, long vs, long nk, long d,
                                  float *o, long os, const float *inv, long rows) {
    for (long c0 = 0; c0 < d; c0 += 48) {
        long r = 0;
        for (; r + 9 <= rows; r += 9) values_tile(9, p + r * nkp, nkp, v, vs, nk, c0, d, o + r * os, os, inv + r);
        for (; r < rows; r++) values_tile(1, p + r * nkp, nkp, v, vs, nk, c0, d, o + r * os, os, inv + r);
    }
}

TK_AVX512 static int attention512(const float *q, long q_stride, const float *k, long k_stride, const float *v,
                                  long v_stride, float *out, long out_stride, const float *mask, long mask_stride,
                                  long nq, long nk, long d, float scale) {
    long nkp = (nk + KEYS - 1) / KEYS * KEYS;
    long dp = (d + 15) / 16 * 16;
    size_t bytes = sizeof(float) * (size_t)(d * nkp + nk * dp + BAND * nkp + BAND);
    float *kt = aligned_alloc(64, (bytes + 63) / 64 * 64);
    if (!kt) return 0;
    float *vp = kt + d * nkp, *s = vp + nk * dp, *inv = s + BAND * nkp;
    for (long j = 0; j < nk; j++) {     // v rows packed contiguously (stream from L2, not strided)
        memcpy(vp + j * dp, v + j * v_stride, sizeof(float) * (size_t)d);
        memset(vp + j * dp + d, 0, sizeof(float) * (size_t)(dp - d));
    }
    // K transposed in tiles of 64 keys, each [d][64] contiguous (no L1 set conflicts between rows).
    memset(kt, 0, sizeof(float) * (size_t)(d * nkp));
    for (long j = 0; j < nk; j++) {
        float *tile = kt + (j / KEYS) * KEYS * d + (j % KEYS);
        for (long e = 0; e < d; e++) tile[e * KEYS] = k[j * k_stride + e];
    }
    for (long i0 = 0; i0 < nq; i0 += BAND) {
        long rows = nq - i0 < BAND ? nq - i0 : BAND;
        __m512 mx[BAND];
        scores_band(q + i0 * q_stride, q_stride, kt, nkp, nk, d, s, rows, mx);
        for (long r = 0; r < rows; r++) {
            float sum;
            if (mask) {
                sum = tk_softmax_numerators(s + r * nkp, mask + (i0 + r) * mask_stride, nk, scale);
            } else {                    // the maximum is known from the scores pass: skip a pass
                float m = _mm512_reduce_max_ps(mx[r]) * scale;
                sum = tk_exp_sum512(s + r * nkp, nk, scale, m);
            }
            inv[r] = sum > 0 ? 1.0f / sum : 0.0f;
        }
        values_band(s, nkp, vp, dp, nk, d, out + i0 * out_stride, out_stride, inv, rows);
    }
    free(kt);
    return 1;
}

int tk_attention_head(const float *q, long q_stride, const float *k, long k_stride, const float *v, long v_stride,
                      float *out, long out_stride, const float *mask, long mask_stride,
                      long nq, long nk, long d, float scale) {
    if (tk_level() != TK_LEVEL_AVX512 || d > 256 || nk <= 0 || nq <= 0) return 0;
    if (!mask)      // queries across lanes: no padded lanes, measured ~10% faster at head size 40
        return tk_attention_lanes512(q, q_stride, k, k_stride, v, v_stride, out, out_stride, nq, nk, d, scale);
    return attention512(q, q_stride, k, k_stride, v, v_stride, out, out_stride, mask, mask_stride, nq, nk, d, scale);
}
