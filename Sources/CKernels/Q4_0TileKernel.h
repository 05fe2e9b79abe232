// Deliberately without include guards: included once per instruction set.
// Q4_0 against 32-element int8 activations, eight weight rows by up to CK_Q4_0_TOKENS tokens at a
// time. The including file defines CK_KERNEL_TARGET, CK_KERNEL_NAME and
// CK_KERNEL_ROW_SUMS(sums, u, x), which adds to the eight int32 lanes of `sums` the products of
// unsigned bytes `u` and signed bytes `x`, four to a lane; `sums` is int16 pairs (AVX2's maddubs,
// folded to int32 with one madd after the block) or int32 lanes (VNNI's dpbusd), per
// CK_KERNEL_ROW_SUMS_FINISH.
//
// The order is llama.cpp's for Q4_0 on every AVX2 or AVX-512 CPU, where it repacks Q4_0 matrices
// into eight interleaved rows: each block's dot product is an exact integer, converted once and
// added with one FMA of (weight d * activation d), block after block, one chain per output. With
// the eight rows in the eight lanes of a register, no horizontal sum is left at the end. The rows
// are read where they are: each block's eight 16-byte value runs are transposed in registers.
//
// Exactness: the values go in unsigned (nibble 0..15, so sum((q - 8) x) = sum(q x) - 8 sum(x), with
// sum(x) taken once per token and block by the caller); a pair of products is at most
// 2 * 15 * 127 = 3810 and a block adds eight pairs per int16 lane, at most 30480 < 32768.

/// Block `b` of eight rows as eight vectors: byte 4r + e of values[k] is row r's value 4k + e.
CK_KERNEL_TARGET static inline __attribute__((always_inline)) void CK_KERNEL_NAME(q4_0_tile_values)(
    const uint8_t *const rows[8], int b, __m256i values[8]) {
    __m256i pairs[4]; // rows r (low half) and r + 4 (high half)
    for (int r = 0; r < 4; r++) {
        const ck_block_q4_0 *low = (const ck_block_q4_0 *)rows[r] + b, *high = (const ck_block_q4_0 *)rows[r + 4] + b;
        pairs[r] = _mm256_loadu2_m128i((const __m128i *)high->qs, (const __m128i *)low->qs);
    }
    // A 4 x 4 transpose of 32-bit words in each half: word k of every row side by side.
    __m256i t0 = _mm256_unpacklo_epi32(pairs[0], pairs[1]), t1 = _mm256_unpackhi_epi32(pairs[0], pairs[1]);
    __m256i t2 = _mm256_unpacklo_epi32(pairs[2], pairs[3]), t3 = _mm256_unpackhi_epi32(pairs[2], pairs[3]);
    __m256i words[4] = {_mm256_unpacklo_epi64(t0, t2), _mm256_unpackhi_epi64(t0, t2), _mm256_unpacklo_epi64(t1, t3),
                        _mm256_unpackhi_epi64(t1, t3)};
    const __m256i low4 = _mm256_set1_epi8(0x0F);
    for (int k = 0; k < 4; k++) {
        values[k] = _mm256_and_si256(words[k], low4);                             // values 4k..4k+3
        values[k + 4] = _mm256_and_si256(_mm256_srli_epi16(words[k], 4), low4); // values 16+4k..
    }
}

/// The eight rows' block scales as floats, row r in lane r.
CK_KERNEL_TARGET static inline __attribute__((always_inline)) __m256 CK_KERNEL_NAME(q4_0_tile_scales)(const uint8_t *const rows[8], int b) {
    __m128i halves = _mm_setzero_si128();
#define CK_SCALE(r) halves = _mm_insert_epi16(halves, ((const ck_block_q4_0 *)rows[r] + b)->d, r)
    CK_SCALE(0); CK_SCALE(1); CK_SCALE(2); CK_SCALE(3); CK_SCALE(4); CK_SCALE(5); CK_SCALE(6); CK_SCALE(7);
#undef CK_SCALE
    return _mm256_cvtph_ps(halves);
}

/// y[t * ldy + r] = dot(weight row r, activation row t) for r < `count` (at most 8) and t < `tokens`
/// (at most CK_Q4_0_TOKENS): rows `row_bytes` apart, activation rows `x_stride` apart, and
/// x_sums[t * blocks + b] the integer sum of token t's block b.
CK_KERNEL_TARGET void CK_KERNEL_NAME(ck_q4_0_tile)(const void *w, size_t row_bytes, int count, const void *x, size_t x_stride,
                                                   const int32_t *x_sums, int tokens, int n, float *y, size_t ldy) {
    const uint8_t *rows[8];
    for (int r = 0; r < 8; r++) rows[r] = (const uint8_t *)w + (size_t)(r < count ? r : count - 1) * row_bytes;
    const int blocks = n / 32;
    __m256 acc[CK_Q4_0_TOKENS];
    for (int t = 0; t < tokens; t++) acc[t] = _mm256_setzero_ps();
    for (int b = 0; b < blocks; b++) {
        // The eight rows lie one after another, so one linear stream ahead of the tile covers them:
        // 144 bytes a block in three prefetches, where one per row issued eight, mostly to lines
        // already on their way (measured 10-12 % faster decode on one and two threads).
        const char *ahead = (const char *)w + CK_TILE_PREFETCH_DISTANCE + (size_t)b * 8 * sizeof(ck_block_q4_0);
        for (int line = 0; line < 3; line++) _mm_prefetch(ahead + 64 * line, _MM_HINT_T0);
        __m256i values[8];
        CK_KERNEL_NAME(q4_0_tile_values)(rows, b, values);
        __m256 weight_scales = CK_KERNEL_NAME(q4_0_tile_scales)(rows, b);
        for (int t = 0; t < tokens; t++) {
            const ck_block_q8 *xb = (const ck_block_q8 *)((const uint8_t *)x + (size_t)t * x_stride) + b;
            __m256i sums = _mm256_setzero_si256();
            for (int k = 0; k < 8; k++) {
                int32_t word;
                memcpy(&word, xb->q + 4 * k, sizeof word);
                sums = CK_KERNEL_ROW_SUMS(sums, values[k], _mm256_set1_epi32(word));
            }
            __m256i exact = _mm256_sub_epi32(CK_KERNEL_ROW_SUMS_FINISH(sums), _mm256_set1_epi32(8 * x_sums[t * blocks + b]));
            acc[t] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(exact), _mm256_mul_ps(weight_scales, _mm256_set1_ps(xb->d)), acc[t]);
        }
    }
    for (int t = 0; t < tokens; t++) {
        float lanes[8];
        _mm256_storeu_ps(lanes, acc[t]);
        for (int r = 0; r < count; r++) y[(size_t)t * ldy + r] = lanes[r];
    }
}

