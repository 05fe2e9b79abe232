// AVX2 + FMA + F16C kernels, compiled per function with target attributes so the package needs no
// special flags; Dispatch.c calls them only after checking the CPU. The int8 paths follow the
// maddubs idea of ggml: unsigned weight bytes times signed activation bytes, summed in pairs.

#include "CKernels.h"
#include "BlockFormats.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#include "AVX2Helpers.h"
#include "ReferenceMath.h"

CK_AVX2 void ck_quantize_q8_avx2(const float *x, void *dst, int n) {
    ck_block_q8 *y = (ck_block_q8 *)dst;
    const __m256 sign_mask = _mm256_set1_ps(-0.0f);
    for (int b = 0; b < n / CK_Q8_BLOCK; b++) {
        const float *xb = x + b * CK_Q8_BLOCK;
        __m256 v0 = _mm256_loadu_ps(xb), v1 = _mm256_loadu_ps(xb + 8);
        __m256 v2 = _mm256_loadu_ps(xb + 16), v3 = _mm256_loadu_ps(xb + 24);
        __m256 amax = _mm256_max_ps(_mm256_max_ps(_mm256_andnot_ps(sign_mask, v0), _mm256_andnot_ps(sign_mask, v1)),
                                    _mm256_max_ps(_mm256_andnot_ps(sign_mask, v2), _mm256_andnot_ps(sign_mask, v3)));
        __m128 m4 = _mm_max_ps(_mm256_castps256_ps128(amax), _mm256_extractf128_ps(amax, 1));
        m4 = _mm_max_ps(m4, _mm_movehl_ps(m4, m4));
        m4 = _mm_max_ss(m4, _mm_movehdup_ps(m4));
        float amax_value = _mm_cvtss_f32(m4);
        float d = amax_value / 127.0f;
        float id = amax_value != 0 ? 127.0f / amax_value : 0.0f; // as ggml's quantize_row_q8_1
        __m256 scale = _mm256_set1_ps(id);
        __m256i i0 = _mm256_cvtps_epi32(_mm256_round_ps(_mm256_mul_ps(v0, scale), _MM_FROUND_TO_NEAREST_INT));
        __m256i i1 = _mm256_cvtps_epi32(_mm256_round_ps(_mm256_mul_ps(v1, scale), _MM_FROUND_TO_NEAREST_INT));
        __m256i i2 = _mm256_cvtps_epi32(_mm256_round_ps(_mm256_mul_ps(v2, scale), _MM_FROUND_TO_NEAREST_INT));
        __m256i i3 = _mm256_cvtps_epi32(_mm256_round_ps(_mm256_mul_ps(v3, scale), _MM_FROUND_TO_NEAREST_INT));
        __m256i total = _mm256_add_epi32(_mm256_add_epi32(i0, i1), _mm256_add_epi32(i2, i3));
        __m128i t4 = _mm_add_epi32(_mm256_castsi256_si128(total), _mm256_extracti128_si256(total, 1));
        t4 = _mm_hadd_epi32(t4, t4);
        t4 = _mm_hadd_epi32(t4, t4);
        int sum = _mm_cvtsi128_si32(t4);
        // Pack 32-bit -> 16-bit -> 8-bit; packs interleave 128-bit lanes, so permute back into order.
        __m256i p01 = _mm256_packs_epi32(i0, i1);
        __m256i p23 = _mm256_packs_epi32(i2, i3);
        __m256i bytes = _mm256_packs_epi16(p01, p23);
        bytes = _mm256_permutevar8x32_epi32(bytes, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
        _mm256_storeu_si256((__m256i *)y[b].q, bytes);
        y[b].d = ck_round_to_half(d);
        y[b].s = ck_round_to_half(d * (float)sum);
    }
}

CK_AVX2 static float dot_floats(const float *a, const float *b, int n) {
    __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
    int i = 0;
    for (; i + 16 <= n; i += 16) {
        acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), acc0);
        acc1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(b + i + 8), acc1);
    }
    float sum = hsum(_mm256_add_ps(acc0, acc1));
    for (; i < n; i++) sum += a[i] * b[i];
    return sum;
}

/// The steps both builds' exp share on 8 lanes: z = x·log2(e) + shift, n = z - shift, the reduced
/// argument b, u = b², and the polynomial's terms above degree 1 (`upper`, times u).
typedef struct {
    __m256 z, n, b, u, upper;
} exp8_parts;

