// Run-time choice of instruction set, and vector exp for each (Cephes-style: n = round(x log2 e),
// r = x - n ln 2, degree-6 polynomial for e^r, scaled by 2^n; about 2 ulp on the clamped range).
#ifndef TK_ISA_H
#define TK_ISA_H
#include <immintrin.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define TK_AVX512 __attribute__((target("avx512f,avx512dq,avx512vl,avx512bw,fma")))
#define TK_AVX2 __attribute__((target("avx2,fma")))

enum tk_level { TK_GENERIC = 0, TK_LEVEL_AVX2 = 1, TK_LEVEL_AVX512 = 2 };

/// The widest level this CPU supports, lowered by the environment variable SWIFTCOMFY_ISA
/// ("avx512", "avx2" or "generic"; a level above the CPU's is capped at the CPU's), so the tests can
/// run the kernels of a machine they are not on. Every kernel file calls this, so the override
/// applies to all of them (and to Swift, through tk_isa()).
static inline enum tk_level tk_level(void) {
    static int level = -1;
    if (level < 0) {
        __builtin_cpu_init();
        int cpu = TK_GENERIC;
        if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq")
            && __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512bw")) cpu = TK_LEVEL_AVX512;
        else if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) cpu = TK_LEVEL_AVX2;
        const char *forced = getenv("SWIFTCOMFY_ISA");
        int cap = TK_LEVEL_AVX512;
        if (forced && strcmp(forced, "avx2") == 0) cap = TK_LEVEL_AVX2;
        else if (forced && strcmp(forced, "generic") == 0) cap = TK_GENERIC;
        level = cpu < cap ? cpu : cap;
    }
    return (enum tk_level)level;
}

#define TK_EXP_HI 88.3762626647949f
#define TK_EXP_LO (-103.0f)
#define TK_LOG2E 1.44269504088896341f
#define TK_LN2_HI 0.693359375f
#define TK_LN2_LO (-2.12194440e-4f)
#define TK_P0 1.9875691500e-4f
#define TK_P1 1.3981999507e-3f
#define TK_P2 8.3334519073e-3f
#define TK_P3 4.1665795894e-2f
#define TK_P4 1.6666665459e-1f
#define TK_P5 5.0000001201e-1f

TK_AVX512 static inline __m512 tk_exp512(__m512 x) {
    x = _mm512_min_ps(_mm512_max_ps(x, _mm512_set1_ps(TK_EXP_LO)), _mm512_set1_ps(TK_EXP_HI));
    __m512 n = _mm512_roundscale_ps(_mm512_mul_ps(x, _mm512_set1_ps(TK_LOG2E)), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m512 r = _mm512_fnmadd_ps(n, _mm512_set1_ps(TK_LN2_HI), x);
    r = _mm512_fnmadd_ps(n, _mm512_set1_ps(TK_LN2_LO), r);
    __m512 p = _mm512_set1_ps(TK_P0);
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(TK_P1));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(TK_P2));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(TK_P3));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(TK_P4));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(TK_P5));
    __m512 y = _mm512_fmadd_ps(_mm512_mul_ps(p, r), r, _mm512_add_ps(r, _mm512_set1_ps(1.0f)));
    return _mm512_scalef_ps(y, n);      // y * 2^n, underflowing to 0 below the float range
}

TK_AVX2 static inline __m256 tk_exp256(__m256 x) {
    // 2^n is built in the exponent field, valid for n >= -126: clamp x to ln(2^-126) first.
    x = _mm256_min_ps(_mm256_max_ps(x, _mm256_set1_ps(-87.3365478515625f)), _mm256_set1_ps(TK_EXP_HI));
    __m256 n = _mm256_round_ps(_mm256_mul_ps(x, _mm256_set1_ps(TK_LOG2E)), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m256 r = _mm256_fnmadd_ps(n, _mm256_set1_ps(TK_LN2_HI), x);
    r = _mm256_fnmadd_ps(n, _mm256_set1_ps(TK_LN2_LO), r);
    __m256 p = _mm256_set1_ps(TK_P0);
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(TK_P1));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(TK_P2));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(TK_P3));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(TK_P4));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(TK_P5));
    __m256 y = _mm256_fmadd_ps(_mm256_mul_ps(p, r), r, _mm256_add_ps(r, _mm256_set1_ps(1.0f)));
    __m256i e = _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127)), 23);
    return _mm256_mul_ps(y, _mm256_castsi256_ps(e));
}

/// tk_exp256 for one float, with the same operations (fmaf is the vector FMA), for the scalar tails
/// and the generic loops that must give the vector paths' bits.
static inline float tk_exp1(float x) {
    x = fminf(fmaxf(x, -87.3365478515625f), TK_EXP_HI);
    float n = rintf(x * TK_LOG2E);
    float r = fmaf(-n, TK_LN2_HI, x);
    r = fmaf(-n, TK_LN2_LO, r);
    float p = TK_P0;
    p = fmaf(p, r, TK_P1);
    p = fmaf(p, r, TK_P2);
    p = fmaf(p, r, TK_P3);
    p = fmaf(p, r, TK_P4);
    p = fmaf(p, r, TK_P5);
    float y = fmaf(p * r, r, r + 1.0f);
    int bits = ((int)n + 127) << 23;
    float scale;
    memcpy(&scale, &bits, sizeof scale);
    return y * scale;
}

/// row[j] = exp(scale * row[j] - m) for j < n; returns their sum (softmax.c; attention.c passes
/// the maximum it found while computing the scores).
TK_AVX512 float tk_exp_sum512(float *row, long n, float scale, float m);

/// Unmasked attention with queries across lanes (attention_lanes.c); same contract as tk_attention_head.
TK_AVX512 int tk_attention_lanes512(const float *q, long q_stride, const float *k, long k_stride, const float *v,
                                    long v_stride, float *out, long out_stride, long nq, long nk, long d, float scale);

#endif
