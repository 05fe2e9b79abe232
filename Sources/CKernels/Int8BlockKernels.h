// Deliberately without include guards: included once per instruction set.
// The 32-block int8 kernels, compiled once per instruction set: the including file defines
// CK_KERNEL_TARGET (function attributes), CK_KERNEL_DOT (unsigned x signed bytes -> 8 float lanes)
// and CK_KERNEL_NAME (the name suffix).

// The 32-block kernels take up to CK_MULTI activation rows at once: in batched prefill each weight
// block is unpacked once for several tokens. One token is the same code with count 1, so batched
// and single-token results are identical.

CK_KERNEL_TARGET static inline void CK_KERNEL_NAME(dot_q4_0_multi)(const void *w, const uint8_t *x, size_t x_stride, int count, int n, float *out) {
    const ck_block_q4_0 *wb = (const ck_block_q4_0 *)w;
    __m256 acc[CK_MULTI];
    float offsets[CK_MULTI]; // the "- 8" of every weight, applied through the activation sums
    for (int t = 0; t < count; t++) { acc[t] = _mm256_setzero_ps(); offsets[t] = 0; }
    for (int b = 0; b < n / 32; b++) {
        float dw = _cvtsh_ss(wb[b].d);
        __m256i q = unpack_nibbles(wb[b].qs);
        for (int t = 0; t < count; t++) {
            const ck_block_q8 *xb = (const ck_block_q8 *)(x + t * x_stride) + b;
            __m256i xq = _mm256_loadu_si256((const __m256i *)xb->q);
            acc[t] = _mm256_fmadd_ps(_mm256_set1_ps(dw * xb->d), CK_KERNEL_DOT(q, xq), acc[t]);
            offsets[t] += dw * xb->s;
        }
    }
    for (int t = 0; t < count; t++) out[t] = hsum(acc[t]) - 8.0f * offsets[t];
}

CK_KERNEL_TARGET static inline void CK_KERNEL_NAME(dot_q4_1_multi)(const void *w, const uint8_t *x, size_t x_stride, int count, int n, float *out) {
    const ck_block_q4_1 *wb = (const ck_block_q4_1 *)w;
    __m256 acc[CK_MULTI];
    float mins[CK_MULTI];
    for (int t = 0; t < count; t++) { acc[t] = _mm256_setzero_ps(); mins[t] = 0; }
    for (int b = 0; b < n / 32; b++) {
        float dw = _cvtsh_ss(wb[b].d), mw = _cvtsh_ss(wb[b].m);
        __m256i q = unpack_nibbles(wb[b].qs);
        for (int t = 0; t < count; t++) {
            const ck_block_q8 *xb = (const ck_block_q8 *)(x + t * x_stride) + b;
            __m256i xq = _mm256_loadu_si256((const __m256i *)xb->q);
            acc[t] = _mm256_fmadd_ps(_mm256_set1_ps(dw * xb->d), CK_KERNEL_DOT(q, xq), acc[t]);
            mins[t] += mw * xb->s;
        }
    }
    for (int t = 0; t < count; t++) out[t] = hsum(acc[t]) + mins[t];
}

CK_KERNEL_TARGET static inline void CK_KERNEL_NAME(dot_q8_0_multi)(const void *w, const uint8_t *x, size_t x_stride, int count, int n, float *out) {
    const ck_block_q8_0 *wb = (const ck_block_q8_0 *)w;
    __m256 acc[CK_MULTI];
    for (int t = 0; t < count; t++) acc[t] = _mm256_setzero_ps();
    for (int b = 0; b < n / 32; b++) {
        float dw = _cvtsh_ss(wb[b].d);
        __m256i q = _mm256_loadu_si256((const __m256i *)wb[b].qs);
        __m256i magnitude = _mm256_sign_epi8(q, q);
        for (int t = 0; t < count; t++) {
            const ck_block_q8 *xb = (const ck_block_q8 *)(x + t * x_stride) + b;
            __m256i xq = _mm256_sign_epi8(_mm256_loadu_si256((const __m256i *)xb->q), q);
            acc[t] = _mm256_fmadd_ps(_mm256_set1_ps(dw * xb->d), CK_KERNEL_DOT(magnitude, xq), acc[t]);
        }
    }
    for (int t = 0; t < count; t++) out[t] = hsum(acc[t]);
}

#define CK_MULTI_KERNELS(name)                                                                          \
    CK_KERNEL_TARGET float CK_KERNEL_NAME(ck_dot_##name)(const void *w, const void *x, int n) {          \
        float out;                                                                                       \
        CK_KERNEL_NAME(dot_##name##_multi)(w, (const uint8_t *)x, 0, 1, n, &out);                        \
        return out;                                                                                      \
    }                                                                                                    \
    CK_KERNEL_TARGET void CK_KERNEL_NAME(ck_dot_##name##_multi)(const void *w, const void *x,            \
                                                               size_t x_stride, int count, int n,        \
                                                               float *out) {                             \
        if (count == CK_MULTI) CK_KERNEL_NAME(dot_##name##_multi)(w, (const uint8_t *)x, x_stride, CK_MULTI, n, out); \
        else CK_KERNEL_NAME(dot_##name##_multi)(w, (const uint8_t *)x, x_stride, count, n, out);         \
    }

CK_MULTI_KERNELS(q4_0)
CK_MULTI_KERNELS(q4_1)
CK_MULTI_KERNELS(q8_0)

#undef CK_MULTI_KERNELS