CK_AVX2 static inline exp8_parts exp8_split(__m256 x) {
    exp8_parts p;
    const __m256 shift = _mm256_set1_ps(0x1.8p23f);
    p.z = _mm256_fmadd_ps(x, _mm256_set1_ps(0x1.715476p+0f), shift);
    p.n = _mm256_sub_ps(p.z, shift);
    p.b = _mm256_fnmadd_ps(p.n, _mm256_set1_ps(0x1.7f7d1cp-20f), _mm256_fnmadd_ps(p.n, _mm256_set1_ps(0x1.62e4p-1f), x));
    p.u = _mm256_mul_ps(p.b, p.b);
    p.upper = _mm256_fmadd_ps(_mm256_fmadd_ps(_mm256_set1_ps(0x1.0e4020p-7f), p.b, _mm256_set1_ps(0x1.573e2ep-5f)), p.u,
                              _mm256_fmadd_ps(_mm256_set1_ps(0x1.555e66p-3f), p.b, _mm256_set1_ps(0x1.fffdb6p-2f)));
    return p;
}

/// ck_reference_expf on 8 lanes. ggml scales by 2^n with AVX-512's scalef; here two exact powers of
/// two do it (each within the normal range for |n| <= 192), so only the second product rounds.
CK_AVX2 static inline __m256 reference_exp8(__m256 x) {
    exp8_parts p = exp8_split(x);
    __m256 j = _mm256_fmadd_ps(p.upper, p.u, _mm256_fmadd_ps(_mm256_set1_ps(0x1.ffffecp-1f), p.b, _mm256_set1_ps(1.0f)));
    __m256i exponent = _mm256_cvtps_epi32(p.n);
    __m256i first = _mm256_srai_epi32(exponent, 1);
    __m256i second = _mm256_sub_epi32(exponent, first);
    __m256 power1 = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(first, _mm256_set1_epi32(127)), 23));
    __m256 power2 = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(second, _mm256_set1_epi32(127)), 23));
    __m256 result = _mm256_mul_ps(_mm256_mul_ps(j, power1), power2);
    __m256 out_of_range = _mm256_cmp_ps(_mm256_andnot_ps(_mm256_set1_ps(-0.0f), p.n), _mm256_set1_ps(192), _CMP_GT_OQ);
    if (_mm256_testz_ps(out_of_range, out_of_range)) return result;
    __m256 limit = _mm256_blendv_ps(_mm256_set1_ps(INFINITY), _mm256_setzero_ps(),
                                    _mm256_cmp_ps(p.n, _mm256_setzero_ps(), _CMP_LE_OQ));
    return _mm256_blendv_ps(result, limit, out_of_range);
}

/// ck_reference_expf_avx2 on 8 lanes; the rare registers with a lane past |n| > 126 go lane by lane.
CK_AVX2 static inline __m256 avx2_order_exp8(__m256 x) {
    exp8_parts p = exp8_split(x);
    __m256 large = _mm256_cmp_ps(_mm256_andnot_ps(_mm256_set1_ps(-0.0f), p.n), _mm256_set1_ps(126), _CMP_GT_OQ);
    if (!_mm256_testz_ps(large, large)) {
        float lanes[8];
        _mm256_storeu_ps(lanes, x);
        for (int i = 0; i < 8; i++) lanes[i] = ck_reference_expf_avx2(lanes[i]);
        return _mm256_loadu_ps(lanes);
    }
    __m256 k = _mm256_castsi256_ps(
        _mm256_add_epi32(_mm256_slli_epi32(_mm256_castps_si256(p.z), 23), _mm256_set1_epi32(0x3f800000)));
    __m256 j = _mm256_fmadd_ps(p.upper, p.u, _mm256_mul_ps(_mm256_set1_ps(0x1.ffffecp-1f), p.b));
    return _mm256_fmadd_ps(k, j, k);
}

/// exp on 8 lanes in the order of the build `lanes` names.
CK_AVX2 static inline __m256 ordered_exp8(__m256 x, int lanes) {
    return lanes == 8 ? avx2_order_exp8(x) : reference_exp8(x);
}

CK_AVX2 void ck_silu_mul_avx2(float *a, const float *b, int n, int lanes) {
    int i = 0;
    for (; i + 8 <= n; i += 8) {
        __m256 x = _mm256_loadu_ps(a + i);
        __m256 e = ordered_exp8(_mm256_sub_ps(_mm256_setzero_ps(), x), lanes);
        __m256 silu = _mm256_div_ps(x, _mm256_add_ps(_mm256_set1_ps(1.0f), e));
        _mm256_storeu_ps(a + i, _mm256_mul_ps(silu, _mm256_loadu_ps(b + i)));
    }
    for (; i < n; i++) a[i] = ck_reference_silu(a[i], lanes) * b[i];
}

