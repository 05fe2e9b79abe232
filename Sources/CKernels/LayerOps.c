// The float kernels of a transformer layer: RMS norm, SwiGLU, RoPE and attention over the KV cache.

#include "CKernels.h"
#include "BlockFormats.h"
#include <math.h>

void ck_rms_norm(const float *x, const float *weight, float *out, int n, float eps) {
    double sum = 0;
    for (int i = 0; i < n; i++) sum += (double)x[i] * x[i];
    float scale = (float)(1.0 / sqrt(sum / n + eps));
    for (int i = 0; i < n; i++) out[i] = x[i] * scale * weight[i];
}

void ck_silu_mul(float *a, const float *b, int n) {
    for (int i = 0; i < n; i++) a[i] = a[i] / (1.0f + expf(-a[i])) * b[i];
}

void ck_add(float *y, const float *x, int n) {
    for (int i = 0; i < n; i++) y[i] += x[i];
}

void ck_rope(float *x, int n_heads, int head_dim, int n_rot, const float *inv_freq, float pos, int neox) {
    int half = n_rot / 2;
    for (int i = 0; i < half; i++) {
        float angle = pos * inv_freq[i];
        float c = cosf(angle), s = sinf(angle);
        for (int h = 0; h < n_heads; h++) {
            float *v = x + h * head_dim;
            int a = neox ? i : 2 * i;
            int b = neox ? i + half : 2 * i + 1;
            float x0 = v[a], x1 = v[b];
            v[a] = x0 * c - x1 * s;
            v[b] = x0 * s + x1 * c;
        }
    }
}

void ck_store_halves(const float *x, uint16_t *dst, int n) {
#if defined(__x86_64__) || defined(__i386__)
    if (ck_has_avx2()) { ck_store_halves_avx2(x, dst, n); return; }
#endif
    for (int i = 0; i < n; i++) dst[i] = ck_float_to_half(x[i]);
}

void ck_attention(const float *q, const uint16_t *keys, const uint16_t *values, size_t stride, int n,
                  int head_dim, float scale, float *scores, float *out) {
    int dim = head_dim < 512 ? head_dim : 512;
#if defined(__x86_64__) || defined(__i386__)
    if (ck_kernel_level() >= CK_KERNELS_AVX2 && dim % 8 == 0) {
        ck_attention_avx2(q, keys, values, stride, n, dim, scale, scores, out);
        return;
    }
#endif
    float query[512];
    for (int i = 0; i < dim; i++) query[i] = ck_round_to_half(q[i]);
    float max = -INFINITY;
    for (int p = 0; p < n; p++) {
        const uint16_t *k = keys + (size_t)p * stride;
        float sum = 0;
        for (int i = 0; i < dim; i++) sum += query[i] * ck_half_to_float(k[i]);
        scores[p] = scale * sum;
        if (scores[p] > max) max = scores[p];
    }
    ck_attention_weights(scores, n, max);
    for (int i = 0; i < dim; i++) out[i] = 0;
    for (int p = 0; p < n; p++) {
        const uint16_t *v = values + (size_t)p * stride;
        for (int i = 0; i < dim; i++) out[i] += scores[p] * ck_half_to_float(v[i]);
    }
}
