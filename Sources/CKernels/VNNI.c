// The int8 block kernels again, with AVX-512 VNNI's dpbusd in place of AVX2's maddubs + madd pair
// (one instruction per 32 products, and no 16-bit intermediate), and, for several tokens, 512-bit
// registers that hold two tokens each.

#include "CKernels.h"
#include "BlockFormats.h"

#if defined(__x86_64__) || defined(__i386__)
#include "AVX2Helpers.h"

#define CK_VNNI __attribute__((target("avx2,fma,f16c,avx512f,avx512bw,avx512vl,avx512vnni")))

CK_VNNI static inline __m256 dot_u8_i8_vnni(__m256i u, __m256i s) {
    return _mm256_cvtepi32_ps(_mm256_dpbusd_epi32(_mm256_setzero_si256(), u, s));
}

#define CK_KERNEL_TARGET CK_VNNI
#define CK_KERNEL_DOT dot_u8_i8_vnni
#define CK_KERNEL_NAME(name) name##_vnni
#define CK_KERNEL_WIDE
#include "Int8BlockKernels.h"

// vpdpwssd: the pairs times the scales, summed in pairs and added, in one instruction.
#define CK_KERNEL_SCALED_ADD(sum, pairs, scales) _mm256_dpwssd_epi32(sum, pairs, scales)
#include "KQuantKernels.h"

#define CK_KERNEL_ROW_SUMS(sums, u, x) _mm256_dpbusd_epi32(sums, u, x)
#define CK_KERNEL_ROW_SUMS_FINISH(sums) (sums)
#include "Q4_0TileKernel.h"

#endif

// CK_MULTI tokens against one F16 row with 16-lane registers: each register's low half sums what
// ck_dot_f16_avx2's first accumulator does and its high half the second, lane for lane, so the
// results are the same bits as the AVX2 kernel's.
CK_VNNI void ck_dot_f16_tokens_vnni(const void *w, const void *x, size_t x_stride, int n, float *out) {
    const uint16_t *a = (const uint16_t *)w;
    const float *b[CK_MULTI];
    __m512 acc[CK_MULTI];
    for (int k = 0; k < CK_MULTI; k++) {
        b[k] = (const float *)((const uint8_t *)x + (size_t)k * x_stride);
        acc[k] = _mm512_setzero_ps();
    }
    int i = 0;
    for (; i + 16 <= n; i += 16) {
        __m512 weights = _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(a + i)));
        for (int k = 0; k < CK_MULTI; k++) acc[k] = _mm512_fmadd_ps(weights, _mm512_loadu_ps(b[k] + i), acc[k]);
    }
    for (int k = 0; k < CK_MULTI; k++) {
        __m256 low = _mm512_castps512_ps256(acc[k]);
        __m256 high = _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(acc[k]), 1));
        float sum = hsum(_mm256_add_ps(low, high));
        for (int j = i; j < n; j++) sum += ck_half_to_float(a[j]) * b[k][j];
        out[k] = sum;
    }
}
