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
