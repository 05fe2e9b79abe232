// Deliberately without include guards: included once per instruction set.
// The K-quant kernels (Q2_K, Q3_K, Q4_K, Q5_K, Q6_K against Q8_K activations), compiled once per
// instruction set: the including file defines CK_KERNEL_TARGET (function attributes),
// CK_KERNEL_NAME (the name suffix) and CK_KERNEL_SCALED_ADD(sum, pairs, scales), which adds the
// int16 pair sums times the int16 scales, summed in pairs, to the eight int32 lanes of `sum`.
//
// One generic kernel serves every type (the type is a constant after inlining), with the values of
// a super-block unpacked per 32-element chunk into unsigned bytes (see ck_kquant_scales):
// - integer part: lane k of eight int32 lanes sums scale * u * x over bytes 4k..4k+3 of every
//   chunk, exactly; the offset (Q3_K's 4) comes off each product, or (Q6_K's 32) off lane k as
//   32 * (scale * bsum) of groups 2k and 2k + 1, as llama.cpp's AVX2 dot takes it;
// - the float part in the order of ck_kquant_order (BlockFormats.h): eight float lanes with one
//   FMA of d * x.d per super-block and the minimums in four lanes (Q2_K) or one chain (Q5_K), or
//   for Q4_K one chain per row for the dots and one for the minimums (per super-block, or in a
//   batch per 64 values), or for the others in a batch one chain of each super-block's
//   (d * dot - dmin * minimums) * x.d.
// The portable kernel in Scalar.c does the same operations, so every level gives the same bits,
// and several tokens at once give each token what it would get alone.

/// `v` shifted right by `count` bits in each 16-bit lane.
CK_KERNEL_TARGET static inline __attribute__((always_inline)) __m256i CK_KERNEL_NAME(shift_right)(__m256i v, int count) {
    return _mm256_srl_epi16(v, _mm_cvtsi32_si128(count));
}

/// Value chunk c of a super-block as 32 unsigned bytes (ck_kquant_values, vectorized).
CK_KERNEL_TARGET static inline __attribute__((always_inline)) __m256i CK_KERNEL_NAME(kquant_chunk)(int type, const uint8_t *block, int c) {
    const __m256i low4 = _mm256_set1_epi8(0x0F), low2 = _mm256_set1_epi8(3), one = _mm256_set1_epi8(1);
#define CK_LOAD(p) _mm256_loadu_si256((const __m256i *)(p))
    switch (type) {
    case CK_TYPE_Q2_K: {
        const ck_block_q2_k *b = (const ck_block_q2_k *)block;
        return _mm256_and_si256(CK_KERNEL_NAME(shift_right)(CK_LOAD(b->qs + 32 * (c / 4)), 2 * (c % 4)), low2);
    }
    case CK_TYPE_Q3_K: {
        const ck_block_q3_k *b = (const ck_block_q3_k *)block;
        __m256i low = _mm256_and_si256(CK_KERNEL_NAME(shift_right)(CK_LOAD(b->qs + 32 * (c / 4)), 2 * (c % 4)), low2);
        __m256i high = _mm256_and_si256(CK_KERNEL_NAME(shift_right)(CK_LOAD(b->hmask), c), one);
        return _mm256_or_si256(low, _mm256_slli_epi16(high, 2));
    }
    case CK_TYPE_Q4_K: {
        const ck_block_q4_k *b = (const ck_block_q4_k *)block;
        return _mm256_and_si256(CK_KERNEL_NAME(shift_right)(CK_LOAD(b->qs + 32 * (c / 2)), 4 * (c % 2)), low4);
    }
    case CK_TYPE_Q5_K: {
        const ck_block_q5_k *b = (const ck_block_q5_k *)block;
        __m256i low = _mm256_and_si256(CK_KERNEL_NAME(shift_right)(CK_LOAD(b->qs + 32 * (c / 2)), 4 * (c % 2)), low4);
        __m256i high = _mm256_and_si256(CK_KERNEL_NAME(shift_right)(CK_LOAD(b->qh), c), one);
        return _mm256_or_si256(low, _mm256_slli_epi16(high, 4));
    }
    default: {
        const ck_block_q6_k *b = (const ck_block_q6_k *)block;
        __m256i low = _mm256_and_si256(
            CK_KERNEL_NAME(shift_right)(CK_LOAD(b->ql + 64 * (c / 4) + 32 * (c % 2)), 4 * ((c % 4) / 2)), low4);
        __m256i high = _mm256_and_si256(CK_KERNEL_NAME(shift_right)(CK_LOAD(b->qh + 32 * (c / 4)), 2 * (c % 4)), low2);
        return _mm256_or_si256(low, _mm256_slli_epi16(high, 4));
    }
    }
#undef CK_LOAD
}

