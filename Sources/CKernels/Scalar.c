// Portable scalar kernels: the fallback on CPUs without AVX2, and the only path for the rarer types.
// Quantized types multiply int8 weights with int8 activations per 32-element block, then scale.

#include "CKernels.h"
#include "BlockFormats.h"
#include <math.h>

void ck_quantize_q8_scalar(const float *x, void *dst, int n) {
    ck_block_q8 *y = (ck_block_q8 *)dst;
    for (int b = 0; b < n / CK_Q8_BLOCK; b++) {
        const float *xb = x + b * CK_Q8_BLOCK;
        float amax = 0;
        for (int i = 0; i < CK_Q8_BLOCK; i++) amax = fmaxf(amax, fabsf(xb[i]));
        float d = amax / 127.0f;
        float id = amax != 0 ? 127.0f / amax : 0.0f; // as ggml's SIMD quantizers compute it
        int sum = 0;
        for (int i = 0; i < CK_Q8_BLOCK; i++) {
            int q = (int)lrintf(xb[i] * id);
            y[b].q[i] = (int8_t)q;
            sum += q;
        }
        y[b].d = ck_round_to_half(d);
        y[b].s = ck_round_to_half(d * (float)sum);
    }
}

float ck_dot_f32_scalar(const void *w, const void *x, int n) {
    const float *a = (const float *)w, *b = (const float *)x;
    double sum = 0;
    for (int i = 0; i < n; i++) sum += (double)a[i] * b[i];
    return (float)sum;
}

float ck_dot_f16_scalar(const void *w, const void *x, int n) {
    const uint16_t *a = (const uint16_t *)w;
    const float *b = (const float *)x;
    double sum = 0;
    for (int i = 0; i < n; i++) sum += (double)ck_half_to_float(a[i]) * b[i];
    return (float)sum;
}

float ck_dot_bf16_scalar(const void *w, const void *x, int n) {
    const uint16_t *a = (const uint16_t *)w;
    const float *b = (const float *)x;
    double sum = 0;
    for (int i = 0; i < n; i++) sum += (double)ck_bf16_to_float(a[i]) * b[i];
    return (float)sum;
}

/// One 32-value block of an int8 dot product in llama.cpp's order (see Int8BlockKernels.h): lane k
/// takes the exact integer sum of elements 4k..4k+3, scaled and added with one FMA.
static inline void accumulate_block(float lanes[8], float scale, const int8_t *w, const int8_t *x) {
    for (int k = 0; k < 8; k++) {
        int sum = 0;
        for (int j = 4 * k; j < 4 * k + 4; j++) sum += w[j] * x[j];
        lanes[k] = fmaf(scale, (float)sum, lanes[k]);
    }
}

/// The eight lanes summed in the order of the AVX2 kernels' hsum.
static inline float lanes_total(const float lanes[8]) {
    float r0 = lanes[0] + lanes[4], r1 = lanes[1] + lanes[5], r2 = lanes[2] + lanes[6], r3 = lanes[3] + lanes[7];
    return (r0 + r2) + (r1 + r3);
}

static inline void unpack_q4(const uint8_t *qs, int offset, int8_t *q) {
    for (int j = 0; j < 16; j++) {
        q[j] = (int8_t)((qs[j] & 0xF) - offset);
        q[j + 16] = (int8_t)((qs[j] >> 4) - offset);
    }
}

/// Q4_0 in llama.cpp's repacked order (Q4_0TileKernel.h): each block's exact integer dot, then
/// one FMA of (weight d * activation d) per block.
float ck_dot_q4_0_scalar(const void *w, const void *x, int n) {
    const ck_block_q4_0 *wb = (const ck_block_q4_0 *)w;
    const ck_block_q8 *xb = (const ck_block_q8 *)x;
    float total = 0;
    for (int b = 0; b < n / 32; b++) {
        int8_t q[32];
        unpack_q4(wb[b].qs, 8, q);
        int sum = 0;
        for (int j = 0; j < 32; j++) sum += q[j] * xb[b].q[j];
        float scale = ck_half_to_float(wb[b].d) * xb[b].d;
        total = fmaf((float)sum, scale, total);
    }
    return total;
}

