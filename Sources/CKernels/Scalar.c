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

static inline int dot_i8(const int8_t *a, const int8_t *b, int n) {
    int sum = 0;
    for (int i = 0; i < n; i++) sum += a[i] * b[i];
    return sum;
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

float ck_dot_q4_0_scalar(const void *w, const void *x, int n) {
    const ck_block_q4_0 *wb = (const ck_block_q4_0 *)w;
    const ck_block_q8 *xb = (const ck_block_q8 *)x;
    float lanes[8] = {0};
    for (int b = 0; b < n / 32; b++) {
        int8_t q[32];
        unpack_q4(wb[b].qs, 8, q);
        accumulate_block(lanes, ck_half_to_float(wb[b].d) * xb[b].d, q, xb[b].q);
    }
    return lanes_total(lanes);
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
    float sum = 0;
    for (int b = 0; b < n / 32; b++) {
        int8_t q[32];
        unpack_q5(wb[b].qs, wb[b].qh, 16, q);
        sum += ck_half_to_float(wb[b].d) * xb[b].d * (float)dot_i8(q, xb[b].q, 32);
    }
    return sum;
}

float ck_dot_q5_1_scalar(const void *w, const void *x, int n) {
    const ck_block_q5_1 *wb = (const ck_block_q5_1 *)w;
    const ck_block_q8 *xb = (const ck_block_q8 *)x;
    float sum = 0;
    for (int b = 0; b < n / 32; b++) {
        int8_t q[32];
        unpack_q5(wb[b].qs, wb[b].qh, 0, q);
        sum += ck_half_to_float(wb[b].d) * xb[b].d * (float)dot_i8(q, xb[b].q, 32)
             + ck_half_to_float(wb[b].m) * xb[b].s;
    }
    return sum;
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

float ck_dot_q4_k_scalar(const void *w, const void *x, int n) {
    const ck_block_q4_k *wb = (const ck_block_q4_k *)w;
    const ck_block_q8 *xb = (const ck_block_q8 *)x;
    float sum = 0;
    for (int b = 0; b < n / 256; b++) {
        float d = ck_half_to_float(wb[b].d), dmin = ck_half_to_float(wb[b].dmin);
        const uint8_t *qs = wb[b].qs;
        for (int j = 0; j < 4; j++) { // 64 elements: sub-blocks 2j (low nibbles) and 2j+1 (high)
            for (int half = 0; half < 2; half++) {
                int sub = 2 * j + half;
                uint8_t scale, min;
                ck_scale_min_k4(sub, wb[b].scales, &scale, &min);
                int8_t q[32];
                for (int l = 0; l < 32; l++) q[l] = (int8_t)(half ? qs[l] >> 4 : qs[l] & 0xF);
                const ck_block_q8 *xs = &xb[b * 8 + sub];
                sum += d * scale * xs->d * (float)dot_i8(q, xs->q, 32) - dmin * min * xs->s;
            }
            qs += 32;
        }
    }
    return sum;
}

float ck_dot_q5_k_scalar(const void *w, const void *x, int n) {
    const ck_block_q5_k *wb = (const ck_block_q5_k *)w;
    const ck_block_q8 *xb = (const ck_block_q8 *)x;
    float sum = 0;
    for (int b = 0; b < n / 256; b++) {
        float d = ck_half_to_float(wb[b].d), dmin = ck_half_to_float(wb[b].dmin);
        const uint8_t *qs = wb[b].qs;
        for (int j = 0; j < 4; j++) {
            for (int half = 0; half < 2; half++) {
                int sub = 2 * j + half;
                uint8_t scale, min, bit = (uint8_t)(1u << sub);
                ck_scale_min_k4(sub, wb[b].scales, &scale, &min);
                int8_t q[32];
                for (int l = 0; l < 32; l++) {
                    int low = half ? qs[l] >> 4 : qs[l] & 0xF;
                    q[l] = (int8_t)(low + ((wb[b].qh[l] & bit) ? 16 : 0));
                }
                const ck_block_q8 *xs = &xb[b * 8 + sub];
                sum += d * scale * xs->d * (float)dot_i8(q, xs->q, 32) - dmin * min * xs->s;
            }
            qs += 32;
        }
    }
    return sum;
}

float ck_dot_q6_k_scalar(const void *w, const void *x, int n) {
    const ck_block_q6_k *wb = (const ck_block_q6_k *)w;
    const ck_block_q8 *xb = (const ck_block_q8 *)x;
    float sum = 0;
    for (int b = 0; b < n / 256; b++) {
        float d = ck_half_to_float(wb[b].d);
        int8_t q[256];
        const uint8_t *ql = wb[b].ql, *qh = wb[b].qh;
        for (int chunk = 0; chunk < 2; chunk++) { // 128 elements each
            int8_t *y = q + chunk * 128;
            for (int l = 0; l < 32; l++) {
                y[l] = (int8_t)(((ql[l] & 0xF) | (((qh[l] >> 0) & 3) << 4)) - 32);
                y[l + 32] = (int8_t)(((ql[l + 32] & 0xF) | (((qh[l] >> 2) & 3) << 4)) - 32);
                y[l + 64] = (int8_t)(((ql[l] >> 4) | (((qh[l] >> 4) & 3) << 4)) - 32);
                y[l + 96] = (int8_t)(((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4)) - 32);
            }
            ql += 64;
            qh += 32;
        }
        for (int sub = 0; sub < 16; sub++) { // 16 elements per scale, two per q8 block
            const ck_block_q8 *xs = &xb[b * 8 + sub / 2];
            int dot = dot_i8(q + sub * 16, xs->q + (sub % 2) * 16, 16);
            sum += d * wb[b].scales[sub] * xs->d * (float)dot;
        }
    }
    return sum;
}