CK_AVX2 static void load_halves_avx2(float *dst, const uint16_t *src, int n) {
    int i = 0;
    for (; i + 8 <= n; i += 8) _mm256_storeu_ps(dst + i, _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(src + i))));
    for (; i < n; i++) dst[i] = ck_half_to_float(src[i]);
}

CK_AVX2 static void round_halves_avx2(float *x, int n) {
    int i = 0;
    for (; i + 8 <= n; i += 8) {
        __m128i halves = _mm256_cvtps_ph(_mm256_loadu_ps(x + i), _MM_FROUND_TO_NEAREST_INT);
        _mm256_storeu_ps(x + i, _mm256_cvtph_ps(halves));
    }
    for (; i < n; i++) x[i] = ck_round_to_half(x[i]);
}

CK_AVX2 static void exp_shifted_avx2(float *x, int n, float max, int lanes) {
    int i = 0;
    for (; i + 8 <= n; i += 8) {
        _mm256_storeu_ps(x + i, ordered_exp8(_mm256_sub_ps(_mm256_loadu_ps(x + i), _mm256_set1_ps(max)), lanes));
    }
    for (; i < n; i++) x[i] = ck_reference_exp(x[i] - max, lanes);
}

#define CK_KERNEL_TARGET CK_AVX2
#define CK_KERNEL_NAME(name) name##_avx2
#include "Attention.h"
#undef CK_KERNEL_TARGET
#undef CK_KERNEL_NAME

/// 8 halves at `p` as floats.
CK_AVX2 static inline __m256 load8_halves(const uint16_t *p) {
    return _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)p));
}

/// The sum of 8 lanes in ck_reduce8_adjacent's order (GGML_F32x8_REDUCE's two hadds).
CK_AVX2 static inline float hsum_adjacent(__m256 v) {
    __m128 sum = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    sum = _mm_hadd_ps(sum, sum);
    return _mm_cvtss_f32(_mm_hadd_ps(sum, sum));
}

/// `count` FMA chains of 8 lanes over k · q, register r taking elements i + 8r of every step of 8 x count.
CK_AVX2 static inline __attribute__((always_inline)) void register_chains(const uint16_t *k, const float *q, int dim,
                                                                          int count, __m256 *sums) {
    for (int r = 0; r < count; r++) sums[r] = _mm256_setzero_ps();
    for (int i = 0; i < dim; i += 8 * count) {
        for (int r = 0; r < count; r++) sums[r] = _mm256_fmadd_ps(load8_halves(k + i + 8 * r), _mm256_loadu_ps(q + i + 8 * r), sums[r]);
    }
}

/// Key dots with each order's registers as 8-lane ones: the AVX2 build's one register (tiled) or
/// four folded (vec_dot_f16); the AVX-512 build's 16 lanes as two (tiled) or its four as eight,
/// where reduce16 is hsum(low + high).
CK_AVX2 static void key_dots_avx2(float *scores, const float *query, const uint16_t *keys, size_t stride, int n,
                                  int dim, int tiled, int lanes, float scale, float *row) {
    const int registers = (tiled ? 1 : 4) * (lanes / 8);
    if (dim % (8 * registers) != 0) {
        key_dots_any_avx2(scores, query, keys, stride, n, dim, tiled, lanes, scale, row);
        return;
    }
    __m256 s[8];
    for (int p = 0; p < n; p++) {
        const uint16_t *k = keys + (size_t)p * stride;
        float dot;
        if (lanes == 8 && tiled) {
            register_chains(k, query, dim, 1, s);
            dot = hsum(s[0]);
        } else if (lanes == 8) {
            register_chains(k, query, dim, 4, s);
            dot = hsum_adjacent(_mm256_add_ps(_mm256_add_ps(s[0], s[2]), _mm256_add_ps(s[1], s[3])));
        } else if (tiled) {
            register_chains(k, query, dim, 2, s);
            dot = hsum(_mm256_add_ps(s[0], s[1]));
        } else { // four registers of 16 lanes, folded 0 + 2, 1 + 3, then together
            register_chains(k, query, dim, 8, s);
            __m256 low = _mm256_add_ps(_mm256_add_ps(s[0], s[4]), _mm256_add_ps(s[2], s[6]));
            __m256 high = _mm256_add_ps(_mm256_add_ps(s[1], s[5]), _mm256_add_ps(s[3], s[7]));
            dot = hsum(_mm256_add_ps(low, high));
        }
        scores[p] = dot * scale;
    }
}

