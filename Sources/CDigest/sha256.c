#include "CDigest.h"
#include <string.h>

static const uint32_t round_constants[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static inline uint32_t rotate_right(uint32_t value, unsigned bits) {
    return (value >> bits) | (value << (32 - bits));
}

static void compress_portable(uint32_t state[8], const uint8_t block[64]) {
    uint32_t w[64];
    for (int i = 0; i < 16; i++) {
        w[i] = ((uint32_t)block[4 * i] << 24) | ((uint32_t)block[4 * i + 1] << 16) |
               ((uint32_t)block[4 * i + 2] << 8) | (uint32_t)block[4 * i + 3];
    }
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = rotate_right(w[i - 15], 7) ^ rotate_right(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = rotate_right(w[i - 2], 17) ^ rotate_right(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
    uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
    for (int i = 0; i < 64; i++) {
        uint32_t s1 = rotate_right(e, 6) ^ rotate_right(e, 11) ^ rotate_right(e, 25);
        uint32_t choose = (e & f) ^ (~e & g);
        uint32_t t1 = h + s1 + choose + round_constants[i] + w[i];
        uint32_t s0 = rotate_right(a, 2) ^ rotate_right(a, 13) ^ rotate_right(a, 22);
        uint32_t majority = (a & b) ^ (a & c) ^ (b & c);
        uint32_t t2 = s0 + majority;
        h = g; g = f; f = e; e = d + t1;
        d = c; c = b; b = a; a = t1 + t2;
    }
    state[0] += a; state[1] += b; state[2] += c; state[3] += d;
    state[4] += e; state[5] += f; state[6] += g; state[7] += h;
}

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#include <immintrin.h>

// The SHA extensions (Intel since Goldmont and Ice Lake, AMD since Zen) run two rounds per
// instruction: model files hash about six times faster than with the portable rounds.
// The state travels as the instructions want it: ABEF in one register, CDGH in the other.
__attribute__((target("sha,sse4.1"))) static void compress_hardware(uint32_t state[8], const uint8_t *block) {
    const __m128i big_endian = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
    __m128i dcba = _mm_loadu_si128((const __m128i *)state);
    __m128i hgfe = _mm_loadu_si128((const __m128i *)(state + 4));
    __m128i badc = _mm_shuffle_epi32(dcba, 0xB1);
    __m128i efgh = _mm_shuffle_epi32(hgfe, 0x1B);
    __m128i abef = _mm_alignr_epi8(badc, efgh, 8);
    __m128i cdgh = _mm_blend_epi16(efgh, badc, 0xF0);
    const __m128i abef_before = abef, cdgh_before = cdgh;
    // words[g % 4] holds message words 4g..4g+3 while group g runs; later groups are derived
    // in place from the four before them.
    __m128i words[4];
    for (int g = 0; g < 4; g++) {
        words[g] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(block + 16 * g)), big_endian);
    }
#pragma GCC unroll 16
    for (int g = 0; g < 16; g++) {
        if (g >= 4) {
            __m128i previous = words[(g + 3) % 4];
            __m128i partial = _mm_add_epi32(_mm_sha256msg1_epu32(words[g % 4], words[(g + 1) % 4]),
                                            _mm_alignr_epi8(previous, words[(g + 2) % 4], 4));
            words[g % 4] = _mm_sha256msg2_epu32(partial, previous);
        }
        __m128i scheduled = _mm_add_epi32(words[g % 4], _mm_loadu_si128((const __m128i *)(round_constants + 4 * g)));
        cdgh = _mm_sha256rnds2_epu32(cdgh, abef, scheduled);
        abef = _mm_sha256rnds2_epu32(abef, cdgh, _mm_shuffle_epi32(scheduled, 0x0E));
    }
    abef = _mm_add_epi32(abef, abef_before);
    cdgh = _mm_add_epi32(cdgh, cdgh_before);
    __m128i feba = _mm_shuffle_epi32(abef, 0x1B);
    __m128i dchg = _mm_shuffle_epi32(cdgh, 0xB1);
    _mm_storeu_si128((__m128i *)state, _mm_blend_epi16(feba, dchg, 0xF0));
    _mm_storeu_si128((__m128i *)(state + 4), _mm_alignr_epi8(dchg, feba, 8));
}

static int detect_hardware(void) {
    unsigned eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx) || !(ecx & bit_SSE4_1)) return 0;
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return 0;
    return (ebx & bit_SHA) != 0;
}

int assay_sha256_hardware_available(void) {
    // CPUID traps to the hypervisor on a VM, and datasets hash every row: ask once.
    static int known = -1;
    int available = __atomic_load_n(&known, __ATOMIC_RELAXED);
    if (available < 0) {
        available = detect_hardware();
        __atomic_store_n(&known, available, __ATOMIC_RELAXED);
    }
    return available;
}
#else
int assay_sha256_hardware_available(void) { return 0; }
#endif

static void compress(assay_sha256_ctx *ctx, const uint8_t *block) {
#if defined(__x86_64__) || defined(__i386__)
    if (ctx->hardware) {
        compress_hardware(ctx->state, block);
        return;
    }
#endif
    compress_portable(ctx->state, block);
}

void assay_sha256_init(assay_sha256_ctx *ctx, int hardware) {
    static const uint32_t initial[8] = {
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
    };
    memcpy(ctx->state, initial, sizeof initial);
    ctx->length = 0;
    ctx->buffered = 0;
    ctx->hardware = hardware && assay_sha256_hardware_available();
}

void assay_sha256_update(assay_sha256_ctx *ctx, const void *data, size_t count) {
    const uint8_t *bytes = data;
    ctx->length += count;
    if (ctx->buffered > 0) {
        size_t take = 64 - ctx->buffered < count ? 64 - ctx->buffered : count;
        memcpy(ctx->buffer + ctx->buffered, bytes, take);
        ctx->buffered += take;
        bytes += take;
        count -= take;
        if (ctx->buffered < 64) return;
        compress(ctx, ctx->buffer);
        ctx->buffered = 0;
    }
    while (count >= 64) {
        compress(ctx, bytes);
        bytes += 64;
        count -= 64;
    }
    memcpy(ctx->buffer, bytes, count);
    ctx->buffered = count;
}

void assay_sha256_final(assay_sha256_ctx *ctx, uint8_t digest[32]) {
    uint64_t bit_length = ctx->length * 8;
    uint8_t padding[72] = {0x80};
    size_t pad = ctx->buffered < 56 ? 56 - ctx->buffered : 120 - ctx->buffered;
    assay_sha256_update(ctx, padding, pad);
    uint8_t length_bytes[8];
    for (int i = 0; i < 8; i++) length_bytes[i] = (uint8_t)(bit_length >> (56 - 8 * i));
    assay_sha256_update(ctx, length_bytes, 8);
    for (int i = 0; i < 8; i++) {
        digest[4 * i] = (uint8_t)(ctx->state[i] >> 24);
        digest[4 * i + 1] = (uint8_t)(ctx->state[i] >> 16);
        digest[4 * i + 2] = (uint8_t)(ctx->state[i] >> 8);
        digest[4 * i + 3] = (uint8_t)ctx->state[i];
    }
}
