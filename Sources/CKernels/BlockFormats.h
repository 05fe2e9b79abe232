#pragma once
// Byte layouts of the GGUF block types (as ggml writes them) and scalar helpers shared by the kernels.

#include "CKernels.h"
#include <stdint.h>
#include <math.h>
#include <string.h>

// Results follow llama.cpp's CPU backend operation for operation, so every multiply and add is
// rounded where it is written; fused multiply-adds are only the explicit ones.
#pragma STDC FP_CONTRACT OFF

typedef struct { uint16_t d; uint8_t qs[16]; } ck_block_q4_0;               // w = d * (nibble - 8)
typedef struct { uint16_t d, m; uint8_t qs[16]; } ck_block_q4_1;            // w = d * nibble + m
typedef struct { uint16_t d; uint8_t qh[4]; uint8_t qs[16]; } ck_block_q5_0; // w = d * (q5 - 16)
typedef struct { uint16_t d, m; uint8_t qh[4]; uint8_t qs[16]; } ck_block_q5_1; // w = d * q5 + m
typedef struct { uint16_t d; int8_t qs[32]; } ck_block_q8_0;                // w = d * q
// K-quants: super-blocks of 256 elements.
typedef struct { uint8_t scales[16]; uint8_t qs[64]; uint16_t d, dmin; } ck_block_q2_k;
typedef struct { uint8_t hmask[32]; uint8_t qs[64]; uint8_t scales[12]; uint16_t d; } ck_block_q3_k;
typedef struct { uint16_t d, dmin; uint8_t scales[12]; uint8_t qs[128]; } ck_block_q4_k;
typedef struct { uint16_t d, dmin; uint8_t scales[12]; uint8_t qh[32]; uint8_t qs[128]; } ck_block_q5_k;
typedef struct { uint8_t ql[128]; uint8_t qh[64]; int8_t scales[16]; uint16_t d; } ck_block_q6_k;

_Static_assert(sizeof(ck_block_q4_0) == 18, "q4_0 layout");
_Static_assert(sizeof(ck_block_q4_1) == 20, "q4_1 layout");
_Static_assert(sizeof(ck_block_q5_0) == 22, "q5_0 layout");
_Static_assert(sizeof(ck_block_q5_1) == 24, "q5_1 layout");
_Static_assert(sizeof(ck_block_q8_0) == 34, "q8_0 layout");
_Static_assert(sizeof(ck_block_q2_k) == 84, "q2_K layout");
_Static_assert(sizeof(ck_block_q3_k) == 110, "q3_K layout");
_Static_assert(sizeof(ck_block_q4_k) == 144, "q4_K layout");
_Static_assert(sizeof(ck_block_q5_k) == 176, "q5_K layout");
_Static_assert(sizeof(ck_block_q6_k) == 210, "q6_K layout");

/// IEEE half to float, exact for every input (subnormals, infinities, NaN).
static inline float ck_half_to_float(uint16_t h) {
    uint32_t sign = (uint32_t)(h & 0x8000) << 16;
    uint32_t exponent = (h >> 10) & 0x1F;
    uint32_t mantissa = h & 0x3FF;
    uint32_t bits;
    if (exponent == 0) {
        if (mantissa == 0) {
            bits = sign;
        } else { // subnormal: normalise
            int shift = 0;
            while ((mantissa & 0x400) == 0) { mantissa <<= 1; shift++; }
            mantissa &= 0x3FF;
            bits = sign | ((uint32_t)(127 - 15 - shift + 1) << 23) | (mantissa << 13);
        }
    } else if (exponent == 31) {
        bits = sign | 0x7F800000u | (mantissa << 13);
    } else {
        bits = sign | ((exponent + 127 - 15) << 23) | (mantissa << 13);
    }
    float f;
    memcpy(&f, &bits, sizeof f);
    return f;
}

