#pragma once
// The float steps of llama.cpp's CPU backend (an AVX-512 build) whose rounding the engine
// reproduces: its exp approximation, used by softmax and SiLU, and the order in which it adds the
// 16 lanes of a register. Lanes are independent, so these scalar forms give the vector results.

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

/// ggml's SiLU, one lane: x / (1 + exp(-x)).
static inline float ck_reference_silu(float x) {
    return x / (1.0f + ck_reference_expf(0.0f - x));
}

/// The sum of 16 lanes in the order of _mm512_reduce_add_ps: halves, then quarters, then pairs.
static inline float ck_reduce16(const float *lanes) {
    float eighths[8], quarters[4];
    for (int i = 0; i < 8; i++) eighths[i] = lanes[i] + lanes[i + 8];
    for (int i = 0; i < 4; i++) quarters[i] = eighths[i] + eighths[i + 4];
    return (quarters[0] + quarters[2]) + (quarters[1] + quarters[3]);
}