/// Value lanes with the accumulators in registers: 16 columns of 4 lanes at a time, each lane
/// walking its own positions (every lane_count-th).
CK_AVX2 static void value_lanes_avx2(float *rows, const float *weights, const uint16_t *values, size_t stride,
                                     int count, int dim, int lane_count, float *row) {
    if (dim % 16 != 0) {
        value_lanes_any_avx2(rows, weights, values, stride, count, dim, lane_count, row);
        return;
    }
    for (int lane0 = 0; lane0 < lane_count && lane0 < count; lane0 += 4) {
        for (int d = 0; d < dim; d += 16) {
            __m256 acc[8];
            for (int r = 0; r < 8; r++) acc[r] = _mm256_setzero_ps();
            for (int p0 = lane0; p0 < count; p0 += lane_count) {
                for (int l = 0; l < 4 && p0 + l < count; l++) {
                    const uint16_t *v = values + (size_t)(p0 + l) * stride + d;
                    __m256 weight = _mm256_broadcast_ss(weights + p0 + l);
                    acc[2 * l] = _mm256_fmadd_ps(load8_halves(v), weight, acc[2 * l]);
                    acc[2 * l + 1] = _mm256_fmadd_ps(load8_halves(v + 8), weight, acc[2 * l + 1]);
                }
            }
            for (int l = 0; l < 4 && lane0 + l < lane_count; l++) {
                _mm256_storeu_ps(rows + (size_t)(lane0 + l) * dim + d, acc[2 * l]);
                _mm256_storeu_ps(rows + (size_t)(lane0 + l) * dim + d + 8, acc[2 * l + 1]);
            }
        }
    }
}

CK_AVX2 void ck_attention_avx2(const float *q, const uint16_t *keys, const uint16_t *values, size_t stride, int n,
                               int dim, float scale, int batched, int lanes, float *scratch, float *out) {
    attention_avx2(q, keys, values, stride, n, dim, scale, batched, lanes, scratch, out);
}

CK_AVX2 void ck_store_halves_avx2(const float *x, uint16_t *dst, int n) {
    int i = 0;
    for (; i + 8 <= n; i += 8) {
        _mm_storeu_si128((__m128i *)(dst + i), _mm256_cvtps_ph(_mm256_loadu_ps(x + i), _MM_FROUND_TO_NEAREST_INT));
    }
    for (; i < n; i++) dst[i] = ck_float_to_half(x[i]);
}

CK_AVX2 float ck_dot_f32_avx2(const void *w, const void *x, int n) {
    return dot_floats((const float *)w, (const float *)x, n);
}

// F16 weights against float activations, up to CK_F16_ROWS rows by CK_F16_TOKENS tokens with all
// their sums in registers: each 8 weights are converted once for the tile's tokens and each 8
// activations loaded once for its rows, so the FMAs, not the loads, set the pace. Every (row,
// token) pair sums in one 8-lane accumulator, step after step of 8, then across its lanes, then
// the columns past the last 8 one by one: the same bits whatever the tile, so a token alone and
// a token in a batch agree.
CK_AVX2 static inline __attribute__((always_inline)) void f16_tile(const uint8_t *w, size_t w_stride, const int rows,
                                                                  const uint8_t *x, size_t x_stride, const int tokens,
                                                                  int n, float *y, size_t ldy) {
    __m256 acc[CK_F16_ROWS][CK_F16_TOKENS];
    for (int r = 0; r < rows; r++)
        for (int t = 0; t < tokens; t++) acc[r][t] = _mm256_setzero_ps();
    int i = 0;
    for (; i + 8 <= n; i += 8) {
        __m256 activation[CK_F16_TOKENS];
        for (int t = 0; t < tokens; t++) activation[t] = _mm256_loadu_ps((const float *)(x + t * x_stride) + i);
        for (int r = 0; r < rows; r++) {
            __m256 weight = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)((const uint16_t *)(w + r * w_stride) + i)));
            for (int t = 0; t < tokens; t++) acc[r][t] = _mm256_fmadd_ps(weight, activation[t], acc[r][t]);
        }
    }
    for (int r = 0; r < rows; r++) {
        const uint16_t *weights = (const uint16_t *)(w + r * w_stride);
        for (int t = 0; t < tokens; t++) {
            const float *activations = (const float *)(x + t * x_stride);
            float sum = hsum(acc[r][t]);
            for (int j = i; j < n; j++) sum += ck_half_to_float(weights[j]) * activations[j];
            y[(size_t)t * ldy + r] = sum;
        }
    }
}

