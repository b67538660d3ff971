// Weight element conversions (tk_convert.h): one generic C form (bit operations, the spec the
// tests compare against) and vector forms for AVX2 + F16C and AVX-512, chosen by tk_level().
#include <string.h>
#include "TensorKernels.h"
#include "isa.h"

#define TK_AVX2_F16C __attribute__((target("avx2,fma,f16c")))

int tk_kernel_level(void) { return (int)tk_level(); }

static int clamp_level(int level) { int max = (int)tk_level(); return level > max ? max : level; }

// MARK: generic forms

static inline float bits_float(uint32_t b) { float f; memcpy(&f, &b, 4); return f; }
static inline uint32_t float_bits(float f) { uint32_t b; memcpy(&b, &f, 4); return b; }

static inline float half_float(uint16_t h) {
    uint32_t sign = (uint32_t)(h & 0x8000) << 16, exponent = (h >> 10) & 0x1F, mantissa = h & 0x3FF;
    if (exponent == 0) return bits_float(float_bits((float)mantissa * 0x1p-24f) | sign);  // zero, subnormal
    if (exponent == 31) return bits_float(sign | 0x7F800000u | mantissa << 13 | (mantissa ? 0x400000u : 0));
    return bits_float(sign | (exponent + 112) << 23 | mantissa << 13);
}

static inline uint16_t float_half(float f) {
    uint32_t bits = float_bits(f), magnitude = bits & 0x7FFFFFFFu;
    uint16_t sign = (uint16_t)((bits >> 16) & 0x8000);
    if (magnitude >= 0x7F800000u) {                                   // inf or NaN
        uint16_t payload = (uint16_t)((magnitude >> 13) & 0x3FF);
        return sign | 0x7C00 | (magnitude > 0x7F800000u ? (0x200 | payload) : 0);
    }
    if (magnitude >= 0x477FF000u) return sign | 0x7C00;               // rounds to 65536 or more
    if (magnitude < 0x38800000u) {                                    // below 2^-14: subnormal half
        // Adding 0.5 leaves an ulp of 2^-24 (the half subnormal step): the FPU rounds to even.
        float shifted = bits_float(magnitude) + 0.5f;
        return sign | (uint16_t)(float_bits(shifted) - 0x3F000000u);
    }
    uint32_t odd = (magnitude >> 13) & 1;
    return sign | (uint16_t)((magnitude + 0xC8000FFFu + odd) >> 13);  // rebias exponent, round
}

static inline float e4m3fn_float(uint8_t b) {
    uint32_t sign = (uint32_t)(b & 0x80) << 24;
    if ((b & 0x7F) == 0x7F) return bits_float(sign | 0x7FC00000u);
    // The magnitude bits shifted into a half are the value times 2^-8 (also for subnormals).
    return bits_float(float_bits(half_float((uint16_t)((b & 0x7F) << 7)) * 256.0f) | sign);
}

static void widen_f16_c(const uint16_t *s, float *d, long n) { for (long i = 0; i < n; i++) d[i] = half_float(s[i]); }
static void widen_bf16_c(const uint16_t *s, float *d, long n) { for (long i = 0; i < n; i++) d[i] = bits_float((uint32_t)s[i] << 16); }
static void widen_e4m3_c(const uint8_t *s, float *d, long n) { for (long i = 0; i < n; i++) d[i] = e4m3fn_float(s[i]); }
static void widen_e5m2_c(const uint8_t *s, float *d, long n) { for (long i = 0; i < n; i++) d[i] = half_float((uint16_t)(s[i] << 8)); }
static void round_f16_c(const float *s, uint16_t *d, long n) { for (long i = 0; i < n; i++) d[i] = float_half(s[i]); }

// MARK: AVX2 + F16C (8 lanes)

TK_AVX2_F16C static void widen_f16_256(const uint16_t *s, float *d, long n) {
    long i = 0;
    for (; i + 8 <= n; i += 8) _mm256_storeu_ps(d + i, _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(s + i))));
    widen_f16_c(s + i, d + i, n - i);
}