/// Float to IEEE half (round to nearest even) and back: activation scales are rounded like ggml's
/// q8_0 / q8_1 blocks, which store them as halves, so results track llama.cpp closely.
static inline float ck_round_to_half(float value) {
    uint32_t bits;
    memcpy(&bits, &value, sizeof bits);
    uint32_t sign = bits & 0x80000000u;
    uint32_t magnitude = bits & 0x7FFFFFFFu;
    if (magnitude >= 0x7F800000u) return value;           // infinity, NaN
    if (magnitude >= 0x477FF000u) {                       // rounds past the largest half
        uint32_t inf = sign | 0x7F800000u;
        float f;
        memcpy(&f, &inf, sizeof f);
        return f;
    }
    if (magnitude < 0x38800000u) {                        // half subnormal range: steps of 2^-24
        float step = 5.9604644775390625e-8f;
        float rounded = nearbyintf(fabsf(value) / step) * step;
        return sign ? -rounded : rounded;
    }
    // Normal: keep 10 mantissa bits, round to nearest even on the 13 dropped bits.
    uint32_t dropped = magnitude & 0x1FFFu;
    uint32_t kept = magnitude & ~0x1FFFu;
    if (dropped > 0x1000u || (dropped == 0x1000u && (kept & 0x2000u))) kept += 0x2000u;
    uint32_t result = sign | kept;
    float f;
    memcpy(&f, &result, sizeof f);
    return f;
}

/// Float to IEEE half bits, round to nearest even (the value ck_round_to_half gives).
static inline uint16_t ck_float_to_half(float value) {
    float rounded = ck_round_to_half(value);
    uint32_t bits;
    memcpy(&bits, &rounded, sizeof bits);
    uint16_t sign = (uint16_t)((bits >> 16) & 0x8000u);
    uint32_t magnitude = bits & 0x7FFFFFFFu;
    if (magnitude >= 0x7F800000u) return (uint16_t)(sign | 0x7C00u | (magnitude > 0x7F800000u ? 0x200u : 0));
    if (magnitude < 0x38800000u) { // subnormal half: multiples of 2^-24
        float f;
        memcpy(&f, &magnitude, sizeof f);
        return (uint16_t)(sign | (uint16_t)(f * 16777216.0f));
    }
    return (uint16_t)(sign | (((magnitude >> 23) - 112) << 10) | ((magnitude >> 13) & 0x3FFu));
}

static inline float ck_bf16_to_float(uint16_t h) {
    uint32_t bits = (uint32_t)h << 16;
    float f;
    memcpy(&f, &bits, sizeof f);
    return f;
}

/// The 32-value block formats that share one int8 kernel (Int8BlockKernels.h).
enum { CK_FORMAT_Q4_1, CK_FORMAT_Q5_0, CK_FORMAT_Q5_1, CK_FORMAT_Q8_0 };
static inline size_t ck_format_block_bytes(int format) {
    switch (format) {
    case CK_FORMAT_Q4_1: return sizeof(ck_block_q4_1);
    case CK_FORMAT_Q5_0: return sizeof(ck_block_q5_0);
    case CK_FORMAT_Q5_1: return sizeof(ck_block_q5_1);
    default: return sizeof(ck_block_q8_0);
    }
}
/// Q4_1 and Q5_1 store unsigned values and a minimum m (w = d * q + m); the others signed values.
static inline int ck_format_has_min(int format) { return format == CK_FORMAT_Q4_1 || format == CK_FORMAT_Q5_1; }
/// How far ahead of the block being read the int8 kernels prefetch weights: measured best on the
/// development VM (1 KiB and 4 KiB were slower); it lets one thread stream at 9-10 GB/s.
#define CK_PREFETCH_DISTANCE 2048
/// The same for the eight-row Q4_0 tiles' linear stream, measured on an AVX2 EPYC: 8 KiB beat 2, 4,
/// 6 and 12 KiB by a few percent on one thread and matched them on two.
#define CK_TILE_PREFETCH_DISTANCE 8192