float ck_dot_q4_1_scalar(const void *w, const void *x, int n) {
    const ck_block_q4_1 *wb = (const ck_block_q4_1 *)w;
    const ck_block_q8 *xb = (const ck_block_q8 *)x;
    float lanes[8] = {0};
    float mins = 0;
    for (int b = 0; b < n / 32; b++) {
        int8_t q[32];
        unpack_q4(wb[b].qs, 0, q);
        accumulate_block(lanes, ck_half_to_float(wb[b].d) * xb[b].d, q, xb[b].q);
        mins = fmaf(ck_half_to_float(wb[b].m), xb[b].s, mins);
    }
    return lanes_total(lanes) + mins;
}

/// The 32 five-bit values of a Q5_0 / Q5_1 block: low nibbles plus one high bit each from qh.
static inline void unpack_q5(const uint8_t *qs, const uint8_t *qh_bytes, int offset, int8_t *q) {
    uint32_t qh;
    memcpy(&qh, qh_bytes, 4);
    for (int j = 0; j < 16; j++) {
        uint8_t high0 = (uint8_t)(((qh >> j) << 4) & 0x10);
        uint8_t high1 = (uint8_t)((qh >> (j + 12)) & 0x10);
        q[j] = (int8_t)(((qs[j] & 0xF) | high0) - offset);
        q[j + 16] = (int8_t)(((qs[j] >> 4) | high1) - offset);
    }
}

float ck_dot_q5_0_scalar(const void *w, const void *x, int n) {
    const ck_block_q5_0 *wb = (const ck_block_q5_0 *)w;
    const ck_block_q8 *xb = (const ck_block_q8 *)x;
    float lanes[8] = {0};
    for (int b = 0; b < n / 32; b++) {
        int8_t q[32];
        unpack_q5(wb[b].qs, wb[b].qh, 16, q);
        accumulate_block(lanes, ck_half_to_float(wb[b].d) * xb[b].d, q, xb[b].q);
    }
    return lanes_total(lanes);
}

float ck_dot_q5_1_scalar(const void *w, const void *x, int n) {
    const ck_block_q5_1 *wb = (const ck_block_q5_1 *)w;
    const ck_block_q8 *xb = (const ck_block_q8 *)x;
    float lanes[8] = {0};
    float mins = 0;
    for (int b = 0; b < n / 32; b++) {
        int8_t q[32];
        unpack_q5(wb[b].qs, wb[b].qh, 0, q);
        accumulate_block(lanes, ck_half_to_float(wb[b].d) * xb[b].d, q, xb[b].q);
        mins = fmaf(ck_half_to_float(wb[b].m), xb[b].s, mins);
    }
    return lanes_total(lanes) + mins;
}

float ck_dot_q8_0_scalar(const void *w, const void *x, int n) {
    const ck_block_q8_0 *wb = (const ck_block_q8_0 *)w;
    const ck_block_q8 *xb = (const ck_block_q8 *)x;
    float lanes[8] = {0};
    for (int b = 0; b < n / 32; b++) {
        accumulate_block(lanes, ck_half_to_float(wb[b].d) * xb[b].d, wb[b].qs, xb[b].q);
    }
    return lanes_total(lanes);
}

void ck_quantize_q8_k(const float *x, void *dst, int n) {
    ck_block_q8_k *y = (ck_block_q8_k *)dst;
    for (int b = 0; b < n / CK_QK; b++) {
        const float *xb = x + b * CK_QK;
        float max = 0, amax = 0; // the element of largest magnitude, with its sign
        for (int i = 0; i < CK_QK; i++) {
            float ax = fabsf(xb[i]);
            if (ax > amax) { amax = ax; max = xb[i]; }
        }
        memset(&y[b], 0, sizeof y[b]);
        if (amax == 0) continue;
        // As llama.cpp: the scale is negative when that element is, which maps it to -127.
        const float iscale = -127.0f / max;
        for (int i = 0; i < CK_QK; i++) {
            int q = (int)nearbyintf(iscale * xb[i]);
            y[b].q[i] = (int8_t)(q < 127 ? q : 127);
        }
        for (int g = 0; g < CK_QK / 16; g++) {
            int sum = 0;
            for (int i = 0; i < 16; i++) sum += y[b].q[16 * g + i];
            y[b].bsums[g] = (int16_t)sum;
        }
        y[b].d = 1 / iscale;
    }
}

