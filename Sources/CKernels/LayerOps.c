// The float kernels of a transformer layer: RMS norm, SwiGLU, RoPE and attention over the KV cache.

#include "CKernels.h"
#include "BlockFormats.h"
#include "ReferenceMath.h"
#include <math.h>

#define CK_KERNEL_TARGET
#define CK_KERNEL_NAME(name) name##_scalar

static void load_halves_scalar(float *dst, const uint16_t *src, int n) {
    for (int i = 0; i < n; i++) dst[i] = ck_half_to_float(src[i]);
}

static void round_halves_scalar(float *x, int n) {
    for (int i = 0; i < n; i++) x[i] = ck_round_to_half(x[i]);
}

static void exp_shifted_scalar(float *x, int n, float max, int lanes) {
    for (int i = 0; i < n; i++) x[i] = ck_reference_exp(x[i] - max, lanes);
}

#include "Attention.h"

static void key_dots_scalar(float *scores, const float *query, const uint16_t *keys, size_t stride, int n, int dim,
                            int tiled, int lanes, float scale, float *row) {
    key_dots_any_scalar(scores, query, keys, stride, n, dim, tiled, lanes, scale, row);
}

static void value_lanes_scalar(float *rows, const float *weights, const uint16_t *values, size_t stride, int count,
                               int dim, int lane_count, float *row) {
    value_lanes_any_scalar(rows, weights, values, stride, count, dim, lane_count, row);
}

void ck_rms_norm(const float *x, const float *weight, float *out, int n, float eps) {
    // ggml's order: float squares summed in double, then the mean, the scale and both products in float.
    double sum = 0;
    for (int i = 0; i < n; i++) {
        float square = x[i] * x[i];
        sum += square;
    }
    float mean = (float)(sum / n);
    float scale = 1.0f / sqrtf(mean + eps);
    for (int i = 0; i < n; i++) {
        float scaled = x[i] * scale;
        out[i] = scaled * weight[i];
    }
}

void ck_silu_mul(float *a, const float *b, int n, int lanes) {
#if defined(__x86_64__) || defined(__i386__)
    if (ck_kernel_level() >= CK_KERNELS_AVX2) { ck_silu_mul_avx2(a, b, n, lanes); return; }
#endif
    for (int i = 0; i < n; i++) a[i] = ck_reference_silu(a[i], lanes) * b[i];
}

void ck_add(float *y, const float *x, int n) {
    for (int i = 0; i < n; i++) y[i] += x[i];
}

float ck_rope_theta_scale(float base, int n_rot) { return powf(base, -2.0f / (float)n_rot); }

void ck_rope_table(float *table, int pairs, int position, float theta_scale, float frequency_scale,
                   const float *factors) {
    // As ggml: each angle is the previous one times theta_scale, rounded to float at every step.
    float theta = (float)position;
    for (int i = 0; i < pairs; i++) {
        float angle = frequency_scale * (factors ? theta / factors[i] : theta);
        table[2 * i] = cosf(angle);
        table[2 * i + 1] = sinf(angle);
        theta *= theta_scale;
    }
}

void ck_rope(float *x, int n_heads, int head_dim, int n_rot, const float *table, int neox) {
    int half = n_rot / 2;
    for (int h = 0; h < n_heads; h++) {
        float *v = x + h * head_dim;
        for (int i = 0; i < half; i++) {
            float c = table[2 * i], s = table[2 * i + 1];
            int a = neox ? i : 2 * i;
            int b = neox ? i + half : 2 * i + 1;
            float x0 = v[a], x1 = v[b];
            // The FMAs GCC forms in llama.cpp's rope loop.
            v[a] = fmaf(c, x0, -(x1 * s));
            v[b] = fmaf(x0, s, x1 * c);
        }
    }
}

void ck_store_halves(const float *x, uint16_t *dst, int n) {
#if defined(__x86_64__) || defined(__i386__)
    if (ck_has_avx2()) { ck_store_halves_avx2(x, dst, n); return; }
#endif
    for (int i = 0; i < n; i++) dst[i] = ck_float_to_half(x[i]);
}

size_t ck_attention_scratch_floats(int n, int head_dim) {
    return (size_t)4 * head_dim + (size_t)((n + 63) & ~63) + (size_t)64 * head_dim;
}

void ck_attention(const float *q, const uint16_t *keys, const uint16_t *values, size_t stride, int n,
                  int head_dim, float scale, int batched, int lanes, float *scratch, float *out) {
#if defined(__x86_64__) || defined(__i386__)
    if (ck_kernel_level() >= CK_KERNELS_AVX2) {
        ck_attention_avx2(q, keys, values, stride, n, head_dim, scale, batched, lanes, scratch, out);
        return;
    }
#endif
    attention_scalar(q, keys, values, stride, n, head_dim, scale, batched, lanes, scratch, out);
}