/// A super-block's scales as int16 vectors: groups 0-7 and 8-15 (each repeated in both 128-bit
/// halves), and the 16 minimums.
typedef struct {
    __m256i low, high, mins;
    __m256i groups; // Q6_K: the 16 group scales in order, for the offset's correction
} CK_KERNEL_NAME(kquant_scale_vectors);

CK_KERNEL_TARGET static inline __attribute__((always_inline)) CK_KERNEL_NAME(kquant_scale_vectors)
    CK_KERNEL_NAME(scale_vectors)(int type, const uint8_t *block, ck_kquant_scales *s) {
    CK_KERNEL_NAME(kquant_scale_vectors) v;
    __m128i low, high;
    s->dmin = 0;
    s->offset = 0;
    switch (type) {
    case CK_TYPE_Q2_K: {
        const ck_block_q2_k *b = (const ck_block_q2_k *)block;
        s->d = ck_half_to_float(b->d);
        s->dmin = ck_half_to_float(b->dmin);
        __m128i packed = _mm_loadu_si128((const __m128i *)b->scales);
        __m128i scales = _mm_and_si128(packed, _mm_set1_epi8(0x0F));
        low = _mm_cvtepu8_epi16(scales);
        high = _mm_cvtepu8_epi16(_mm_srli_si128(scales, 8));
        v.mins = _mm256_cvtepu8_epi16(_mm_and_si128(_mm_srli_epi16(packed, 4), _mm_set1_epi8(0x0F)));
        break;
    }
    case CK_TYPE_Q4_K: case CK_TYPE_Q5_K: {
        const ck_block_q4_k *b = (const ck_block_q4_k *)block;
        uint32_t halves;
        memcpy(&halves, &b->d, sizeof halves);
        const __m128 scale_pair = _mm_cvtph_ps(_mm_cvtsi32_si128((int)halves)); // exact, as ck_half_to_float
        s->d = _mm_cvtss_f32(scale_pair);
        s->dmin = _mm_cvtss_f32(_mm_movehdup_ps(scale_pair));
        // ck_k4_scales_and_mins on four 32-bit lanes; the load's last word is the values' first.
        const __m128i words = _mm_loadu_si128((const __m128i *)b->scales);
        const __m128i sixes = _mm_shuffle_epi32(words, 0x98);  // words 0, 2, 1, 2
        const __m128i highs = _mm_shuffle_epi32(words, 0x50);  // words 0, 0, 1, 1
        const __m128i shifted = _mm_srlv_epi32(sixes, _mm_setr_epi32(0, 0, 0, 4));
        __m128i both = _mm_or_si128(
            _mm_and_si128(shifted, _mm_setr_epi32(0x3F3F3F3F, 0x0F0F0F0F, 0x3F3F3F3F, 0x0F0F0F0F)),
            _mm_and_si128(_mm_srli_epi32(highs, 2), _mm_setr_epi32(0, 0x30303030, 0, 0x30303030)));
        __m128i scales = _mm_unpacklo_epi8(both, both); // each sub-block's scale for its two groups
        low = _mm_cvtepu8_epi16(scales);
        high = _mm_cvtepu8_epi16(_mm_srli_si128(scales, 8));
        v.mins = _mm256_cvtepu8_epi16(_mm_unpackhi_epi8(both, both));
        break;
    }
    case CK_TYPE_Q6_K: {
        const ck_block_q6_k *b = (const ck_block_q6_k *)block;
        s->d = ck_half_to_float(b->d);
        s->offset = 32;
        low = _mm_cvtepi8_epi16(_mm_loadl_epi64((const __m128i *)b->scales));
        high = _mm_cvtepi8_epi16(_mm_loadl_epi64((const __m128i *)(b->scales + 8)));
        v.mins = _mm256_setzero_si256();
        v.groups = _mm256_inserti128_si256(_mm256_castsi128_si256(low), high, 1);
        break;
    }
    default: { // Q3_K: its 6-bit scales are scattered over 12 bytes
        ck_kquant_block_scales(type, block, s);
        low = _mm_loadu_si128((const __m128i *)s->scales);
        high = _mm_loadu_si128((const __m128i *)(s->scales + 8));
        v.mins = _mm256_setzero_si256();
        break;
    }
    }
    v.low = _mm256_broadcastsi128_si256(low);
    v.high = _mm256_broadcastsi128_si256(high);
    return v;
}

