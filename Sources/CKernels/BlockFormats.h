#pragma once
// Byte layouts of the GGUF block types (as ggml writes them) and scalar helpers shared by the kernels.

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
typedef struct { uint16_t d, dmin; uint8_t scales[12]; uint8_t qs[128]; } ck_block_q4_k;
typedef struct { uint16_t d, dmin; uint8_t scales[12]; uint8_t qh[32]; uint8_t qs[128]; } ck_block_q5_k;
typedef struct { uint8_t ql[128]; uint8_t qh[64]; int8_t scales[16]; uint16_t d; } ck_block_q6_k;

_Static_assert(sizeof(ck_block_q4_0) == 18, "q4_0 layout");
_Static_assert(sizeof(ck_block_q4_1) == 20, "q4_1 layout");
_Static_assert(sizeof(ck_block_q5_0) == 22, "q5_0 layout");
_Static_assert(sizeof(ck_block_q5_1) == 24, "q5_1 layout");
_Static_assert(sizeof(ck_block_q8_0) == 34, "q8_0 layout");
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

/// The 6-bit scale and min of sub-block j of a Q4_K / Q5_K super-block.
static inline void ck_scale_min_k4(int j, const uint8_t *q, uint8_t *scale, uint8_t *min) {
    if (j < 4) {
        *scale = q[j] & 63;
        *min = q[j + 4] & 63;
    } else {
        *scale = (uint8_t)((q[j + 4] & 0xF) | ((q[j - 4] >> 6) << 4));
        *min = (uint8_t)((q[j + 4] >> 4) | ((q[j] >> 6) << 4));
    }
}

/// The 32-value block formats that share one int8 kernel (Int8BlockKernels.h).
enum { CK_FORMAT_Q4_0, CK_FORMAT_Q4_1, CK_FORMAT_Q8_0 };
static inline size_t ck_format_block_bytes(int format) {
    return format == CK_FORMAT_Q4_0 ? sizeof(ck_block_q4_0)
         : format == CK_FORMAT_Q4_1 ? sizeof(ck_block_q4_1) : sizeof(ck_block_q8_0);
}
/// How far ahead of the block being read the int8 kernels prefetch weights: measured best on the
/// development VM (1 KiB and 4 KiB were slower); it lets one thread stream at 9-10 GB/s.
#define CK_PREFETCH_DISTANCE 2048

typedef float (*ck_dot_fn)(const void *w, const void *x, int n);
/// out[t] = dot(w, activation row t) for t < CK_MULTI, rows x_stride bytes apart; scales[b *
/// scale_stride + t] and sums[...] repeat row t's block b d and s side by side.
typedef void (*ck_dot_multi_fn)(const void *w, const void *x, size_t x_stride, int n, const float *scales,
                                const float *sums, size_t scale_stride, float *out);
#define CK_MULTI 8
/// out[r] = dot(weight row r, x) for r < CK_ROWS, weight rows row_bytes apart.
typedef void (*ck_dot_rows_fn)(const void *w, size_t row_bytes, const void *x, int n, float *out);
#define CK_ROWS 4

// Scalar kernels (Scalar.c).
float ck_dot_f32_scalar(const void *w, const void *x, int n);
float ck_dot_f16_scalar(const void *w, const void *x, int n);
float ck_dot_bf16_scalar(const void *w, const void *x, int n);
float ck_dot_q4_0_scalar(const void *w, const void *x, int n);
float ck_dot_q4_1_scalar(const void *w, const void *x, int n);
float ck_dot_q5_0_scalar(const void *w, const void *x, int n);
float ck_dot_q5_1_scalar(const void *w, const void *x, int n);
float ck_dot_q8_0_scalar(const void *w, const void *x, int n);
float ck_dot_q4_k_scalar(const void *w, const void *x, int n);
float ck_dot_q5_k_scalar(const void *w, const void *x, int n);
float ck_dot_q6_k_scalar(const void *w, const void *x, int n);
void ck_quantize_q8_scalar(const float *x, void *dst, int n);

// AVX2 kernels (AVX2.c); only called when the CPU has AVX2, FMA and F16C. The *_vnni ones (VNNI.c)
// also need AVX-512 F, BW, VL and VNNI.
float ck_dot_f32_avx2(const void *w, const void *x, int n);
float ck_dot_f16_avx2(const void *w, const void *x, int n);
float ck_dot_bf16_avx2(const void *w, const void *x, int n);
/// One int8 block format's kernels for one instruction set: one token, CK_ROWS rows, CK_MULTI tokens.
#define CK_INT8_KERNELS(name, isa)                                                                   \
    float ck_dot_##name##_##isa(const void *w, const void *x, int n);                                \
    void ck_dot_##name##_rows_##isa(const void *w, size_t row_bytes, const void *x, int n, float *out); \
    void ck_dot_##name##_multi_##isa(const void *w, const void *x, size_t x_stride, int n, const float *scales, \
                                     const float *sums, size_t scale_stride, float *out);
CK_INT8_KERNELS(q4_0, avx2)
CK_INT8_KERNELS(q4_1, avx2)
CK_INT8_KERNELS(q8_0, avx2)
CK_INT8_KERNELS(q4_0, vnni)
CK_INT8_KERNELS(q4_1, vnni)
CK_INT8_KERNELS(q8_0, vnni)
#undef CK_INT8_KERNELS
float ck_dot_q4_k_avx2(const void *w, const void *x, int n);
float ck_dot_q6_k_avx2(const void *w, const void *x, int n);
void ck_quantize_q8_avx2(const float *x, void *dst, int n);
void ck_attention_avx2(const float *q, const uint16_t *keys, const uint16_t *values, size_t stride, int n,
                       int dim, float scale, int batched, float *scratch, float *out);
void ck_silu_mul_avx2(float *a, const float *b, int n);
void ck_store_halves_avx2(const float *x, uint16_t *dst, int n);
