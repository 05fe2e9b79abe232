#pragma once
// Small AVX2 building blocks shared by the AVX2 and AVX-512 VNNI kernel files.

#include "BlockFormats.h"
#include <immintrin.h>

#define CK_AVX2 __attribute__((target("avx2,fma,f16c")))

CK_AVX2 static inline float hsum(__m256 v) {
    __m128 sum = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    sum = _mm_add_ps(sum, _mm_movehl_ps(sum, sum));
    sum = _mm_add_ss(sum, _mm_movehdup_ps(sum));
    return _mm_cvtss_f32(sum);
}

/// 16 bytes of nibble pairs -> 32 bytes: low nibbles (elements 0..15), then high nibbles (16..31).
CK_AVX2 static inline __m256i unpack_nibbles(const uint8_t *qs) {
    __m128i packed = _mm_loadu_si128((const __m128i *)qs);
    __m256i both = _mm256_set_m128i(_mm_srli_epi16(packed, 4), packed);
    return _mm256_and_si256(both, _mm256_set1_epi8(0x0F));
}

/// The 32 bits at `p` as 32 bytes, 0xFF where bit i is set and 0 where it is clear (byte i, bit i).
CK_AVX2 static inline __m256i bits_as_bytes(const uint8_t *p) {
    uint32_t bits;
    memcpy(&bits, p, sizeof bits);
    const __m256i byte_of_bit = _mm256_setr_epi8(0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1,
                                                 2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3);
    __m256i spread = _mm256_shuffle_epi8(_mm256_set1_epi32((int)bits), byte_of_bit);
    const __m256i bit_of_byte = _mm256_set1_epi64x((long long)0x8040201008040201ULL);
    return _mm256_cmpeq_epi8(_mm256_and_si256(spread, bit_of_byte), bit_of_byte);
}

/// Sum of unsigned(u) * signed(s) per byte, as 8 float lanes.
CK_AVX2 static inline __m256 dot_u8_i8(__m256i u, __m256i s) {
    __m256i pairs = _mm256_maddubs_epi16(u, s);
    return _mm256_cvtepi32_ps(_mm256_madd_epi16(pairs, _mm256_set1_epi16(1)));
}

/// The two halves at `p` (a block's d, and its m or first value bytes) as floats in lanes 0 and 1.
/// The 32-bit load zeroes the rest of the register, so no block waits on an earlier one. Where only
/// lane 0 is used, clang narrows a load like this into a vpinsrw that merges into whatever register
/// it likes, the accumulator included, which chained every Q8_0 block to the previous FMA.
CK_AVX2 static inline __m128 half_pair(const void *p) {
    uint32_t bits;
    memcpy(&bits, p, sizeof bits);
    __m128i halves = _mm_cvtsi32_si128((int)bits);
    __asm__("" : "+x"(halves)); // the whole register is live here, so the load cannot become a merge
    return _mm_cvtph_ps(halves);
}

/// An activation block's d and s in lanes 0 and 1.
CK_AVX2 static inline __m128 activation_scale_and_sum(const ck_block_q8 *x) {
    return _mm_castsi128_ps(_mm_loadl_epi64((const __m128i *)x));
}