/// The scales of chunk c's two groups, group 2c in the low eight int16 lanes and 2c + 1 in the high.
CK_KERNEL_TARGET static inline __attribute__((always_inline)) __m256i CK_KERNEL_NAME(chunk_scales)(const CK_KERNEL_NAME(kquant_scale_vectors) *v, int c) {
    static const int8_t pick[4][32] = {
#define CK_WORD(w) 2 * (w), 2 * (w) + 1
#define CK_EIGHT(w) CK_WORD(w), CK_WORD(w), CK_WORD(w), CK_WORD(w), CK_WORD(w), CK_WORD(w), CK_WORD(w), CK_WORD(w)
        {CK_EIGHT(0), CK_EIGHT(1)}, {CK_EIGHT(2), CK_EIGHT(3)}, {CK_EIGHT(4), CK_EIGHT(5)}, {CK_EIGHT(6), CK_EIGHT(7)},
#undef CK_EIGHT
#undef CK_WORD
    };
    __m256i mask = _mm256_loadu_si256((const __m256i *)pick[c % 4]);
    // Opaque to the optimizer: seeing a constant mask, clang rewrote this one byte shuffle as
    // three word and lane shuffles, the Q4_K kernel's bottleneck.
    __asm__("" : "+x"(mask));
    return _mm256_shuffle_epi8(c < 4 ? v->low : v->high, mask);
}

/// The exact sum of eight int32 lanes.
CK_KERNEL_TARGET static inline __attribute__((always_inline)) int CK_KERNEL_NAME(integer_total)(__m256i v) {
    __m128i sum = _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
    sum = _mm_add_epi32(sum, _mm_shuffle_epi32(sum, 0x4E));
    sum = _mm_add_epi32(sum, _mm_shuffle_epi32(sum, 0xB1));
    return _mm_cvtsi128_si32(sum);
}

/// Lane t = the exact sum of v[t]'s eight int32 lanes, for eight vectors at once.
CK_KERNEL_TARGET static inline __attribute__((always_inline)) __m256i CK_KERNEL_NAME(integer_totals8)(const __m256i *v) {
    __m256i low = _mm256_hadd_epi32(_mm256_hadd_epi32(v[0], v[1]), _mm256_hadd_epi32(v[2], v[3]));
    __m256i high = _mm256_hadd_epi32(_mm256_hadd_epi32(v[4], v[5]), _mm256_hadd_epi32(v[6], v[7]));
    return _mm256_add_epi32(_mm256_permute2x128_si256(low, high, 0x20), _mm256_permute2x128_si256(low, high, 0x31));
}

