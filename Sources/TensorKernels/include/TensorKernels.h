// TensorKernels: the few inner loops of TensorCore that need vector math Swift cannot emit for a
// baseline x86-64 target (exp on AVX-512 / AVX2). Each entry point picks the widest instruction
// set the CPU supports at run time (or the one SWIFTCOMFY_ISA=avx512|avx2|generic caps it at) and
// falls back to plain C elsewhere.
#ifndef TENSOR_KERNELS_H
#define TENSOR_KERNELS_H
#include "tk_convert.h"

/// Softmax numerators of one row, in place: row[j] = exp(scale * row[j] + mask[j] - m) where m is
/// the row's maximum of scale * row[j] + mask[j] (mask may be NULL). Returns the sum of the new
/// row; returns 0 (and zeroes the row) when every entry is -inf.
float tk_softmax_numerators(float *row, const float *mask, long n, float scale);

/// y[i] = x[i] * sigmoid(alpha * x[i]) (SiLU: alpha 1; quick-GELU: alpha 1.702). y may equal x.
void tk_x_sigmoid(const float *x, float *y, long n, float alpha);

/// y[i] = sigmoid(x[i]). y may equal x.
void tk_sigmoid(const float *x, float *y, long n);

/// y[i] = x[i] / 2 * (1 + erf(x[i] / sqrt 2)) (exact GELU; within 6 ulp, the negative tail included,
/// and the same bits on every CPU and for every n). y may equal x.
void tk_gelu(const float *x, float *y, long n);

/// Attention for one (item, head) and a range of queries, fused so scores stay in cache (without a
/// mask: queries across vector lanes, attention_lanes.c; with one: queries by rows, attention.c):
/// out[i] = softmax(scale * q[i] . k[j] + mask[i][j]) v, for i < nq, j < nk, vectors of length d.
/// Rows of q, k, v, out and mask are `*_stride` floats apart (mask_stride 0: one row for all;
/// mask NULL: no mask). Returns 0 when this CPU has no kernel for it (the caller falls back).
int tk_attention_head(const float *q, long q_stride, const float *k, long k_stride, const float *v, long v_stride,
                      float *out, long out_stride, const float *mask, long mask_stride,
                      long nq, long nk, long d, float scale);

/// Direct 3x3 stride-1 convolution (F.conv2d with zero padding `pad`), for output rows [y0, y1):
/// out[co][y][x] = bias[co] + sum over ci, ky, kx of wt[co][ci][ky][kx] * xp[ci][y + ky][x + kx],
/// with x [cin][h][w], xp that image zero-padded by `pad` on every side, wt [cout][cin][3][3]
/// (PyTorch's layout), out [cout][h + 2 pad - 2][w + 2 pad - 2]. bias may be NULL.
/// Returns 0 when this CPU has no kernel for it (the caller falls back).
int tk_conv3x3(const float *x, long cin, long h, long w, long pad, const float *wt, long cout, const float *bias,
               float *out, long y0, long y1);

/// Sum and sum of squares of x[0 ..< n], accumulated in double.
void tk_moments(const float *x, long n, double *sum, double *sum_squares);

/// The instruction set the kernels use on this CPU: "avx512", "avx2" or "generic".
const char *tk_isa(void);

#endif