typedef float (*ck_dot_fn)(const void *w, const void *x, int n);
/// out[t] = dot(w, activation row t) for t < CK_MULTI, rows x_stride bytes apart; scales[b *
/// scale_stride + t] and sums[...] repeat row t's block b d and s side by side.
typedef void (*ck_dot_multi_fn)(const void *w, const void *x, size_t x_stride, int n, const float *scales,
                                const float *sums, size_t scale_stride, float *out);
#define CK_MULTI 8

// Scalar kernels (Scalar.c).
float ck_dot_f32_scalar(const void *w, const void *x, int n);
float ck_dot_f16_scalar(const void *w, const void *x, int n);
float ck_dot_bf16_scalar(const void *w, const void *x, int n);
float ck_dot_q4_0_scalar(const void *w, const void *x, int n);
float ck_dot_q4_1_scalar(const void *w, const void *x, int n);
float ck_dot_q5_0_scalar(const void *w, const void *x, int n);
float ck_dot_q5_1_scalar(const void *w, const void *x, int n);
float ck_dot_q8_0_scalar(const void *w, const void *x, int n);
/// Any K-quant `type` against Q8_K activations; `batched`: the token is one of the matmul's
/// leading ck_kquant_batched_tokens (see ck_kquant_order).
float ck_dot_kquant_scalar(int type, const void *w, const void *x, int n, int batched);
void ck_quantize_q8_scalar(const float *x, void *dst, int n);
/// Q8_K activations (llama.cpp's quantize_row_q8_K): one implementation for every level.
void ck_quantize_q8_k(const float *x, void *dst, int n);

// AVX2 kernels (AVX2.c); only called when the CPU has AVX2, FMA and F16C. The *_vnni ones (VNNI.c)
// also need AVX-512 F, BW, VL and VNNI.
float ck_dot_f32_avx2(const void *w, const void *x, int n);
float ck_dot_f16_avx2(const void *w, const void *x, int n);
/// The F16 tile: y[t * ldy + r] = dot(weight row r, activation row t) for rows <= CK_F16_ROWS and
/// tokens <= CK_F16_TOKENS, rows and activations `w_stride` and `x_stride` bytes apart; the sums
/// run in ck_dot_f16_avx2's order. 3 x 3 keeps 9 accumulators, 3 activations and two weights in
/// AVX2's 16 registers; at 4 x 3 clang spilled an accumulator, and its chain went through memory.
#define CK_F16_ROWS 3
#define CK_F16_TOKENS 3
void ck_f16_tile_avx2(const void *w, size_t w_stride, int rows, const void *x, size_t x_stride, int tokens, int n,
                      float *y, size_t ldy);
float ck_dot_bf16_avx2(const void *w, const void *x, int n);
/// One int8 block format's kernels for one instruction set: one token, and CK_MULTI tokens.
#define CK_INT8_KERNELS(name, isa)                                                                   \
    float ck_dot_##name##_##isa(const void *w, const void *x, int n);                                \
    void ck_dot_##name##_multi_##isa(const void *w, const void *x, size_t x_stride, int n, const float *scales, \
                                     const float *sums, size_t scale_stride, float *out);
CK_INT8_KERNELS(q4_1, avx2)
CK_INT8_KERNELS(q5_0, avx2)
CK_INT8_KERNELS(q5_1, avx2)
CK_INT8_KERNELS(q8_0, avx2)
CK_INT8_KERNELS(q4_1, vnni)
CK_INT8_KERNELS(q5_0, vnni)
CK_INT8_KERNELS(q5_1, vnni)
CK_INT8_KERNELS(q8_0, vnni)
#undef CK_INT8_KERNELS
/// Q4_0's kernels (Q4_0TileKernel.h): up to 8 rows by CK_Q4_0_TOKENS tokens, given each token's
/// block sums (ck_q8_block_sums_avx2, which serves every level above the portable one).
#define CK_Q4_0_TOKENS 4
typedef void (*ck_q4_0_tile_fn)(const void *w, size_t row_bytes, int count, const void *x, size_t x_stride,
                                const int32_t *x_sums, int tokens, int n, float *y, size_t ldy);
