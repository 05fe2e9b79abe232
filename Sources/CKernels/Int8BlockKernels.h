// Deliberately without include guards: included once per instruction set.
// The 32-block int8 kernels, compiled once per instruction set: the including file defines
// CK_KERNEL_TARGET (function attributes), CK_KERNEL_DOT (unsigned x signed bytes -> 8 float lanes)
// and CK_KERNEL_NAME (the name suffix), and CK_KERNEL_WIDE where AVX-512 registers may be used.

// One generic kernel serves Q4_1, Q5_0, Q5_1 and Q8_0 (the format is a constant after inlining;
// Q4_0 has its own, Q4_0TileKernel.h), in two shapes: one activation row against one weight
// row, and CK_MULTI activation rows at once for batched prefill, where each weight block is
// unpacked once for all of them and the eight scale products take one multiply.
//
// The arithmetic is llama.cpp's (ggml_vec_dot_q4_1_q8_1 and its siblings) step for step, in both
// shapes, so a token's result never depends on its batch: eight lanes of exact integer sums per
// block, each added with one FMA of the block's scale product into an eight-lane accumulator,
// block after block; Q4_1's and Q5_1's m * s terms go into a scalar FMA chain; the lanes are summed in hsum's
// order at the end. Any other order changes the last bits, and the 8-bit activation rounding of
// the next layer can turn that into a visible difference.
// The weight scales come from a plain 32-bit load (half_pair says why).

/// Weight block `block` as 32 bytes: Q4_1's and Q5_1's values (unsigned),
/// Q5_0's five-bit values minus 16 and Q8_0's values (signed).
CK_KERNEL_TARGET static inline __attribute__((always_inline)) __m256i CK_KERNEL_NAME(block_values)(int format, const uint8_t *block) {
    switch (format) {
    case CK_FORMAT_Q4_1: return unpack_nibbles(((const ck_block_q4_1 *)block)->qs);
    case CK_FORMAT_Q5_0: { // a clear fifth bit means value - 16: set the high nibble instead
        const ck_block_q5_0 *q5 = (const ck_block_q5_0 *)block;
        return _mm256_or_si256(unpack_nibbles(q5->qs), _mm256_andnot_si256(bits_as_bytes(q5->qh), _mm256_set1_epi8((char)0xF0)));
    }
    case CK_FORMAT_Q5_1: {
        const ck_block_q5_1 *q5 = (const ck_block_q5_1 *)block;
        return _mm256_or_si256(unpack_nibbles(q5->qs), _mm256_and_si256(bits_as_bytes(q5->qh), _mm256_set1_epi8(0x10)));
    }
    default: return _mm256_loadu_si256((const __m256i *)((const ck_block_q8_0 *)block)->qs);
    }
}

/// The 8 lanes of integer sums of weight values `q` with activation block `xb`.
CK_KERNEL_TARGET static inline __attribute__((always_inline)) __m256 CK_KERNEL_NAME(block_sums)(int format, __m256i q, const ck_block_q8 *xb) {
    __m256i xq = _mm256_loadu_si256((const __m256i *)xb->q);
    // Signed weights: their signs move onto the activations, so the weights are unsigned.
    return ck_format_has_min(format) ? CK_KERNEL_DOT(q, xq) : CK_KERNEL_DOT(_mm256_sign_epi8(q, q), _mm256_sign_epi8(xq, q));
}

/// One weight row with one activation row. A lone token reads its rows one after another: one
/// sequential stream, prefetched ahead, which measured 40 % faster on an AVX2 EPYC than four rows
/// read side by side (15 against 10.6 GB/s on one thread), though each row is one FMA chain.
CK_KERNEL_TARGET static inline __attribute__((always_inline)) float CK_KERNEL_NAME(dot_row)(int format, const void *w, const ck_block_q8 *x, int n) {
    const uint8_t *wb = (const uint8_t *)w;
    const size_t block_bytes = ck_format_block_bytes(format);
    __m256 acc = _mm256_setzero_ps();
    __m128 mins = _mm_setzero_ps(); // lane 1: the running sum of Q4_1's (Q5_1's) m * s
    for (int b = 0; b < n / 32; b++) {
        __m128 activation = activation_scale_and_sum(x + b);
        const uint8_t *block = wb + (size_t)b * block_bytes;
        _mm_prefetch((const char *)block + CK_PREFETCH_DISTANCE, _MM_HINT_T0);
        __m256 sums = CK_KERNEL_NAME(block_sums)(format, CK_KERNEL_NAME(block_values)(format, block), x + b);
        __m128 weight_scales = half_pair(block); // d, and m where the format has one
        acc = _mm256_fmadd_ps(_mm256_broadcastss_ps(_mm_mul_ss(weight_scales, activation)), sums, acc);
        if (ck_format_has_min(format)) mins = _mm_fmadd_ps(weight_scales, activation, mins);
    }
    float total = hsum(acc);
    return ck_format_has_min(format) ? total + _mm_cvtss_f32(_mm_movehdup_ps(mins)) : total;
}

