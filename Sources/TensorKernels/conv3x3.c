// Direct 3x3 convolution for AVX-512 (implicit GEMM): a register tile of 8 output channels x 32
// pixels of one row accumulates over cin x 9 taps, loading pixels straight from the padded input
// (no im2col buffer, no packing) and broadcasting weights from their own [cout][cin*9] layout.
#include <stdlib.h>
#include <string.h>
#include "TensorKernels.h"
#include "isa.h"

#define TK_INLINE static inline __attribute__((always_inline))

TK_AVX512 TK_INLINE void conv_tile(int R, const float *x, long cin, long plane, long wp, const float *wt,
                                   const float *bias, float *out, long oplane, __mmask16 m0, __mmask16 m1) {
    long k = cin * 9;
    __m512 acc[8][2];
    for (int r = 0; r < R; r++) {
        __m512 b = _mm512_set1_ps(bias ? bias[r] : 0.0f);
        acc[r][0] = b;
        acc[r][1] = b;
    }
    for (long ci = 0; ci < cin; ci++) {
        for (int ky = 0; ky < 3; ky++) {
            const float *row = x + ci * plane + ky * wp;
            const float *wk = wt + ci * 9 + ky * 3;
            // The next channel's rows are a plane away, too far for the hardware prefetcher.
            _mm_prefetch((const char *)(row + 4 * plane), _MM_HINT_T0);
            _mm_prefetch((const char *)(row + 4 * plane + 16), _MM_HINT_T0);
            _mm_prefetch((const char *)(row + 4 * plane + 33), _MM_HINT_T0);
            for (int kx = 0; kx < 3; kx++) {
                __m512 a0 = _mm512_maskz_loadu_ps(m0, row + kx), a1 = _mm512_maskz_loadu_ps(m1, row + kx + 16);
                for (int r = 0; r < R; r++) {
                    __m512 b = _mm512_set1_ps(wk[r * k + kx]);
                    acc[r][0] = _mm512_fmadd_ps(b, a0, acc[r][0]);
                    acc[r][1] = _mm512_fmadd_ps(b, a1, acc[r][1]);
                }
            }
        }
    }
    for (int r = 0; r < R; r++) {
        _mm512_mask_storeu_ps(out + r * oplane, m0, acc[r][0]);
        _mm512_mask_storeu_ps(out + r * oplane + 16, m1, acc[r][1]);
    }
}

// Rows in blocks of ROWS, all output channels per block. The block's input rows (cin x (ROWS + 2)
// rows) are first copied into one contiguous band: for large images each input channel is megabytes
// away from the next, and the band keeps the tile's working set in L2 (measured: 512x512 VAE conv
// waited on memory without it). A channel block's weights stay in L1/L2.
#define ROWS 2

TK_AVX512 static int conv_rows(const float *x, long cin, long ih, long iw, long pad, const float *wt, long cout,
                               const float *bias, float *out, long y0, long y1) {
    long h = ih + 2 * pad - 2, w = iw + 2 * pad - 2;
    long wp = w + 2, oplane = h * w, bplane = (ROWS + 2) * wp;
    float *band = aligned_alloc(64, (sizeof(float) * (size_t)(cin * bplane) + 63) / 64 * 64);
    if (!band) return 0;
    for (long yb = y0; yb < y1; yb += ROWS) {
        long ye = yb + ROWS < y1 ? yb + ROWS : y1;
        for (long ci = 0; ci < cin; ci++) {
            for (long r = 0; r < ye - yb + 2; r++) {     // padded row yb + r is input row yb + r - pad
                float *dst = band + ci * bplane + r * wp;
                long iy = yb + r - pad;
                if (iy < 0 || iy >= ih) { memset(dst, 0, sizeof(float) * (size_t)wp); continue; }
                memset(dst, 0, sizeof(float) * (size_t)pad);
                memcpy(dst + pad, x + (ci * ih + iy) * iw, sizeof(float) * (size_t)iw);
                memset(dst + pad + iw, 0, sizeof(float) * (size_t)(wp - pad - iw));
            }
        }
        for (long co = 0; co < cout; co += 8) {
            int R = cout - co >= 8 ? 8 : (int)(cout - co);
            const float *ws = wt + co * cin * 9;
            const float *bs = bias ? bias + co : 0;
            for (long y = yb; y < ye; y++) {
                for (long x0 = 0; x0 < w; x0 += 32) {
                    long left = w - x0;
                    __mmask16 m0 = left >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << left) - 1);
                    __mmask16 m1 = left >= 32 ? (__mmask16)0xFFFF : left <= 16 ? (__mmask16)0 : (__mmask16)((1u << (left - 16)) - 1);
                    const float *xs = band + (y - yb) * wp + x0;
                    float *os = out + co * oplane + y * w + x0;
                    if (R == 8) conv_tile(8, xs, cin, bplane, wp, ws, bs, os, oplane, m0, m1);
                    else for (int r = 0; r < R; r++)
                        conv_tile(1, xs, cin, bplane, wp, ws + r * cin * 9, bs ? bs + r : 0, os + r * oplane, oplane, m0, m1);
                }
            }
        }
    }
    free(band);
    return 1;
}

int tk_conv3x3(const float *x, long cin, long h, long w, long pad, const float *wt, long cout, const float *bias,
               float *out, long y0, long y1) {
    if (tk_level() != TK_LEVEL_AVX512 || h + 2 * pad < 3 || w + 2 * pad < 3) return 0;
    return conv_rows(x, cin, h, w, pad, wt, cout, bias, out, y0, y1);
}
