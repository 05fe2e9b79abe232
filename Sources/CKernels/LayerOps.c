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

static float dot_half(const float *a, const uint16_t *b, int n) {
#if defined(__x86_64__) || defined(__i386__)
    if (ck_has_avx2()) return ck_dot_half_avx2(a, b, n);
#endif
    float sum = 0;
    for (int i = 0; i < n; i++) sum += a[i] * ck_half_to_float(b[i]);
    return sum;
}

static void axpy_half(float *y, float a, const uint16_t *x, int n) {
#if defined(__x86_64__) || defined(__i386__)
    if (ck_has_avx2()) { ck_axpy_half_avx2(y, a, x, n); return; }
#endif
    for (int i = 0; i < n; i++) y[i] += a * ck_half_to_float(x[i]);
}

void ck_attention(const float *q, const uint16_t *keys, const uint16_t *values, size_t stride, int n,
                  int head_dim, float scale, float *scores, float *out) {
#if defined(__x86_64__) || defined(__i386__)
    if (ck_has_avx2() && head_dim % 16 == 0 && head_dim <= 512) {
        ck_attention_avx2(q, keys, values, stride, n, head_dim, scale, scores, out);
        return;
    }
#endif
    float query[512];
    int dim = head_dim < 512 ? head_dim : 512;
    for (int i = 0; i < dim; i++) query[i] = ck_round_to_half(q[i]);
    float max = -INFINITY;
    for (int p = 0; p < n; p++) {
        scores[p] = scale * dot_half(query, keys + (size_t)p * stride, dim);
        if (scores[p] > max) max = scores[p];
    }
    float total = 0;
    for (int p = 0; p < n; p++) {
        scores[p] = expf(scores[p] - max);
        total += scores[p];
    }
    for (int i = 0; i < dim; i++) out[i] = 0;
    float inv_total = 1.0f / total;
    for (int p = 0; p < n; p++) {
        axpy_half(out, ck_round_to_half(scores[p] * inv_total), values + (size_t)p * stride, dim);
    }
}
