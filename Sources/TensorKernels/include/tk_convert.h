// Element conversions for weights kept in their file dtype: widening F16, BF16 and the two F8
// formats to Float32 (exact), and rounding Float32 to F16 (nearest even, as torch's `.half()`).
// Each entry point has a `_at` form that runs the code of one instruction-set level (0 generic,
// 1 AVX2 + F16C, 2 AVX-512; a level above the CPU's runs the CPU's), for the tests.
#ifndef TK_CONVERT_H
#define TK_CONVERT_H
#include <stdint.h>

/// The instruction-set level the kernels use on this CPU (0 generic, 1 AVX2, 2 AVX-512).
int tk_kernel_level(void);

/// dst[i] = float(src[i]) for IEEE binary16 (NaNs come out quiet, as F16C's vcvtph2ps gives them).
void tk_widen_f16(const uint16_t *src, float *dst, long n);
void tk_widen_f16_at(int level, const uint16_t *src, float *dst, long n);

/// dst[i] = float(src[i]) for bfloat16 (the top half of a float32).
void tk_widen_bf16(const uint16_t *src, float *dst, long n);
void tk_widen_bf16_at(int level, const uint16_t *src, float *dst, long n);

/// dst[i] = float(src[i]) for float8 e4m3fn (no infinities; S.1111.111 is NaN).
void tk_widen_f8e4m3fn(const uint8_t *src, float *dst, long n);
void tk_widen_f8e4m3fn_at(int level, const uint8_t *src, float *dst, long n);

/// dst[i] = float(src[i]) for float8 e5m2 (the top byte of a binary16).
void tk_widen_f8e5m2(const uint8_t *src, float *dst, long n);
void tk_widen_f8e5m2_at(int level, const uint8_t *src, float *dst, long n);

/// dst[i] = binary16(src[i]), rounding to nearest even; overflow gives infinity, NaN stays NaN
/// (quiet, payload's top bits kept), as F16C's vcvtps2ph with round-to-nearest.
void tk_round_f16(const float *src, uint16_t *dst, long n);
void tk_round_f16_at(int level, const float *src, uint16_t *dst, long n);

/// x[i] *= s (the per-tensor scale of scaled-fp8 weights).
void tk_scale(float *x, long n, float s);

#endif