/// dot(weight row, activation row t) for `count` activation rows x_stride bytes apart; each weight
/// chunk is unpacked once for all of them.
CK_KERNEL_TARGET static inline __attribute__((always_inline)) void CK_KERNEL_NAME(kquant_dot)(int type, const void *w, const uint8_t *x,
                                                              size_t x_stride, int count, int n, int batched, float *out) {
    const uint8_t *wb = (const uint8_t *)w;
    const int block_bytes = ck_kquant_block_bytes(type);
    const int has_mins = ck_kquant_has_mins(type);
    const int order = ck_kquant_order(type, batched);
    __m256 acc[CK_MULTI];
    __m128 mins[CK_MULTI];
    float row_dots[CK_MULTI], row_mins[CK_MULTI];
    // CK_KQUANT_PAIR_CHAINS for a full group: the chains of all CK_MULTI tokens, one lane each.
    __m256 group_dots = _mm256_setzero_ps(), group_mins = _mm256_setzero_ps();
    for (int t = 0; t < count; t++) {
        acc[t] = _mm256_setzero_ps();
        mins[t] = _mm_setzero_ps();
        row_dots[t] = row_mins[t] = 0;
    }
    for (int b = 0; b < n / CK_QK; b++) {
        const uint8_t *block = wb + (size_t)b * block_bytes;
        for (int line = 0; line < block_bytes; line += 64) {
            _mm_prefetch((const char *)block + CK_PREFETCH_DISTANCE + line, _MM_HINT_T0);
        }
        ck_kquant_scales s;
        CK_KERNEL_NAME(kquant_scale_vectors) v = CK_KERNEL_NAME(scale_vectors)(type, block, &s);
        const __m256i offset = _mm256_set1_epi8((char)s.offset);
        __m256i sums[CK_MULTI];
        __m256i pair_sums[CK_QK / 64][CK_MULTI]; // CK_KQUANT_PAIR_CHAINS: each 64 values' lanes
        for (int t = 0; t < count; t++) sums[t] = _mm256_setzero_si256();
        // A full group's pair chains: each token's d * x.d, token t in lane t.
        const int group_pairs = order == CK_KQUANT_PAIR_CHAINS && count == CK_MULTI;
        __m256 dot_scale = _mm256_setzero_ps(), minimum_scale = _mm256_setzero_ps();
        if (group_pairs) {
            float dot_scales[CK_MULTI], minimum_scales[CK_MULTI];
            for (int t = 0; t < CK_MULTI; t++) {
                const ck_block_q8_k *xb = (const ck_block_q8_k *)(x + t * x_stride) + b;
                dot_scales[t] = s.d * xb->d;
                minimum_scales[t] = s.dmin * xb->d;
            }
            dot_scale = _mm256_loadu_ps(dot_scales);
            minimum_scale = _mm256_loadu_ps(minimum_scales);
        }
        // Unrolled, every chunk's shifts and offsets are constants; clang left Q6_K's loop rolled,
        // with variable shifts and a select per chunk, at 9 GB/s instead of 16 on one thread.
#pragma GCC unroll 8
        for (int c = 0; c < CK_QK / 32; c++) {
            __m256i u = CK_KERNEL_NAME(kquant_chunk)(type, block, c);
            __m256i scales = CK_KERNEL_NAME(chunk_scales)(&v, c);
            for (int t = 0; t < count; t++) {
                const ck_block_q8_k *xb = (const ck_block_q8_k *)(x + t * x_stride) + b;
                __m256i xq = _mm256_loadu_si256((const __m256i *)(xb->q + 32 * c));
                __m256i pairs = _mm256_maddubs_epi16(u, xq);
                if (type == CK_TYPE_Q3_K) pairs = _mm256_sub_epi16(pairs, _mm256_maddubs_epi16(offset, xq));
                sums[t] = CK_KERNEL_SCALED_ADD(sums[t], pairs, scales);
            }
            if (group_pairs && c % 2 == 1) {
                group_dots = _mm256_fmadd_ps(_mm256_cvtepi32_ps(CK_KERNEL_NAME(integer_totals8)(sums)), dot_scale, group_dots);
                for (int t = 0; t < CK_MULTI; t++) sums[t] = _mm256_setzero_si256();
            } else if (order == CK_KQUANT_PAIR_CHAINS && c % 2 == 1) {
                for (int t = 0; t < count; t++) {
                    pair_sums[c / 2][t] = sums[t];
                    sums[t] = _mm256_setzero_si256();
                }
            }
        }
        if (group_pairs) {
            // Pair p's minimums are lanes 2p and 2p + 1 of a token's products: hadd pairs them,
            // the shuffles and lane permutes put token t of pair p in lane t of minimums[p].
            __m256i products[CK_MULTI], halves[CK_MULTI / 2];
            for (int t = 0; t < CK_MULTI; t++) {
                const ck_block_q8_k *xb = (const ck_block_q8_k *)(x + t * x_stride) + b;
                products[t] = _mm256_madd_epi16(v.mins, _mm256_loadu_si256((const __m256i *)xb->bsums));
            }
            for (int h = 0; h < CK_MULTI / 2; h++) halves[h] = _mm256_hadd_epi32(products[2 * h], products[2 * h + 1]);
            __m256 even_low = _mm256_shuffle_ps(_mm256_castsi256_ps(halves[0]), _mm256_castsi256_ps(halves[1]), 0x88);
            __m256 even_high = _mm256_shuffle_ps(_mm256_castsi256_ps(halves[2]), _mm256_castsi256_ps(halves[3]), 0x88);
            __m256 odd_low = _mm256_shuffle_ps(_mm256_castsi256_ps(halves[0]), _mm256_castsi256_ps(halves[1]), 0xDD);
            __m256 odd_high = _mm256_shuffle_ps(_mm256_castsi256_ps(halves[2]), _mm256_castsi256_ps(halves[3]), 0xDD);
            const __m256 minimums[CK_QK / 64] = {
                _mm256_permute2f128_ps(even_low, even_high, 0x20), _mm256_permute2f128_ps(odd_low, odd_high, 0x20),
                _mm256_permute2f128_ps(even_low, even_high, 0x31), _mm256_permute2f128_ps(odd_low, odd_high, 0x31)};
            for (int p = 0; p < CK_QK / 64; p++) {
                group_mins = _mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_castps_si256(minimums[p])), minimum_scale, group_mins);
            }
            continue;
        }
        for (int t = 0; t < count; t++) {
            const ck_block_q8_k *xb = (const ck_block_q8_k *)(x + t * x_stride) + b;
            const __m256i bsums = _mm256_loadu_si256((const __m256i *)xb->bsums);
            if (type == CK_TYPE_Q6_K) sums[t] = _mm256_sub_epi32(sums[t], _mm256_slli_epi32(_mm256_madd_epi16(bsums, v.groups), 5));
            __m256i products = has_mins ? _mm256_madd_epi16(v.mins, bsums) : _mm256_setzero_si256();
            if (order == CK_KQUANT_ROW_CHAINS) {
                row_dots[t] = fmaf((float)CK_KERNEL_NAME(integer_total)(sums[t]), s.d * xb->d, row_dots[t]);
                row_mins[t] = fmaf((float)CK_KERNEL_NAME(integer_total)(products), s.dmin * xb->d, row_mins[t]);
                continue;
            }
            if (order == CK_KQUANT_PAIR_CHAINS) {
                // Four exact totals at once: lane p of the folded hadds is pair p's sum.
                __m256i folded = _mm256_hadd_epi32(_mm256_hadd_epi32(pair_sums[0][t], pair_sums[1][t]),
                                                   _mm256_hadd_epi32(pair_sums[2][t], pair_sums[3][t]));
                int32_t dots[4], minimums[4];
                _mm_storeu_si128((__m128i *)dots, _mm_add_epi32(_mm256_castsi256_si128(folded), _mm256_extracti128_si256(folded, 1)));
                _mm_storeu_si128((__m128i *)minimums,
                                 _mm256_castsi256_si128(_mm256_permute4x64_epi64(_mm256_hadd_epi32(products, products), 0x08)));
                const float dot_scale = s.d * xb->d, minimum_scale = s.dmin * xb->d;
                for (int p = 0; p < 4; p++) {
                    row_dots[t] = fmaf((float)dots[p], dot_scale, row_dots[t]);
                    row_mins[t] = fmaf((float)minimums[p], minimum_scale, row_mins[t]);
                }
                continue;
            }
            if (order == CK_KQUANT_TILED) {
                float scaled = s.d * (float)CK_KERNEL_NAME(integer_total)(sums[t]);
                if (has_mins) scaled = fmaf(-s.dmin, (float)CK_KERNEL_NAME(integer_total)(products), scaled);
                row_dots[t] = fmaf(scaled, xb->d, row_dots[t]);
                continue;
            }
            acc[t] = _mm256_fmadd_ps(_mm256_set1_ps(s.d * xb->d), _mm256_cvtepi32_ps(sums[t]), acc[t]);
            if (order == CK_KQUANT_LANES_MIN_CHAIN) {
                row_mins[t] = fmaf(-(s.dmin * xb->d), (float)CK_KERNEL_NAME(integer_total)(products), row_mins[t]);
            } else if (has_mins) {
                __m256i quads = _mm256_permute4x64_epi64(_mm256_hadd_epi32(products, products), 0x08);
                __m128 lanes = _mm_cvtepi32_ps(_mm256_castsi256_si128(quads));
                mins[t] = _mm_fmadd_ps(_mm_set1_ps(-(s.dmin * xb->d)), lanes, mins[t]);
            }
        }
    }
    if (order == CK_KQUANT_PAIR_CHAINS && count == CK_MULTI) {
        _mm256_storeu_ps(out, _mm256_sub_ps(group_dots, group_mins));
        return;
    }
    for (int t = 0; t < count; t++) {
        if (order == CK_KQUANT_ROW_CHAINS || order == CK_KQUANT_PAIR_CHAINS || order == CK_KQUANT_TILED) {
            out[t] = row_dots[t] - row_mins[t];
            continue;
        }
        float total = hsum(acc[t]);
        if (order == CK_KQUANT_LANES_MIN_CHAIN) {
            total += row_mins[t];
        } else if (has_mins) {
            __m128 m = _mm_add_ps(mins[t], _mm_movehl_ps(mins[t], mins[t]));
            total += _mm_cvtss_f32(_mm_add_ss(m, _mm_movehdup_ps(m)));
        }
        out[t] = total;
    }
}

