#include "TensorKernels.h"
#include "isa.h"

// Explicit fmaf only: a contracted a * b + c would differ from the vector paths.
#pragma STDC FP_CONTRACT OFF

// Exact GELU, x Phi(x) = x/2 erfc(-x/sqrt 2), the same operations in every path (AVX-512, AVX2, the
// scalar tails and the generic loop: fmaf is the vector FMA, so every CPU and every tail length gives
// the same bits). With a = |x|, erfc(a/sqrt 2) = exp(-a^2/2) t G(t), t = 1/(1 + GELU_P a), where
// G(t) = erfcx(a/sqrt 2)/t is a degree-9 polynomial in t - 0.6 (a relative least-squares fit over
// a in [0, 13.2], relative error 1.5e-8). a^2/2 is split into its rounded value and the exact
// rounding error (fma), so exp(-a^2/2) keeps its accuracy in the tail. Measured over every float
// in [-13.1, 13.1] against 0.5 x erfc(-x/sqrt 2) in double: at most 6 ulp, mean 0.18 ulp; so the
// negative tail keeps its relative accuracy (the Abramowitz-Stegun erf used before was 2e-4 off
// near x = -4). Past |x| = 13.2 the result is x, or -0 where the exact one is subnormal.
#define GELU_P 0.4f
#define GELU_SHIFT 0.6f
#define GELU_CUT 13.2f
#define GELU_G9 0.0637517497f
#define GELU_G8 (-0.00569547387f)
#define GELU_G7 (-0.0975731313f)
#define GELU_G6 0.0677227154f
#define GELU_G5 0.101000659f
#define GELU_G4 (-0.172686681f)
#define GELU_G3 (-0.1365982f)
#define GELU_G2 0.392628193f
#define GELU_G1 0.775794327f
#define GELU_G0 0.638860106f

// G(u) by Horner's rule, for FMA = fmaf, _mm256_fmadd_ps or _mm512_fmadd_ps and SET1 its constant:
// one expression, so every path evaluates the same operations.
#define GELU_G(FMA, SET1, u)                                                                        \
    FMA(FMA(FMA(FMA(FMA(FMA(FMA(FMA(FMA(SET1(GELU_G9), u, SET1(GELU_G8)), u, SET1(GELU_G7)), u,      \
    SET1(GELU_G6)), u, SET1(GELU_G5)), u, SET1(GELU_G4)), u, SET1(GELU_G3)), u, SET1(GELU_G2)), u,     \
    SET1(GELU_G1)), u, SET1(GELU_G0))
#define GELU_SCALAR(v) (v)

static inline float tk_gelu1(float x) {
    float a = fminf(fabsf(x), GELU_CUT);
    float t = 1.0f / fmaf(GELU_P, a, 1.0f), u = t - GELU_SHIFT;
    float g = GELU_G(fmaf, GELU_SCALAR, u);
    float s = a * a, ds = fmaf(a, a, -s);                    // a^2 = s + ds exactly
    float e = tk_exp1(-0.5f * s);
    e = fmaf(e, -0.5f * ds, e);                               // exp(-s/2 - ds/2)
    float f = g * t, hx = 0.5f * x;                           // erfc(|x|/sqrt 2) = e f
    if (signbit(x)) return (hx * f) * (fabsf(x) > GELU_CUT ? 0.0f : e);   // e last: e f may be subnormal
    return x > GELU_CUT ? x : fmaf(-hx, e * f, x);
}

TK_AVX512 static inline __m512 tk_gelu512(__m512 x) {
    __m512 ax = _mm512_abs_ps(x), a = _mm512_min_ps(ax, _mm512_set1_ps(GELU_CUT));
    __m512 t = _mm512_div_ps(_mm512_set1_ps(1.0f), _mm512_fmadd_ps(_mm512_set1_ps(GELU_P), a, _mm512_set1_ps(1.0f)));
    __m512 u = _mm512_sub_ps(t, _mm512_set1_ps(GELU_SHIFT));
    __m512 g = GELU_G(_mm512_fmadd_ps, _mm512_set1_ps, u);
    __m512 s = _mm512_mul_ps(a, a), ds = _mm512_fmsub_ps(a, a, s);
    __m512 e = tk_exp512(_mm512_mul_ps(_mm512_set1_ps(-0.5f), s));
    e = _mm512_fmadd_ps(e, _mm512_mul_ps(_mm512_set1_ps(-0.5f), ds), e);
    __m512 f = _mm512_mul_ps(g, t), hx = _mm512_mul_ps(_mm512_set1_ps(0.5f), x), cut = _mm512_set1_ps(GELU_CUT);
    __m512 pos = _mm512_mask_blend_ps(_mm512_cmp_ps_mask(x, cut, _CMP_GT_OQ), _mm512_fnmadd_ps(hx, _mm512_mul_ps(e, f), x), x);
    __m512 en = _mm512_mask_blend_ps(_mm512_cmp_ps_mask(ax, cut, _CMP_GT_OQ), e, _mm512_setzero_ps());
    __mmask16 neg = _mm512_movepi32_mask(_mm512_castps_si512(x));   // sign bits, as signbit (-0 stays -0)
    return _mm512_mask_blend_ps(neg, pos, _mm512_mul_ps(_mm512_mul_ps(hx, f), en));
}