/// CK_MULTI activation rows, x_stride bytes apart. `scales` and `sums` hold each block's d and s
/// for the CK_MULTI tokens side by side (block b at b * scale_stride).
CK_KERNEL_TARGET static inline __attribute__((always_inline)) void CK_KERNEL_NAME(dot_multi)(int format, const void *w, const uint8_t *x,
                                                             size_t x_stride, int n, const float *scales,
                                                             const float *sums, size_t scale_stride, float *out) {
    const uint8_t *wb = (const uint8_t *)w;
    const size_t block_bytes = ck_format_block_bytes(format);
#ifdef CK_KERNEL_WIDE
    // AVX-512: two tokens per 16-lane register, token 2k in lanes 0-7 and 2k + 1 in lanes 8-15, so
    // one product, conversion and FMA serve both; every lane still does exactly the 8-lane work.
    __m512 acc[CK_MULTI / 2];
    for (int k = 0; k < CK_MULTI / 2; k++) acc[k] = _mm512_setzero_ps();
#else
    __m256 acc[CK_MULTI];
    for (int t = 0; t < CK_MULTI; t++) acc[t] = _mm256_setzero_ps();
#endif
    __m256 mins = _mm256_setzero_ps(); // lane t: token t's running sum of Q4_1's (Q5_1's) m * s
    for (int b = 0; b < n / 32; b++) {
        const uint8_t *block = wb + (size_t)b * block_bytes;
        _mm_prefetch((const char *)block + CK_PREFETCH_DISTANCE, _MM_HINT_T0);
        __m256i q = CK_KERNEL_NAME(block_values)(format, block);
        __m128 weight_scales = half_pair(block); // d, and m where the format has one
        __m256 products = _mm256_mul_ps(_mm256_broadcastss_ps(weight_scales), _mm256_loadu_ps(scales + b * scale_stride));
        if (ck_format_has_min(format)) {
            __m256 m = _mm256_broadcastss_ps(_mm_movehdup_ps(weight_scales));
            mins = _mm256_fmadd_ps(m, _mm256_loadu_ps(sums + b * scale_stride), mins);
        }
#ifdef CK_KERNEL_WIDE
        __m512i weights = _mm512_broadcast_i64x4(ck_format_has_min(format) ? q : _mm256_abs_epi8(q));
        __mmask64 negative = _mm512_movepi8_mask(_mm512_broadcast_i64x4(q));
        __m512 all_products = _mm512_castps256_ps512(products);
        for (int k = 0; k < CK_MULTI / 2; k++) {
            const ck_block_q8 *x0 = (const ck_block_q8 *)(x + 2 * k * x_stride) + b;
            const ck_block_q8 *x1 = (const ck_block_q8 *)(x + (2 * k + 1) * x_stride) + b;
            __m512i xq = _mm512_inserti64x4(_mm512_castsi256_si512(_mm256_loadu_si256((const __m256i *)x0->q)),
                                            _mm256_loadu_si256((const __m256i *)x1->q), 1);
            // Signed weights: their signs move onto the activations, so the weights are unsigned.
            if (!ck_format_has_min(format)) xq = _mm512_mask_sub_epi8(xq, negative, _mm512_setzero_si512(), xq);
            __m512 block_sums = _mm512_cvtepi32_ps(_mm512_dpbusd_epi32(_mm512_setzero_si512(), weights, xq));
            __m512i lanes = _mm512_inserti64x4(_mm512_castsi256_si512(_mm256_set1_epi32(2 * k)), _mm256_set1_epi32(2 * k + 1), 1);
            acc[k] = _mm512_fmadd_ps(_mm512_permutexvar_ps(lanes, all_products), block_sums, acc[k]);
        }
#else
        for (int t = 0; t < CK_MULTI; t++) {
            __m256 block_sums = CK_KERNEL_NAME(block_sums)(format, q, (const ck_block_q8 *)(x + t * x_stride) + b);
            __m256 scale = _mm256_permutevar8x32_ps(products, _mm256_set1_epi32(t));
            acc[t] = _mm256_fmadd_ps(scale, block_sums, acc[t]);
        }
#endif
    }
    float minimum_sums[CK_MULTI];
    _mm256_storeu_ps(minimum_sums, mins);
    for (int t = 0; t < CK_MULTI; t++) {
#ifdef CK_KERNEL_WIDE
        __m512 pair = acc[t / 2];
        __m256 lanes = t % 2 ? _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(pair), 1)) : _mm512_castps512_ps256(pair);
        float total = hsum(lanes);
#else
        float total = hsum(acc[t]);
#endif
        out[t] = ck_format_has_min(format) ? total + minimum_sums[t] : total;
    }
}

#define CK_MULTI_KERNELS(name, format)                                                                   \
    CK_KERNEL_TARGET float CK_KERNEL_NAME(ck_dot_##name)(const void *w, const void *x, int n) {          \
        return CK_KERNEL_NAME(dot_row)(format, w, (const ck_block_q8 *)x, n);                            \
    }                                                                                                    \
    CK_KERNEL_TARGET void CK_KERNEL_NAME(ck_dot_##name##_multi)(const void *w, const void *x, size_t x_stride, \
                                                               int n, const float *scales, const float *sums, \
                                                               size_t scale_stride, float *out) {        \
        CK_KERNEL_NAME(dot_multi)(format, w, (const uint8_t *)x, x_stride, n, scales, sums, scale_stride, out); \
    }

CK_MULTI_KERNELS(q4_1, CK_FORMAT_Q4_1)
CK_MULTI_KERNELS(q5_0, CK_FORMAT_Q5_0)
CK_MULTI_KERNELS(q5_1, CK_FORMAT_Q5_1)
CK_MULTI_KERNELS(q8_0, CK_FORMAT_Q8_0)

#undef CK_MULTI_KERNELS