/// Q4_K decode: dots of CK_MULTI weight rows w_stride bytes apart with one token's Q8_K row, in
/// the order of CK_KQUANT_ROW_CHAINS, so each row gets what kquant_dot gives it alone. Row r's two
/// chains are lane r of two vectors: one transpose gives the eight rows' exact totals per
/// super-block, where a row at a time pays two horizontal sums.
CK_KERNEL_TARGET void CK_KERNEL_NAME(ck_dot_q4_k_rows)(const void *w, size_t w_stride, const void *x, int n, float *out) {
    const uint8_t *rows = (const uint8_t *)w;
    const ck_block_q8_k *xb = (const ck_block_q8_k *)x;
    __m256 dots = _mm256_setzero_ps(), minimums = _mm256_setzero_ps();
    for (int b = 0; b < n / CK_QK; b++) {
        const __m256i bsums = _mm256_loadu_si256((const __m256i *)xb[b].bsums);
        __m256i sums[CK_MULTI], products[CK_MULTI];
        float dot_scales[CK_MULTI], minimum_scales[CK_MULTI];
        for (int r = 0; r < CK_MULTI; r++) {
            const uint8_t *block = rows + (size_t)r * w_stride + (size_t)b * sizeof(ck_block_q4_k);
            const char *ahead = (const char *)block + CK_MULTI * w_stride;
            _mm_prefetch(ahead, _MM_HINT_T0);
            _mm_prefetch(ahead + 64, _MM_HINT_T0);
            _mm_prefetch(ahead + 128, _MM_HINT_T0);
            ck_kquant_scales s;
            CK_KERNEL_NAME(kquant_scale_vectors) v = CK_KERNEL_NAME(scale_vectors)(CK_TYPE_Q4_K, block, &s);
            __m256i sum = _mm256_setzero_si256();
#pragma GCC unroll 8
            for (int c = 0; c < CK_QK / 32; c++) {
                __m256i u = CK_KERNEL_NAME(kquant_chunk)(CK_TYPE_Q4_K, block, c);
                __m256i xq = _mm256_loadu_si256((const __m256i *)(xb[b].q + 32 * c));
                sum = CK_KERNEL_SCALED_ADD(sum, _mm256_maddubs_epi16(u, xq), CK_KERNEL_NAME(chunk_scales)(&v, c));
            }
            sums[r] = sum;
            products[r] = _mm256_madd_epi16(v.mins, bsums);
            dot_scales[r] = s.d * xb[b].d;
            minimum_scales[r] = s.dmin * xb[b].d;
        }
        dots = _mm256_fmadd_ps(_mm256_cvtepi32_ps(CK_KERNEL_NAME(integer_totals8)(sums)), _mm256_loadu_ps(dot_scales), dots);
        minimums = _mm256_fmadd_ps(_mm256_cvtepi32_ps(CK_KERNEL_NAME(integer_totals8)(products)),
                                   _mm256_loadu_ps(minimum_scales), minimums);
    }
    _mm256_storeu_ps(out, _mm256_sub_ps(dots, minimums));
}

