// AVX2 + FMA + F16C kernels, compiled per function with target attributes so the package needs no
// special flags; Dispatch.c calls them only after checking the CPU. The int8 paths follow the
// maddubs idea of ggml: unsigned weight bytes times signed activation bytes, summed in pairs.

#include "CKernels.h"
#include "BlockFormats.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#include "AVX2Helpers.h"

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

/// ck_attention with the per-position products inlined, for head sizes that are a multiple of 8 up
/// to 512: the output row stays in registers across positions instead of going through memory.
CK_AVX2 void ck_attention_avx2(const float *q, const uint16_t *keys, const uint16_t *values, size_t stride, int n,
                               int dim, float scale, float *scores, float *out) {
    float query[512];
    for (int i = 0; i < dim; i += 8) {
        __m256 x = _mm256_loadu_ps(q + i);
        _mm256_storeu_ps(query + i, _mm256_cvtph_ps(_mm256_cvtps_ph(x, _MM_FROUND_TO_NEAREST_INT)));
    }
    float max = -INFINITY;
    for (int p = 0; p < n; p++) {
        const uint16_t *k = keys + (size_t)p * stride;
        __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
        int i = 0;
        for (; i + 16 <= dim; i += 16) {
            acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(query + i), _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(k + i))), acc0);
            acc1 = _mm256_fmadd_ps(_mm256_loadu_ps(query + i + 8), _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(k + i + 8))), acc1);
        }
        if (i < dim) {
            acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(query + i), _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(k + i))), acc0);
        }
        scores[p] = scale * hsum(_mm256_add_ps(acc0, acc1));
        if (scores[p] > max) max = scores[p];
    }
    ck_attention_weights(scores, n, max);
    enum { COLUMNS = 64 }; // 8 registers of output
    int d0 = 0;
    for (; d0 + COLUMNS <= dim; d0 += COLUMNS) {
        __m256 acc[8];
        for (int r = 0; r < 8; r++) acc[r] = _mm256_setzero_ps();
        for (int p = 0; p < n; p++) {
            __m256 weight = _mm256_set1_ps(scores[p]);
            const uint16_t *v = values + (size_t)p * stride + d0;
            for (int r = 0; r < 8; r++) {
                acc[r] = _mm256_fmadd_ps(weight, _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(v + 8 * r))), acc[r]);
            }
        }
        for (int r = 0; r < 8; r++) _mm256_storeu_ps(out + d0 + 8 * r, acc[r]);
    }
    for (; d0 < dim; d0 += 8) {
        __m256 acc = _mm256_setzero_ps();
        for (int p = 0; p < n; p++) {
            const uint16_t *v = values + (size_t)p * stride + d0;
            acc = _mm256_fmadd_ps(_mm256_set1_ps(scores[p]), _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)v)), acc);
        }
        _mm256_storeu_ps(out + d0, acc);
    }
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

CK_AVX2 float ck_dot_f16_avx2(const void *w, const void *x, int n) {
    const uint16_t *a = (const uint16_t *)w;
    const float *b = (const float *)x;
    __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
    int i = 0;
    for (; i + 16 <= n; i += 16) {
        __m256 w0 = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(a + i)));
        __m256 w1 = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(a + i + 8)));
        acc0 = _mm256_fmadd_ps(w0, _mm256_loadu_ps(b + i), acc0);
        acc1 = _mm256_fmadd_ps(w1, _mm256_loadu_ps(b + i + 8), acc1);
    }
    float sum = hsum(_mm256_add_ps(acc0, acc1));
    for (; i < n; i++) sum += ck_half_to_float(a[i]) * b[i];
    return sum;
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