TK_AVX2 static inline __m256 tk_gelu256(__m256 x) {
    __m256 ax = _mm256_andnot_ps(_mm256_set1_ps(-0.0f), x), a = _mm256_min_ps(ax, _mm256_set1_ps(GELU_CUT));
    __m256 t = _mm256_div_ps(_mm256_set1_ps(1.0f), _mm256_fmadd_ps(_mm256_set1_ps(GELU_P), a, _mm256_set1_ps(1.0f)));
    __m256 u = _mm256_sub_ps(t, _mm256_set1_ps(GELU_SHIFT));
    __m256 g = GELU_G(_mm256_fmadd_ps, _mm256_set1_ps, u);
    __m256 s = _mm256_mul_ps(a, a), ds = _mm256_fmsub_ps(a, a, s);
    __m256 e = tk_exp256(_mm256_mul_ps(_mm256_set1_ps(-0.5f), s));
    e = _mm256_fmadd_ps(e, _mm256_mul_ps(_mm256_set1_ps(-0.5f), ds), e);
    __m256 f = _mm256_mul_ps(g, t), hx = _mm256_mul_ps(_mm256_set1_ps(0.5f), x), cut = _mm256_set1_ps(GELU_CUT);
    __m256 pos = _mm256_blendv_ps(_mm256_fnmadd_ps(hx, _mm256_mul_ps(e, f), x), x, _mm256_cmp_ps(x, cut, _CMP_GT_OQ));
    __m256 en = _mm256_andnot_ps(_mm256_cmp_ps(ax, cut, _CMP_GT_OQ), e);
    return _mm256_blendv_ps(pos, _mm256_mul_ps(_mm256_mul_ps(hx, f), en), x);    // by sign bit, as signbit
}

// y = x sigmoid(alpha x) = x / (1 + exp(-alpha x)); with_x = 0 gives sigmoid(x) (alpha 1).
TK_AVX512 static void x_sigmoid512(const float *x, float *y, long n, float alpha, int with_x) {
    __m512 na = _mm512_set1_ps(-alpha), one = _mm512_set1_ps(1.0f);
    for (long i = 0; i < n; i += 16) {
        __mmask16 k = n - i >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (n - i)) - 1);
        __m512 v = _mm512_maskz_loadu_ps(k, x + i);
        __m512 d = _mm512_add_ps(one, tk_exp512(_mm512_mul_ps(v, na)));
        _mm512_mask_storeu_ps(y + i, k, _mm512_div_ps(with_x ? v : one, d));
    }
}

TK_AVX2 static void x_sigmoid256(const float *x, float *y, long n, float alpha, int with_x) {
    __m256 na = _mm256_set1_ps(-alpha), one = _mm256_set1_ps(1.0f);
    long i = 0;
    for (; i + 8 <= n; i += 8) {
        __m256 v = _mm256_loadu_ps(x + i);
        __m256 d = _mm256_add_ps(one, tk_exp256(_mm256_mul_ps(v, na)));
        _mm256_storeu_ps(y + i, _mm256_div_ps(with_x ? v : one, d));
    }
    for (; i < n; i++) y[i] = (with_x ? x[i] : 1.0f) / (1.0f + tk_exp1(-alpha * x[i]));
}

static void x_sigmoid(const float *x, float *y, long n, float alpha, int with_x) {
    switch (tk_level()) {
    case TK_LEVEL_AVX512: x_sigmoid512(x, y, n, alpha, with_x); break;
    case TK_LEVEL_AVX2: x_sigmoid256(x, y, n, alpha, with_x); break;
    default: for (long i = 0; i < n; i++) y[i] = (with_x ? x[i] : 1.0f) / (1.0f + tk_exp1(-alpha * x[i]));
    }
}

void tk_x_sigmoid(const float *x, float *y, long n, float alpha) { x_sigmoid(x, y, n, alpha, 1); }
void tk_sigmoid(const float *x, float *y, long n) { x_sigmoid(x, y, n, 1.0f, 0); }

TK_AVX512 static void gelu512(const float *x, float *y, long n) {
    for (long i = 0; i < n; i += 16) {
        __mmask16 k = n - i >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (n - i)) - 1);
        _mm512_mask_storeu_ps(y + i, k, tk_gelu512(_mm512_maskz_loadu_ps(k, x + i)));
    }
}

TK_AVX2 static void gelu256(const float *x, float *y, long n) {
    long i = 0;
    for (; i + 8 <= n; i += 8) _mm256_storeu_ps(y + i, tk_gelu256(_mm256_loadu_ps(x + i)));
    for (; i < n; i++) y[i] = tk_gelu1(x[i]);
}

void tk_gelu(const float *x, float *y, long n) {
    switch (tk_level()) {
    case TK_LEVEL_AVX512: gelu512(x, y, n); break;
    case TK_LEVEL_AVX2: gelu256(x, y, n); break;
    default: for (long i = 0; i < n; i++) y[i] = tk_gelu1(x[i]);
    }
}