#define CK_KQUANT_KERNELS(name, type)                                                                   \
    CK_KERNEL_TARGET float CK_KERNEL_NAME(ck_dot_##name)(const void *w, const void *x, int n) {          \
        float out;                                                                                       \
        CK_KERNEL_NAME(kquant_dot)(type, w, (const uint8_t *)x, 0, 1, n, 0, &out);                       \
        return out;                                                                                      \
    }                                                                                                    \
    CK_KERNEL_TARGET void CK_KERNEL_NAME(ck_dot_##name##_tokens)(const void *w, const void *x, size_t x_stride, \
                                                                int count, int n, int batched, float *out) { \
        /* One token (decode) and a full group get their count as a constant, their loops unrolled, */ \
        /* and every call its order: no branch on either is left in the loops. */                      \
        const uint8_t *rows = (const uint8_t *)x;                                                        \
        if (count == 1 && !batched) {                                                                    \
            CK_KERNEL_NAME(kquant_dot)(type, w, rows, x_stride, 1, n, 0, out);                           \
        } else if (count == CK_MULTI && batched) {                                                       \
            CK_KERNEL_NAME(kquant_dot)(type, w, rows, x_stride, CK_MULTI, n, 1, out);                    \
        } else if (count == CK_MULTI) {                                                                  \
            CK_KERNEL_NAME(kquant_dot)(type, w, rows, x_stride, CK_MULTI, n, 0, out);                    \
        } else {                                                                                         \
            CK_KERNEL_NAME(kquant_dot)(type, w, rows, x_stride, count, n, batched, out);                 \
        }                                                                                                \
    }

CK_KQUANT_KERNELS(q2_k, CK_TYPE_Q2_K)
CK_KQUANT_KERNELS(q3_k, CK_TYPE_Q3_K)
CK_KQUANT_KERNELS(q4_k, CK_TYPE_Q4_K)
CK_KQUANT_KERNELS(q5_k, CK_TYPE_Q5_K)
CK_KQUANT_KERNELS(q6_k, CK_TYPE_Q6_K)

#undef CK_KQUANT_KERNELS
