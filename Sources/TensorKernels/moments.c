#include "TensorKernels.h"
#include "isa.h"

TK_AVX512 static void moments512(const float *x, long n, double *sum, double *sum_squares) {
    __m512d s0 = _mm512_setzero_pd(), s1 = _mm512_setzero_pd(), q0 = _mm512_setzero_pd(), q1 = _mm512_setzero_pd();
    long i = 0;
    for (; i + 16 <= n; i += 16) {
        __m512 v = _mm512_loadu_ps(x + i);
        __m512d lo = _mm512_cvtps_pd(_mm512_castps512_ps256(v));
        __m512d hi = _mm512_cvtps_pd(_mm512_extractf32x8_ps(v, 1));
        s0 = _mm512_add_pd(s0, lo); s1 = _mm512_add_pd(s1, hi);
        q0 = _mm512_fmadd_pd(lo, lo, q0); q1 = _mm512_fmadd_pd(hi, hi, q1);
    }
    double s = _mm512_reduce_add_pd(_mm512_add_pd(s0, s1)), q = _mm512_reduce_add_pd(_mm512_add_pd(q0, q1));
    for (; i < n; i++) { s += x[i]; q += (double)x[i] * x[i]; }
    *sum = s; *sum_squares = q;
}

TK_AVX2 static void moments256(const float *x, long n, double *sum, double *sum_squares) {
    __m256d s0 = _mm256_setzero_pd(), s1 = _mm256_setzero_pd(), q0 = _mm256_setzero_pd(), q1 = _mm256_setzero_pd();
    long i = 0;
    for (; i + 8 <= n; i += 8) {
        __m256 v = _mm256_loadu_ps(x + i);
        __m256d lo = _mm256_cvtps_pd(_mm256_castps256_ps128(v)), hi = _mm256_cvtps_pd(_mm256_extractf128_ps(v, 1));
        s0 = _mm256_add_pd(s0, lo); s1 = _mm256_add_pd(s1, hi);
        q0 = _mm256_fmadd_pd(lo, lo, q0); q1 = _mm256_fmadd_pd(hi, hi, q1);
    }
    double ls[4], lq[4];
    _mm256_storeu_pd(ls, _mm256_add_pd(s0, s1));
    _mm256_storeu_pd(lq, _mm256_add_pd(q0, q1));
    double s = ls[0] + ls[1] + ls[2] + ls[3], q = lq[0] + lq[1] + lq[2] + lq[3];
    for (; i < n; i++) { s += x[i]; q += (double)x[i] * x[i]; }
    *sum = s; *sum_squares = q;
}

void tk_moments(const float *x, long n, double *sum, double *sum_squares) {
    switch (tk_level()) {
    case TK_LEVEL_AVX512: moments512(x, n, sum, sum_squares); break;
    case TK_LEVEL_AVX2: moments256(x, n, sum, sum_squares); break;
    default: {
        double s = 0, q = 0;
        for (long i = 0; i < n; i++) { s += x[i]; q += (double)x[i] * x[i]; }
        *sum = s; *sum_squares = q;
    }
    }
}