float ck_dot_kquant_scalar(int type, const void *w, const void *x, int n, int batched) {
    const uint8_t *wb = (const uint8_t *)w;
    const ck_block_q8_k *xb = (const ck_block_q8_k *)x;
    const int block_bytes = ck_kquant_block_bytes(type);
    const int order = ck_kquant_order(type, batched);
    float lanes[8] = {0}, mins[4] = {0}, row_dot = 0, row_mins = 0;
    for (int b = 0; b < n / CK_QK; b++) {
        ck_kquant_scales s;
        ck_kquant_block_scales(type, wb + (size_t)b * block_bytes, &s);
        const int product_offset = type == CK_TYPE_Q3_K ? s.offset : 0;
        int sums[8] = {0}, pair_dots[CK_QK / 64] = {0};
        for (int c = 0; c < CK_QK / 32; c++) {
            uint8_t u[32];
            ck_kquant_values(type, wb + (size_t)b * block_bytes, c, u);
            for (int k = 0; k < 8; k++) {
                int group = 2 * c + k / 4, sum = 0;
                for (int j = 4 * k; j < 4 * k + 4; j++) sum += (u[j] - product_offset) * xb[b].q[32 * c + j];
                sums[k] += s.scales[group] * sum;
                pair_dots[c / 2] += s.scales[group] * sum;
            }
        }
        if (type == CK_TYPE_Q6_K) {
            for (int k = 0; k < 8; k++) {
                sums[k] -= 32 * (s.scales[2 * k] * xb[b].bsums[2 * k] + s.scales[2 * k + 1] * xb[b].bsums[2 * k + 1]);
            }
        }
        int minimum = 0;
        for (int g = 0; g < 16; g++) minimum += s.mins[g] * xb[b].bsums[g];
        int dot = 0;
        for (int k = 0; k < 8; k++) dot += sums[k];
        if (order == CK_KQUANT_PAIR_CHAINS) {
            for (int p = 0; p < CK_QK / 64; p++) {
                int pair_minimum = 0;
                for (int g = 4 * p; g < 4 * p + 4; g++) pair_minimum += s.mins[g] * xb[b].bsums[g];
                row_dot = fmaf((float)pair_dots[p], s.d * xb[b].d, row_dot);
                row_mins = fmaf((float)pair_minimum, s.dmin * xb[b].d, row_mins);
            }
            continue;
        }
        if (order == CK_KQUANT_ROW_CHAINS) {
            row_dot = fmaf((float)dot, s.d * xb[b].d, row_dot);
            row_mins = fmaf((float)minimum, s.dmin * xb[b].d, row_mins);
            continue;
        }
        if (order == CK_KQUANT_TILED) {
            float scaled = s.d * (float)dot;
            if (ck_kquant_has_mins(type)) scaled = fmaf(-s.dmin, (float)minimum, scaled);
            row_dot = fmaf(scaled, xb[b].d, row_dot);
            continue;
        }
        for (int k = 0; k < 8; k++) lanes[k] = fmaf(s.d * xb[b].d, (float)sums[k], lanes[k]);
        if (order == CK_KQUANT_LANES_MIN_CHAIN) {
            row_mins = fmaf(-(s.dmin * xb[b].d), (float)minimum, row_mins);
        } else if (ck_kquant_has_mins(type)) {
            for (int i = 0; i < 4; i++) {
                int sum = 0;
                for (int g = 4 * i; g < 4 * i + 4; g++) sum += s.mins[g] * xb[b].bsums[g];
                mins[i] = fmaf(-(s.dmin * xb[b].d), (float)sum, mins[i]);
            }
        }
    }
    if (order == CK_KQUANT_ROW_CHAINS || order == CK_KQUANT_PAIR_CHAINS || order == CK_KQUANT_TILED) {
        return row_dot - row_mins;
    }
    float total = lanes_total(lanes);
    if (order == CK_KQUANT_LANES_MIN_CHAIN) return total + row_mins;
    return ck_kquant_has_mins(type) ? total + ((mins[0] + mins[2]) + (mins[1] + mins[3])) : total;
}