CK_AVX2 void ck_f16_tile_avx2(const void *w, size_t w_stride, int rows, const void *x, size_t x_stride, int tokens,
                              int n, float *y, size_t ldy) {
    // One specialization per shape, so that every accumulator stays in a register.
#define CK_F16_SHAPE(R, T) \
    case (R) * 8 + (T): f16_tile(w, w_stride, R, x, x_stride, T, n, y, ldy); return;
    switch (rows * 8 + tokens) {
        CK_F16_SHAPE(1, 1) CK_F16_SHAPE(1, 2) CK_F16_SHAPE(1, 3)
        CK_F16_SHAPE(2, 1) CK_F16_SHAPE(2, 2) CK_F16_SHAPE(2, 3)
        CK_F16_SHAPE(3, 1) CK_F16_SHAPE(3, 2) CK_F16_SHAPE(3, 3)
    default: return;
    }
#undef CK_F16_SHAPE
}

CK_AVX2 float ck_dot_f16_avx2(const void *w, const void *x, int n) {
    float out;
    ck_f16_tile_avx2(w, 0, 1, x, 0, 1, n, &out, 1);
    return out;
}

CK_AVX2 float ck_dot_bf16_avx2(const void *w, const void *x, int n) {
    const uint16_t *a = (const uint16_t *)w;
    const float *b = (const float *)x;
    __m256 acc = _mm256_setzero_ps();
    int i = 0;
    for (; i + 8 <= n; i += 8) {
        __m256i wide = _mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i *)(a + i)));
        __m256 wf = _mm256_castsi256_ps(_mm256_slli_epi32(wide, 16));
        acc = _mm256_fmadd_ps(wf, _mm256_loadu_ps(b + i), acc);
    }
    float sum = hsum(acc);
    for (; i < n; i++) sum += ck_bf16_to_float(a[i]) * b[i];
    return sum;
}

#define CK_KERNEL_TARGET CK_AVX2
#define CK_KERNEL_DOT dot_u8_i8
#define CK_KERNEL_NAME(name) name##_avx2
#include "Int8BlockKernels.h"

#undef CK_KERNEL_DOT

#define CK_KERNEL_SCALED_ADD(sum, pairs, scales) _mm256_add_epi32(sum, _mm256_madd_epi16(pairs, scales))
#include "KQuantKernels.h"

// maddubs's int16 pairs, added up over the block and widened once (Q4_0TileKernel.h bounds them).
#define CK_KERNEL_ROW_SUMS(sums, u, x) _mm256_add_epi16(sums, _mm256_maddubs_epi16(u, x))
#define CK_KERNEL_ROW_SUMS_FINISH(sums) _mm256_madd_epi16(sums, _mm256_set1_epi16(1))
#include "Q4_0TileKernel.h"

/// sums[t * blocks + b] = the integer sum of block b of activation row t, for t < `tokens` (what the
/// Q4_0 tiles take off; every level above the portable one uses this).
CK_AVX2 void ck_q8_block_sums_avx2(const void *x, size_t x_stride, int tokens, int blocks, int32_t *sums) {
    const __m256i ones8 = _mm256_set1_epi8(1), ones16 = _mm256_set1_epi16(1);
    for (int t = 0; t < tokens; t++) {
        const ck_block_q8 *row = (const ck_block_q8 *)((const uint8_t *)x + (size_t)t * x_stride);
        for (int b = 0; b < blocks; b++) {
            __m256i pairs = _mm256_maddubs_epi16(ones8, _mm256_loadu_si256((const __m256i *)row[b].q));
            __m256i lanes = _mm256_madd_epi16(pairs, ones16);
            __m128i four = _mm_add_epi32(_mm256_castsi256_si128(lanes), _mm256_extracti128_si256(lanes, 1));
            four = _mm_hadd_epi32(four, four);
            sums[t * blocks + b] = _mm_cvtsi128_si32(_mm_hadd_epi32(four, four));
        }
    }
}

#endif