void ck_q4_0_tile_avx2(const void *w, size_t row_bytes, int count, const void *x, size_t x_stride,
                       const int32_t *x_sums, int tokens, int n, float *y, size_t ldy);
void ck_q4_0_tile_vnni(const void *w, size_t row_bytes, int count, const void *x, size_t x_stride,
                       const int32_t *x_sums, int tokens, int n, float *y, size_t ldy);
void ck_q8_block_sums_avx2(const void *x, size_t x_stride, int tokens, int blocks, int32_t *sums);
/// One K-quant type's kernels for one instruction set (KQuantKernels.h): one token, and `count` <=
/// CK_MULTI tokens x_stride bytes apart, `batched` as for ck_dot_kquant_scalar.
typedef void (*ck_dot_tokens_fn)(const void *w, const void *x, size_t x_stride, int count, int n, int batched,
                                 float *out);
#define CK_KQUANT_KERNELS(name, isa)                                                                 \
    float ck_dot_##name##_##isa(const void *w, const void *x, int n);                                \
    void ck_dot_##name##_tokens_##isa(const void *w, const void *x, size_t x_stride, int count, int n, int batched, \
                                      float *out);
CK_KQUANT_KERNELS(q2_k, avx2)
CK_KQUANT_KERNELS(q3_k, avx2)
CK_KQUANT_KERNELS(q4_k, avx2)
CK_KQUANT_KERNELS(q5_k, avx2)
CK_KQUANT_KERNELS(q6_k, avx2)
CK_KQUANT_KERNELS(q2_k, vnni)
CK_KQUANT_KERNELS(q3_k, vnni)
CK_KQUANT_KERNELS(q4_k, vnni)
CK_KQUANT_KERNELS(q5_k, vnni)
CK_KQUANT_KERNELS(q6_k, vnni)
#undef CK_KQUANT_KERNELS
/// Q4_K decode, CK_MULTI rows w_stride bytes apart against one token: what the one-token kernel
/// gives each row.
typedef void (*ck_dot_rows_fn)(const void *w, size_t w_stride, const void *x, int n, float *out);
void ck_dot_q4_k_rows_avx2(const void *w, size_t w_stride, const void *x, int n, float *out);
void ck_dot_q4_k_rows_vnni(const void *w, size_t w_stride, const void *x, int n, float *out);
void ck_quantize_q8_avx2(const float *x, void *dst, int n);
void ck_attention_avx2(const float *q, const uint16_t *keys, const uint16_t *values, size_t stride, int n,
                       int dim, float scale, int batched, int lanes, float *scratch, float *out);
void ck_silu_mul_avx2(float *a, const float *b, int n, int lanes);
void ck_store_halves_avx2(const float *x, uint16_t *dst, int n);

/// K-quant activations: 256 int8 values with one float scale, and the sums of each 16 (llama.cpp's
/// block_q8_K). The K-quant kernels take the correction for minimums or offsets from those sums.
#define CK_QK 256
typedef struct {
    float d;
    int8_t q[CK_QK];
    int16_t bsums[CK_QK / 16];
} ck_block_q8_k;

/// The eight 6-bit scales (bytes 0-7 of `result`) and minimums (8-15) of a Q4_K / Q5_K super-block from its 12
/// packed bytes (scales 0-3 and minimums 0-3 in the low 6 bits of bytes 0-7; 4-7 as a nibble of
/// bytes 8-11 plus the top 2 bits of bytes 0-7), four at a time in 32-bit words.
static inline void ck_k4_scales_and_mins(const uint8_t *packed, uint32_t result[4]) {
    uint32_t word[3];
    memcpy(word, packed, 12);
    const uint32_t six = 0x3F3F3F3Fu, four = 0x0F0F0F0Fu, two = 0x03030303u;
    result[0] = word[0] & six;                                      // scales 0-3
    result[1] = (word[2] & four) | (((word[0] >> 6) & two) << 4);   // scales 4-7
    result[2] = word[1] & six;                                      // minimums 0-3
    result[3] = ((word[2] >> 4) & four) | (((word[1] >> 6) & two) << 4); // minimums 4-7
}

