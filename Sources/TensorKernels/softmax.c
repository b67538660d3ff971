#include "TensorKernels.h"
#include "isa.h"

TK_AVX512 static float softmax512(float *row, const float *mask, long n, float scale) {
    __m512 vmax = _mm512_set1_ps(-INFINITY), vs = _mm512_set1_ps(scale);
    long j = 0;
    if (mask) {
        for (; j + 16 <= n; j += 16) {
            __m512 t = _mm512_fmadd_ps(_mm512_loadu_ps(row + j), vs, _mm512_loadu_ps(mask + j));
            _mm512_storeu_ps(row + j, t);
            vmax = _mm512_max_ps(vmax, t);
        }
        if (j < n) {
            __mmask16 k = (__mmask16)((1u << (n - j)) - 1);
            __m512 t = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(k, row + j), vs, _mm512_maskz_loadu_ps(k, mask + j));
            _mm512_mask_storeu_ps(row + j, k, t);
            vmax = _mm512_mask_max_ps(vmax, k, vmax, t);
        }
        vs = _mm512_set1_ps(1.0f);       // the row now holds the scaled logits
    } else {
        __m512 vmax2 = vmax, vmax3 = vmax, vmax4 = vmax;   // four chains hide vmaxps latency
        for (; j + 64 <= n; j += 64) {
            vmax = _mm512_max_ps(vmax, _mm512_loadu_ps(row + j));
            vmax2 = _mm512_max_ps(vmax2, _mm512_loadu_ps(row + j + 16));
            vmax3 = _mm512_max_ps(vmax3, _mm512_loadu_ps(row + j + 32));
            vmax4 = _mm512_max_ps(vmax4, _mm512_loadu_ps(row + j + 48));
        }
        vmax = _mm512_max_ps(_mm512_max_ps(vmax, vmax2), _mm512_max_ps(vmax3, vmax4));
        for (; j + 16 <= n; j += 16) vmax = _mm512_max_ps(vmax, _mm512_loadu_ps(row + j));
        if (j < n) {
            __mmask16 k = (__mmask16)((1u << (n - j)) - 1);
            vmax = _mm512_mask_max_ps(vmax, k, vmax, _mm512_maskz_loadu_ps(k, row + j));
        }
        vmax = _mm512_mul_ps(vmax, vs);  // scale > 0, so max(scale x) = scale max(x)
    }
    float m = _mm512_reduce_max_ps(vmax);
    if (m == -INFINITY) {
        for (j = 0; j < n; j++) row[j] = 0;
        return 0;
    }
    return tk_exp_sum512(row, n, mask ? 1.0f : scale, m);
}

TK_AVX512 float tk_exp_sum512(float *row, long n, float scale, float m) {
    __m512 vs = _mm512_set1_ps(scale), vm = _mm512_set1_ps(m), vsum = _mm512_setzero_ps(), vsum2 = _mm512_setzero_ps();
    long j;
    for (j = 0; j + 32 <= n; j += 32) {      // two independent chains keep both FMA ports busy
        __m512 e = tk_exp512(_mm512_fmsub_ps(_mm512_loadu_ps(row + j), vs, vm));
        __m512 e2 = tk_exp512(_mm512_fmsub_ps(_mm512_loadu_ps(row + j + 16), vs, vm));
        _mm512_storeu_ps(row + j, e);
        _mm512_storeu_ps(row + j + 16, e2);
        vsum = _mm512_add_ps(vsum, e);
        vsum2 = _mm512_add_ps(vsum2, e2);
    }
    vsum = _mm512_add_ps(vsum, vsum2);
    for (; j + 16 <= n; j += 16) {
        __m512 e = tk_exp512(_mm512_fmsub_ps(_mm512_loadu_ps(row + j), vs, vm));
        _mm512_storeu_ps(row + j, e);
        vsum = _mm512_add_ps(vsum, e);
    }
    if (j < n) {
        __mmask16 k = (__mmask16)((1u << (n - j)) - 1);
        __m512 e = tk_exp512(_mm512_fmsub_ps(_mm512_maskz_loadu_ps(k, row + j), vs, vm));
        _mm512_mask_storeu_ps(row + j, k, e);
        vsum = _mm512_mask_add_ps(vsum, k, vsum, e);
    }
    return _mm512_reduce_add_ps(vsum);
}

TK_AVX2 static float softmax256(float *row, const float *mask, long n, float scale) {
    float m = -INFINITY;
    __m256 vmax = _mm256_set1_ps(-INFINITY), vs = _mm256_set1_ps(scale);
    long j = 0;
    if (mask) {
        for (; j + 8 <= n; j += 8) {
            __m256 t = _mm256_fmadd_ps(_mm256_loadu_ps(row + j), vs, _mm256_loadu_ps(mask + j));
            _mm256_storeu_ps(row + j, t);
            vmax = _mm256_max_ps(vmax, t);
        }
        for (; j < n; j++) { row[j] = row[j] * scale + mask[j]; if (row[j] > m) m = row[j]; }
        scale = 1.0f;
    } else {
        for (; j + 8 <= n; j += 8) vmax = _mm256_max_ps(vmax, _mm256_loadu_ps(row + j));
        for (; j < n; j++) if (row[j] > m) m = row[j];
    }
    float lanes[8];
    _mm256_storeu_ps(lanes, vmax);
    float raw = m;
    for (int i = 0; i < 8; i++) if (lanes[i] > raw) raw = lanes[i];
    m = mask ? raw : raw * scale;
    if (m == -INFINITY) {
        for (j = 0; j < n; j++) row[j] = 0;
        return 0;
    }
    vs = _mm256_set1_ps(scale);
    __m256 vm = _mm256_set1_ps(m), vsum = _mm256_setzero_ps();
    for (j = 0; j + 8 <= n; j += 8) {
        __m256 e = tk_exp256(_mm256_fmsub_ps(_mm256_loadu_ps(row + j), vs, vm));
        _mm256_storeu_ps(row + j, e);
        vsum = _mm256_add_ps(vsum, e);
    }
    _mm256_storeu_ps(lanes, vsum);
    float sum = 0;
    for (int i = 0; i < 8; i++) sum += lanes[i];
    for (; j < n; j++) { row[j] = expf(row[j] * scale - m); sum += row[j]; }
    return sum;
}

static float softmax_generic(float *row, const float *mask, long n, float scale) {
    float m = -INFINITY;
    for (long j = 0; j < n; j++) {
        if (mask) row[j] = row[j] * scale + mask[j];
        if (row[j] > m) m = row[j];
    }
    if (mask) scale = 1.0f; else m *= scale;
    if (m == -INFINITY) {
        for (long j = 0; j < n; j++) row[j] = 0;
        return 0;
    }
    float sum = 0;
    for (long j = 0; j < n; j++) { row[j] = expf(row[j] * scale - m); sum += row[j]; }
    return sum;
}

float tk_softmax_numerators(float *row, const float *mask, long n, float scale) {
    switch (tk_level()) {
    case TK_LEVEL_AVX512: return softmax512(row, mask, n, scale);
    case TK_LEVEL_AVX2: return softmax256(row, mask, n, scale);
    default: return softmax_generic(row, mask, n, scale);
    }
}

const char *tk_isa(void) {
    switch (tk_level()) {
    case TK_LEVEL_AVX512: return "avx512";
    case TK_LEVEL_AVX2: return "avx2";
    default: return "generic";
    }
}