TK_AVX2_F16C static void widen_bf16_256(const uint16_t *s, float *d, long n) {
    long i = 0;
    for (; i + 8 <= n; i += 8) {
        __m256i v = _mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i *)(s + i)));
        _mm256_storeu_si256((__m256i *)(d + i), _mm256_slli_epi32(v, 16));
    }
    widen_bf16_c(s + i, d + i, n - i);
}

TK_AVX2_F16C static void widen_e4m3_256(const uint8_t *s, float *d, long n) {
    long i = 0;
    const __m256 scale = _mm256_set1_ps(256.0f), nan = _mm256_castsi256_ps(_mm256_set1_epi32(0x7FC00000));
    for (; i + 8 <= n; i += 8) {
        __m256i b = _mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)(s + i)));
        __m256i magnitude = _mm256_and_si256(b, _mm256_set1_epi32(0x7F));
        __m256i sign = _mm256_slli_epi32(_mm256_and_si256(b, _mm256_set1_epi32(0x80)), 24);
        __m256i h32 = _mm256_slli_epi32(magnitude, 7);
        __m128i h16 = _mm_packus_epi32(_mm256_castsi256_si128(h32), _mm256_extracti128_si256(h32, 1));
        __m256 v = _mm256_mul_ps(_mm256_cvtph_ps(h16), scale);
        __m256 isnan = _mm256_castsi256_ps(_mm256_cmpeq_epi32(magnitude, _mm256_set1_epi32(0x7F)));
        v = _mm256_blendv_ps(v, nan, isnan);
        _mm256_storeu_ps(d + i, _mm256_or_ps(v, _mm256_castsi256_ps(sign)));
    }
    widen_e4m3_c(s + i, d + i, n - i);
}

TK_AVX2_F16C static void widen_e5m2_256(const uint8_t *s, float *d, long n) {
    long i = 0;
    for (; i + 8 <= n; i += 8) {
        __m128i h = _mm_slli_epi16(_mm_cvtepu8_epi16(_mm_loadl_epi64((const __m128i *)(s + i))), 8);
        _mm256_storeu_ps(d + i, _mm256_cvtph_ps(h));
    }
    widen_e5m2_c(s + i, d + i, n - i);
}

TK_AVX2_F16C static void round_f16_256(const float *s, uint16_t *d, long n) {
    long i = 0;
    for (; i + 8 <= n; i += 8)
        _mm_storeu_si128((__m128i *)(d + i), _mm256_cvtps_ph(_mm256_loadu_ps(s + i), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
    round_f16_c(s + i, d + i, n - i);
}

// MARK: AVX-512 (16 lanes)

TK_AVX512 static void widen_f16_512(const uint16_t *s, float *d, long n) {
    long i = 0;
    for (; i + 16 <= n; i += 16) _mm512_storeu_ps(d + i, _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(s + i))));
    if (i < n) {
        __mmask16 m = (__mmask16)((1u << (n - i)) - 1);
        _mm512_mask_storeu_ps(d + i, m, _mm512_cvtph_ps(_mm256_maskz_loadu_epi16(m, s + i)));
    }
}

TK_AVX512 static void widen_bf16_512(const uint16_t *s, float *d, long n) {
    long i = 0;
    for (; i + 16 <= n; i += 16) {
        __m512i v = _mm512_cvtepu16_epi32(_mm256_loadu_si256((const __m256i *)(s + i)));
        _mm512_storeu_si512(d + i, _mm512_slli_epi32(v, 16));
    }
    if (i < n) {
        __mmask16 m = (__mmask16)((1u << (n - i)) - 1);
        __m512i v = _mm512_cvtepu16_epi32(_mm256_maskz_loadu_epi16(m, s + i));
        _mm512_mask_storeu_epi32(d + i, m, _mm512_slli_epi32(v, 16));
    }
}

TK_AVX512 static inline __m512 e4m3_512(__m128i bytes) {
    __m512i b = _mm512_cvtepu8_epi32(bytes);
    __m512i magnitude = _mm512_and_si512(b, _mm512_set1_epi32(0x7F));
    __m512i sign = _mm512_slli_epi32(_mm512_and_si512(b, _mm512_set1_epi32(0x80)), 24);
    __m256i h = _mm512_cvtepi32_epi16(_mm512_slli_epi32(magnitude, 7));
    __m512 v = _mm512_mul_ps(_mm512_cvtph_ps(h), _mm512_set1_ps(256.0f));
    __mmask16 isnan = _mm512_cmpeq_epi32_mask(magnitude, _mm512_set1_epi32(0x7F));
    v = _mm512_mask_mov_ps(v, isnan, _mm512_castsi512_ps(_mm512_set1_epi32(0x7FC00000)));
    return _mm512_or_ps(v, _mm512_castsi512_ps(sign));
}

