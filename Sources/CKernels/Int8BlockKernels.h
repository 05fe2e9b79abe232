// Deliberately without include guards: included once per instruction set.
// The 32-block int8 kernels, compiled once per instruction set: the including file defines
// CK_KERNEL_TARGET (function attributes), CK_KERNEL_DOT (unsigned x signed bytes -> 8 float lanes)
// and CK_KERNEL_NAME (the name suffix).

// One generic kernel serves Q4_0, Q4_1 and Q8_0 (the format is a constant after inlining) and up to
// CK_MULTI activation rows at once: in batched prefill each weight block is unpacked once for
// several tokens. One token is the same code with count 1, so batched and single-token results are
// identical.
//
// Two things keep it fast on one token, where a single accumulator chain would bound the speed:
// blocks are taken in pairs and summed before they reach the accumulator (one dependent add per
// two blocks), and the weight scales are converted from half with a plain 32-bit load, because
// `_cvtsh_ss` lets the compiler merge into a live register and chain every block to the last.

/// The products of weight block `block` with one activation row's block: returns the 8 partial
/// sums of q_w * q_x, sets `scale` to d_w * d_x in every lane and lane 1 of `extra` to the block's
/// correction term (m_w * s_x for Q4_1, d_w * s_x for Q4_0's offset of 8, unused for Q8_0).
CK_KERNEL_TARGET static inline __m256 CK_KERNEL_NAME(block_sums)(int format, const uint8_t *block, __m256i q,
                                                                const ck_block_q8 *xb, __m256 *scale, __m128 *extra) {
    __m128 weight_scales = format == CK_FORMAT_Q4_1 ? half_pair(block) : half_broadcast(block);
    __m128 scales = _mm_mul_ps(weight_scales, activation_scale_and_sum(xb));
    *extra = scales;
    *scale = _mm256_broadcastss_ps(scales);
    __m256i xq = _mm256_loadu_si256((const __m256i *)xb->q);
    // Q8_0 weights are signed: move their signs onto the activations so the weights are unsigned.
    return format == CK_FORMAT_Q8_0 ? CK_KERNEL_DOT(_mm256_sign_epi8(q, q), _mm256_sign_epi8(xq, q))
                                    : CK_KERNEL_DOT(q, xq);
}

CK_KERNEL_TARGET static inline __m256i CK_KERNEL_NAME(block_values)(int format, const uint8_t *block) {
    switch (format) {
    case CK_FORMAT_Q4_0: return unpack_nibbles(((const ck_block_q4_0 *)block)->qs);
    case CK_FORMAT_Q4_1: return unpack_nibbles(((const ck_block_q4_1 *)block)->qs);
    default: return _mm256_loadu_si256((const __m256i *)((const ck_block_q8_0 *)block)->qs);
    }
}

CK_KERNEL_TARGET static inline void CK_KERNEL_NAME(dot_blocks)(int format, const void *w, const uint8_t *x, size_t x_stride,
                                                              int count, int n, float *out) {
    const uint8_t *wb = (const uint8_t *)w;
    const size_t block_bytes = ck_format_block_bytes(format);
    const int blocks = n / 32;
    __m256 acc[CK_MULTI];
    __m128 extras[CK_MULTI];
    for (int t = 0; t < count; t++) { acc[t] = _mm256_setzero_ps(); extras[t] = _mm_setzero_ps(); }
    int b = 0;
    for (; b + 2 <= blocks; b += 2) {
        const uint8_t *w0 = wb + (size_t)b * block_bytes, *w1 = w0 + block_bytes;
        _mm_prefetch((const char *)w0 + CK_PREFETCH_DISTANCE, _MM_HINT_T0);
        __m256i q0 = CK_KERNEL_NAME(block_values)(format, w0), q1 = CK_KERNEL_NAME(block_values)(format, w1);
        for (int t = 0; t < count; t++) {
            const ck_block_q8 *xb = (const ck_block_q8 *)(x + t * x_stride) + b;
            __m128 e0, e1;
            __m256 s0, s1;
            __m256 p0 = CK_KERNEL_NAME(block_sums)(format, w0, q0, xb, &s0, &e0);
            __m256 p1 = CK_KERNEL_NAME(block_sums)(format, w1, q1, xb + 1, &s1, &e1);
            acc[t] = _mm256_add_ps(acc[t], _mm256_fmadd_ps(s1, p1, _mm256_mul_ps(s0, p0)));
            extras[t] = _mm_add_ps(extras[t], _mm_add_ps(e0, e1));
        }
    }
    if (b < blocks) {
        const uint8_t *w0 = wb + (size_t)b * block_bytes;
        __m256i q0 = CK_KERNEL_NAME(block_values)(format, w0);
        for (int t = 0; t < count; t++) {
            __m128 e0;
            __m256 s0;
            __m256 p0 = CK_KERNEL_NAME(block_sums)(format, w0, q0, (const ck_block_q8 *)(x + t * x_stride) + b, &s0, &e0);
            acc[t] = _mm256_fmadd_ps(s0, p0, acc[t]);
            extras[t] = _mm_add_ps(extras[t], e0);
        }
    }
    for (int t = 0; t < count; t++) {
        float extra = _mm_cvtss_f32(_mm_movehdup_ps(extras[t]));
        float total = hsum(acc[t]);
        out[t] = format == CK_FORMAT_Q4_1 ? total + extra : format == CK_FORMAT_Q4_0 ? total - 8.0f * extra : total;
    }
}

#define CK_MULTI_KERNELS(name, format)                                                                   \
    CK_KERNEL_TARGET float CK_KERNEL_NAME(ck_dot_##name)(const void *w, const void *x, int n) {          \
        float out;                                                                                       \
        CK_KERNEL_NAME(dot_blocks)(format, w, (const uint8_t *)x, 0, 1, n, &out);                        \
        return out;                                                                                      \
    }                                                                                                    \
    CK_KERNEL_TARGET void CK_KERNEL_NAME(ck_dot_##name##_multi)(const void *w, const void *x,            \
                                                               size_t x_stride, int count, int n,        \
                                                               float *out) {                             \
        if (count == CK_MULTI) CK_KERNEL_NAME(dot_blocks)(format, w, (const uint8_t *)x, x_stride, CK_MULTI, n, out); \
        else CK_KERNEL_NAME(dot_blocks)(format, w, (const uint8_t *)x, x_stride, count, n, out);         \
    }

CK_MULTI_KERNELS(q4_0, CK_FORMAT_Q4_0)
CK_MULTI_KERNELS(q4_1, CK_FORMAT_Q4_1)
CK_MULTI_KERNELS(q8_0, CK_FORMAT_Q8_0)

#undef CK_MULTI_KERNELS
