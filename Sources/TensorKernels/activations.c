#include "TensorKernels.h"
#include "isa.h"

// erf by Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7): erf(z) = 1 - t(a1 + t(a2 + ...)) e^(-z^2),
// t = 1 / (1 + p z) for z >= 0, odd in z.
#define TK_ERF_P 0.3275911f
#define TK_A1 0.254829592f
#define TK_A2 (-0.284496736f)
#define TK_A3 1.421413741f
#define TK_A4 (-1.453152027f)
#define TK_A5 1.061405429f

TK_AVX512 static inline __m512 tk_gelu512(__m512 x) {
    __m512 z = _mm512_mul_ps(_mm512_abs_ps(x), _mm512_set1_ps(0.70710678118654752f));
    __m512 t = _mm512_div_ps(_mm512_set1_ps(1.0f), _mm512_fmadd_ps(z, _mm512_set1_ps(TK_ERF_P), _mm512_set1_ps(1.0f)));
    __m512 p = _mm512_fmadd_ps(_mm512_set1_ps(TK_A5), t, _mm512_set1_ps(TK_A4));
    p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(TK_A3));
    p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(TK_A2));
    p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(TK_A1));
    p = _mm512_mul_ps(p, t);
    __m512 erfc = _mm512_mul_ps(p, tk_exp512(_mm512_sub_ps(_mm512_setzero_ps(), _mm512_mul_ps(z, z))));
    // x >= 0: x/2 (2 - erfc);  x < 0: x/2 erfc(|x|/sqrt 2)
    __mmask16 neg = _mm512_cmp_ps_mask(x, _mm512_setzero_ps(), _CMP_LT_OQ);
    __m512 factor = _mm512_mask_blend_ps(neg, _mm512_sub_ps(_mm512_set1_ps(2.0f), erfc), erfc);
    return _mm512_mul_ps(_mm512_mul_ps(x, _mm512_set1_ps(0.5f)), factor);
}

TK_AVX2 static inline __m256 tk_gelu256(__m256 x) {
    __m256 ax = _mm256_andnot_ps(_mm256_set1_ps(-0.0f), x);
    __m256 z = _mm256_mul_ps(ax, _mm256_set1_ps(0.70710678118654752f));
    __m256 t = _mm256_div_ps(_mm256_set1_ps(1.0f), _mm256_fmadd_ps(z, _mm256_set1_ps(TK_ERF_P), _mm256_set1_ps(1.0f)));
    __m256 p = _mm256_fmadd_ps(_mm256_set1_ps(TK_A5), t, _mm256_set1_ps(TK_A4));
    p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(TK_A3));
    p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(TK_A2));
    p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(TK_A1));
    p = _mm256_mul_ps(p, t);
    __m256 erfc = _mm256_mul_ps(p, tk_exp256(_mm256_sub_ps(_mm256_setzero_ps(), _mm256_mul_ps(z, z))));
    __m256 neg = _mm256_cmp_ps(x, _mm256_setzero_ps(), _CMP_LT_OQ);
    __m256 factor = _mm256_blendv_ps(_mm256_sub_ps(_mm256_set1_ps(2.0f), erfc), erfc, neg);
    return _mm256_mul_ps(_mm256_mul_ps(x, _mm256_set1_ps(0.5f)), factor);
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
    for (; i < n; i++) y[i] = (with_x ? x[i] : 1.0f) / (1.0f + expf(-alpha * x[i]));
}

static void x_sigmoid(const float *x, float *y, long n, float alpha, int with_x) {
    switch (tk_level()) {
    case TK_LEVEL_AVX512: x_sigmoid512(x, y, n, alpha, with_x); break;
    case TK_LEVEL_AVX2: x_sigmoid256(x, y, n, alpha, with_x); break;
    default: for (long i = 0; i < n; i++) y[i] = (with_x ? x[i] : 1.0f) / (1.0f + expf(-alpha * x[i]));
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
    for (; i < n; i++) y[i] = 0.5f * x[i] * (1.0f + erff(x[i] * 0.70710678118654752f));
}

void tk_gelu(const float *x, float *y, long n) {
    switch (tk_level()) {
    case TK_LEVEL_AVX512: gelu512(x, y, n); break;
    case TK_LEVEL_AVX2: gelu256(x, y, n); break;
    default: for (long i = 0; i < n; i++) y[i] = 0.5f * x[i] * (1.0f + erff(x[i] * 0.70710678118654752f));
    }
}