/// Every K-quant super-block in one form: with u[i] its unsigned value (at most 63) and g = i / 16,
///   w[i] = d * scales[g] * (u[i] - offset) - dmin * mins[g].
/// Q2_K, Q4_K and Q5_K have minimums (offset 0); Q3_K and Q6_K have an offset (4 and 32) and no
/// minimums. Element 32c + j is byte j of the value chunk c that ck_kquant_values unpacks.
typedef struct {
    float d, dmin;
    int offset;
    int16_t scales[16];
    int16_t mins[16];
} ck_kquant_scales;

static inline int ck_kquant_block_bytes(int type) {
    switch (type) {
    case CK_TYPE_Q2_K: return sizeof(ck_block_q2_k);
    case CK_TYPE_Q3_K: return sizeof(ck_block_q3_k);
    case CK_TYPE_Q4_K: return sizeof(ck_block_q4_k);
    case CK_TYPE_Q5_K: return sizeof(ck_block_q5_k);
    default: return sizeof(ck_block_q6_k);
    }
}

static inline int ck_kquant_has_mins(int type) { return type == CK_TYPE_Q2_K || type == CK_TYPE_Q4_K || type == CK_TYPE_Q5_K; }

/// How a K-quant dot adds up its exact integer parts in float, as llama.cpp's x86 build does:
enum {
    /// eight lanes (one FMA of d * x.d each per super-block, hsum at the end), and Q2_K's minimums
    /// in four more lanes added as (0 + 2) + (1 + 3): ggml_vec_dot_q{2,3,6}_K_q8_K;
    CK_KQUANT_LANES,
    /// the eight lanes, plus the minimums as one chain of FMAs: ggml_vec_dot_q5_K_q8_K;
    CK_KQUANT_LANES_MIN_CHAIN,
    /// one chain per row of FMAs of each super-block's whole integer dot times d * x.d, less one
    /// chain for the minimums times dmin * x.d: the repacked q4_K_8x8 that llama.cpp uses for
    /// Q4_K on every AVX2 CPU (its gemv);
    CK_KQUANT_ROW_CHAINS,
    /// the same chains with a term per 64 values (two sub-blocks) instead of per super-block: the
    /// repacked Q4_K's gemm, which takes the leading multiple of 4 tokens of a batch of 4 or more;
    CK_KQUANT_PAIR_CHAINS,
    /// one chain per row of FMAs of (d * dot - dmin * minimums) times x.d per super-block: the
    /// tiled K-quant matmul (ggml-cpu/tiled) that llama.cpp takes for batches of 8 tokens or more.
    CK_KQUANT_TILED,
};
/// How many leading tokens of a K-quant matmul of `tokens` tokens llama.cpp computes in its
/// batched order: the repacked Q4_K's gemm takes whole 4s of 4 or more; the tiled kernel takes
/// all of a batch of 8 or more.
static inline int ck_kquant_batched_tokens(int type, int tokens) {
    if (type == CK_TYPE_Q4_K) return tokens > 3 ? tokens - tokens % 4 : 0;
    return tokens >= 8 ? tokens : 0;
}
static inline int ck_kquant_order(int type, int batched) {
    if (type == CK_TYPE_Q4_K) return batched ? CK_KQUANT_PAIR_CHAINS : CK_KQUANT_ROW_CHAINS;
    if (batched) return CK_KQUANT_TILED;
    return type == CK_TYPE_Q5_K ? CK_KQUANT_LANES_MIN_CHAIN : CK_KQUANT_LANES;
}