CK_AVX2 float ck_dot_q4_k_avx2(const void *w, const void *x, int n) {
    const ck_block_q4_k *wb = (const ck_block_q4_k *)w;
    const ck_block_q8 *xb = (const ck_block_q8 *)x;
    const __m256i low_mask = _mm256_set1_epi8(0x0F);
    __m256 acc = _mm256_setzero_ps();
    float mins = 0;
    for (int b = 0; b < n / 256; b++) {
        float d = _cvtsh_ss(wb[b].d), dmin = _cvtsh_ss(wb[b].dmin);
        const uint8_t *qs = wb[b].qs;
        for (int j = 0; j < 4; j++) {
            __m256i bytes = _mm256_loadu_si256((const __m256i *)(qs + 32 * j));
            __m256i low = _mm256_and_si256(bytes, low_mask);
            __m256i high = _mm256_and_si256(_mm256_srli_epi16(bytes, 4), low_mask);
            uint8_t s0, m0, s1, m1;
            ck_scale_min_k4(2 * j, wb[b].scales, &s0, &m0);
            ck_scale_min_k4(2 * j + 1, wb[b].scales, &s1, &m1);
            const ck_block_q8 *x0 = &xb[b * 8 + 2 * j], *x1 = x0 + 1;
            acc = _mm256_fmadd_ps(_mm256_set1_ps(d * s0 * x0->d),
                                  dot_u8_i8(low, _mm256_loadu_si256((const __m256i *)x0->q)), acc);
            acc = _mm256_fmadd_ps(_mm256_set1_ps(d * s1 * x1->d),
                                  dot_u8_i8(high, _mm256_loadu_si256((const __m256i *)x1->q)), acc);
            mins += dmin * (m0 * x0->s + m1 * x1->s);
        }
    }
    return hsum(acc) - mins;
}

CK_AVX2 float ck_dot_q6_k_avx2(const void *w, const void *x, int n) {
    const ck_block_q6_k *wb = (const ck_block_q6_k *)w;
    const ck_block_q8 *xb = (const ck_block_q8 *)x;
    const __m256i low_mask = _mm256_set1_epi8(0x0F), two_bits = _mm256_set1_epi8(3);
    __m256 acc = _mm256_setzero_ps();
    float offsets = 0; // the "- 32" of every weight, applied through the activation sums per half block
    for (int b = 0; b < n / 256; b++) {
        float d = _cvtsh_ss(wb[b].d);
        const uint8_t *ql = wb[b].ql, *qh = wb[b].qh;
        const int8_t *sc = wb[b].scales;
        for (int chunk = 0; chunk < 2; chunk++) {
            __m256i l0 = _mm256_loadu_si256((const __m256i *)ql);
            __m256i l1 = _mm256_loadu_si256((const __m256i *)(ql + 32));
            __m256i h = _mm256_loadu_si256((const __m256i *)qh);
            __m256i q[4];
            q[0] = _mm256_or_si256(_mm256_and_si256(l0, low_mask),
                                   _mm256_slli_epi16(_mm256_and_si256(h, two_bits), 4));
            q[1] = _mm256_or_si256(_mm256_and_si256(l1, low_mask),
                                   _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(h, 2), two_bits), 4));
            q[2] = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(l0, 4), low_mask),
                                   _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(h, 4), two_bits), 4));
            q[3] = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(l1, 4), low_mask),
                                   _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(h, 6), two_bits), 4));
            for (int k = 0; k < 4; k++) {
                const ck_block_q8 *xs = &xb[b * 8 + chunk * 4 + k];
                __m256i xq = _mm256_loadu_si256((const __m256i *)xs->q);
                // Two scales per 32 values: products summed to 8 int32 lanes, lanes 0-3 = first 16.
                __m256i pairs = _mm256_madd_epi16(_mm256_maddubs_epi16(q[k], xq), _mm256_set1_epi16(1));
                int s0 = sc[chunk * 8 + 2 * k], s1 = sc[chunk * 8 + 2 * k + 1];
                __m256 scales = _mm256_setr_m128(_mm_set1_ps(d * s0 * xs->d), _mm_set1_ps(d * s1 * xs->d));
                acc = _mm256_fmadd_ps(scales, _mm256_cvtepi32_ps(pairs), acc);
                int sum0 = 0, sum1 = 0;
                for (int l = 0; l < 16; l++) { sum0 += xs->q[l]; sum1 += xs->q[16 + l]; }
                offsets += 32.0f * d * xs->d * (float)(s0 * sum0 + s1 * sum1);
            }
            ql += 64;
            qh += 32;
        }
    }
    return hsum(acc) - offsets;
}

#endif