TK_AVX512 static void widen_e4m3_512(const uint8_t *s, float *d, long n) {
    long i = 0;
    for (; i + 16 <= n; i += 16) _mm512_storeu_ps(d + i, e4m3_512(_mm_loadu_si128((const __m128i *)(s + i))));
    if (i < n) {
        __mmask16 m = (__mmask16)((1u << (n - i)) - 1);
        _mm512_mask_storeu_ps(d + i, m, e4m3_512(_mm_maskz_loadu_epi8(m, s + i)));
    }
}

TK_AVX512 static inline __m512 e5m2_512(__m128i bytes) {
    return _mm512_cvtph_ps(_mm256_slli_epi16(_mm256_cvtepu8_epi16(bytes), 8));
}

TK_AVX512 static void widen_e5m2_512(const uint8_t *s, float *d, long n) {
    long i = 0;
    for (; i + 16 <= n; i += 16) _mm512_storeu_ps(d + i, e5m2_512(_mm_loadu_si128((const __m128i *)(s + i))));
    if (i < n) {
        __mmask16 m = (__mmask16)((1u << (n - i)) - 1);
        _mm512_mask_storeu_ps(d + i, m, e5m2_512(_mm_maskz_loadu_epi8(m, s + i)));
    }
}

TK_AVX512 static void round_f16_512(const float *s, uint16_t *d, long n) {
    long i = 0;
    for (; i + 16 <= n; i += 16)
        _mm256_storeu_si256((__m256i *)(d + i), _mm512_cvtps_ph(_mm512_loadu_ps(s + i), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
    if (i < n) {
        __mmask16 m = (__mmask16)((1u << (n - i)) - 1);
        __m256i h = _mm512_cvtps_ph(_mm512_maskz_loadu_ps(m, s + i), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
        _mm256_mask_storeu_epi16(d + i, m, h);
    }
}

TK_AVX512 static void scale_512(float *x, long n, float s) {
    long i = 0;
    __m512 v = _mm512_set1_ps(s);
    for (; i + 16 <= n; i += 16) _mm512_storeu_ps(x + i, _mm512_mul_ps(_mm512_loadu_ps(x + i), v));
    for (; i < n; i++) x[i] *= s;
}

// MARK: dispatch

#define TK_DISPATCH(name, T, U)                                                      \
    void tk_##name##_at(int level, const T *src, U *dst, long n) {                   \
        switch (clamp_level(level)) {                                                \
        case TK_LEVEL_AVX512: name##_512(src, dst, n); break;                        \
        case TK_LEVEL_AVX2: name##_256(src, dst, n); break;                          \
        default: name##_c(src, dst, n);                                              \
        }                                                                            \
    }                                                                                \
    void tk_##name(const T *src, U *dst, long n) { tk_##name##_at((int)tk_level(), src, dst, n); }

#define widen_f8e4m3fn_512 widen_e4m3_512
#define widen_f8e4m3fn_256 widen_e4m3_256
#define widen_f8e4m3fn_c widen_e4m3_c
#define widen_f8e5m2_512 widen_e5m2_512
#define widen_f8e5m2_256 widen_e5m2_256
#define widen_f8e5m2_c widen_e5m2_c

TK_DISPATCH(widen_f16, uint16_t, float)
TK_DISPATCH(widen_bf16, uint16_t, float)
TK_DISPATCH(widen_f8e4m3fn, uint8_t, float)
TK_DISPATCH(widen_f8e5m2, uint8_t, float)
TK_DISPATCH(round_f16, float, uint16_t)

void tk_scale(float *x, long n, float s) {
    if (tk_level() == TK_LEVEL_AVX512) { scale_512(x, n, s); return; }
    for (long i = 0; i < n; i++) x[i] *= s;
}
