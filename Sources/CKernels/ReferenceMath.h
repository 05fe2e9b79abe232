#pragma once
// The float steps of llama.cpp's CPU backend whose rounding the engine reproduces: its exp
// approximation, used by softmax and SiLU, and the order in which it adds the lanes of a register.
// Both differ between its AVX-512 build (16 lanes) and its AVX2 build (8 lanes); `lanes` picks one.
// Lanes are independent, so these scalar forms give the vector results.

#include "BlockFormats.h"

/// ggml_v_expf, one lane: a degree-5 polynomial on the reduced argument, scaled by 2^n.
static inline float ck_reference_expf(float x) {
    const float shift = 0x1.8p23f;
    float z = fmaf(x, 0x1.715476p+0f, shift);
    float n = z - shift;
    float b = fmaf(-n, 0x1.7f7d1cp-20f, fmaf(-n, 0x1.62e4p-1f, x));
    if (isnan(n)) return n;
    if (fabsf(n) > 192) return n <= 0 ? 0.0f : INFINITY;
    float u = b * b;
    float j = fmaf(fmaf(fmaf(0x1.0e4020p-7f, b, 0x1.573e2ep-5f), u, fmaf(0x1.555e66p-3f, b, 0x1.fffdb6p-2f)), u,
                   fmaf(0x1.ffffecp-1f, b, 1.0f));
    return ldexpf(j, (int)n);
}

static inline float ck_float_from_bits(uint32_t bits) {
    float value;
    memcpy(&value, &bits, sizeof value);
    return value;
}

/// ggml_v_expf of the AVX2 build, one lane: the polynomial without its constant term, then
/// k + k * j with k = 2^n put straight into the exponent bits; past |n| > 126 two factors scale it.
static inline float ck_reference_expf_avx2(float x) {
    const float shift = 0x1.8p23f;
    float z = fmaf(x, 0x1.715476p+0f, shift);
    float n = z - shift;
    float b = fmaf(-n, 0x1.7f7d1cp-20f, fmaf(-n, 0x1.62e4p-1f, x));
    uint32_t z_bits;
    memcpy(&z_bits, &z, sizeof z_bits);
    uint32_t e = z_bits << 23;
    float k = ck_float_from_bits(e + 0x3f800000u);
    float u = b * b;
    float j = fmaf(fmaf(fmaf(0x1.0e4020p-7f, b, 0x1.573e2ep-5f), u, fmaf(0x1.555e66p-3f, b, 0x1.fffdb6p-2f)), u,
                   0x1.ffffecp-1f * b);
    if (!(fabsf(n) > 126)) return fmaf(k, j, k);
    uint32_t g = n <= 0 ? 0x82000000u : 0;
    float s1 = ck_float_from_bits(g + 0x7f000000u);
    if (fabsf(n) > 192) return s1 * s1;
    float s2 = ck_float_from_bits(e - g);
    return fmaf(s2, j, s2) * s1;
}

/// exp as the build of `lanes` width computes it (16: AVX-512, 8: AVX2).
static inline float ck_reference_exp(float x, int lanes) {
    return lanes == 8 ? ck_reference_expf_avx2(x) : ck_reference_expf(x);
}

/// ggml's SiLU, one lane: x / (1 + exp(-x)).
static inline float ck_reference_silu(float x, int lanes) {
    return x / (1.0f + ck_reference_exp(0.0f - x, lanes));
}

/// The sum of 16 lanes in the order of _mm512_reduce_add_ps: halves, then quarters, then pairs.
static inline float ck_reduce16(const float *lanes) {
    float eighths[8], quarters[4];
    for (int i = 0; i < 8; i++) eighths[i] = lanes[i] + lanes[i + 8];
    for (int i = 0; i < 4; i++) quarters[i] = eighths[i] + eighths[i + 4];
    return (quarters[0] + quarters[2]) + (quarters[1] + quarters[3]);
}

/// The sum of 8 lanes as tinyBLAS's hsum and the AVX2 softmax take it (movehl, then movehdup):
/// lane i + lane i + 4, then (0 + 2) + (1 + 3).
static inline float ck_reduce8(const float *lanes) {
    float halves[4];
    for (int i = 0; i < 4; i++) halves[i] = lanes[i] + lanes[i + 4];
    return (halves[0] + halves[2]) + (halves[1] + halves[3]);
}

/// The sum of 8 lanes as GGML_F32x8_REDUCE takes it (two hadds): lane i + lane i + 4, then
/// (0 + 1) + (2 + 3).
static inline float ck_reduce8_adjacent(const float *lanes) {
    float halves[4];
    for (int i = 0; i < 4; i++) halves[i] = lanes[i] + lanes[i + 4];
    return (halves[0] + halves[1]) + (halves[2] + halves[3]);
}

/// One register's sum in tinyBLAS and softmax, for the build of `lanes` width.
static inline float ck_reduce_register(const float *values, int lanes) {
    return lanes == 8 ? ck_reduce8(values) : ck_reduce16(values);
}

/// One register's sum at the end of ggml_vec_dot_f16, for the build of `lanes` width.
static inline float ck_reduce_dot_register(const float *values, int lanes) {
    return lanes == 8 ? ck_reduce8_adjacent(values) : ck_reduce16(values);
}
