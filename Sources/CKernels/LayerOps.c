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

static float dot_floats(const float *a, const float *b, int n) {
#if defined(__x86_64__) || defined(__i386__)
    if (ck_has_avx2()) return ck_dot_floats_avx2(a, b, n);
#endif
    float sum = 0;
    for (int i = 0; i < n; i++) sum += a[i] * b[i];
    return sum;
}

static void axpy(float *y, float a, const float *x, int n) {
#if defined(__x86_64__) || defined(__i386__)
    if (ck_has_avx2()) { ck_axpy_avx2(y, a, x, n); return; }
#endif
    for (int i = 0; i < n; i++) y[i] += a * x[i];
}

void ck_attention(const float *q, const float *keys, const float *values, size_t stride, int n,
                  int head_dim, float scale, float *scores, float *out) {
    float max = -INFINITY;
    for (int p = 0; p < n; p++) {
        scores[p] = scale * dot_floats(q, keys + (size_t)p * stride, head_dim);
        if (scores[p] > max) max = scores[p];
    }
    float total = 0;
    for (int p = 0; p < n; p++) {
        scores[p] = expf(scores[p] - max);
        total += scores[p];
    }
    for (int i = 0; i < head_dim; i++) out[i] = 0;
    float inv_total = 1.0f / total;
    for (int p = 0; p < n; p++) axpy(out, scores[p] * inv_total, values + (size_t)p * stride, head_dim);
}