/// Scales, minimums and offset of one super-block of a K-quant `type`.
static inline void ck_kquant_block_scales(int type, const void *block, ck_kquant_scales *out) {
    out->offset = 0;
    out->dmin = 0;
    switch (type) {
    case CK_TYPE_Q2_K: {
        const ck_block_q2_k *b = (const ck_block_q2_k *)block;
        out->d = ck_half_to_float(b->d);
        out->dmin = ck_half_to_float(b->dmin);
        for (int g = 0; g < 16; g++) { out->scales[g] = b->scales[g] & 0xF; out->mins[g] = b->scales[g] >> 4; }
        break;
    }
    case CK_TYPE_Q3_K: {
        const ck_block_q3_k *b = (const ck_block_q3_k *)block;
        out->d = ck_half_to_float(b->d);
        out->offset = 4;
        const uint8_t *s = b->scales; // 16 six-bit scales: low nibbles in s[0..7], high pairs in s[8..11]
        for (int g = 0; g < 16; g++) {
            int low = g < 8 ? s[g] & 0xF : s[g - 8] >> 4;
            int high = (s[8 + g % 4] >> (2 * (g / 4))) & 3;
            out->scales[g] = (int16_t)((low | (high << 4)) - 32);
            out->mins[g] = 0;
        }
        break;
    }
    case CK_TYPE_Q4_K: case CK_TYPE_Q5_K: {
        const ck_block_q4_k *b = (const ck_block_q4_k *)block; // Q5_K starts the same way
        out->d = ck_half_to_float(b->d);
        out->dmin = ck_half_to_float(b->dmin);
        uint32_t words[4];
        uint8_t unpacked[16];
        ck_k4_scales_and_mins(b->scales, words);
        memcpy(unpacked, words, 16);
        for (int j = 0; j < 8; j++) {
            out->scales[2 * j] = out->scales[2 * j + 1] = unpacked[j];
            out->mins[2 * j] = out->mins[2 * j + 1] = unpacked[8 + j];
        }
        break;
    }
    default: {
        const ck_block_q6_k *b = (const ck_block_q6_k *)block;
        out->d = ck_half_to_float(b->d);
        out->offset = 32;
        for (int g = 0; g < 16; g++) { out->scales[g] = b->scales[g]; out->mins[g] = 0; }
        break;
    }
    }
}

/// Value chunk c (elements 32c ..< 32c + 32) of a K-quant super-block, unsigned.
static inline void ck_kquant_values(int type, const void *block, int c, uint8_t *u) {
    switch (type) {
    case CK_TYPE_Q2_K: {
        const ck_block_q2_k *b = (const ck_block_q2_k *)block;
        for (int j = 0; j < 32; j++) u[j] = (b->qs[32 * (c / 4) + j] >> (2 * (c % 4))) & 3;
        break;
    }
    case CK_TYPE_Q3_K: {
        const ck_block_q3_k *b = (const ck_block_q3_k *)block;
        for (int j = 0; j < 32; j++) {
            u[j] = (uint8_t)(((b->qs[32 * (c / 4) + j] >> (2 * (c % 4))) & 3) | (((b->hmask[j] >> c) & 1) << 2));
        }
        break;
    }
    case CK_TYPE_Q4_K: {
        const ck_block_q4_k *b = (const ck_block_q4_k *)block;
        for (int j = 0; j < 32; j++) u[j] = (b->qs[32 * (c / 2) + j] >> (4 * (c % 2))) & 0xF;
        break;
    }
    case CK_TYPE_Q5_K: {
        const ck_block_q5_k *b = (const ck_block_q5_k *)block;
        for (int j = 0; j < 32; j++) {
            u[j] = (uint8_t)(((b->qs[32 * (c / 2) + j] >> (4 * (c % 2))) & 0xF) | (((b->qh[j] >> c) & 1) << 4));
        }
        break;
    }
    default: {
        const ck_block_q6_k *b = (const ck_block_q6_k *)block;
        const uint8_t *ql = b->ql + 64 * (c / 4) + 32 * (c % 2), *qh = b->qh + 32 * (c / 4);
        for (int j = 0; j < 32; j++) {
            u[j] = (uint8_t)(((ql[j] >> (4 * ((c % 4) / 2))) & 0xF) | (((qh[j] >> (2 * (c % 4))) & 3) << 4));
        }
        break;
    }
    }
}
