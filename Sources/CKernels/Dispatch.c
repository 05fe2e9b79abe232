// Chooses between the AVX2 and scalar kernels once per process, and builds the matmul on the dots.

#include "CKernels.h"
#include "BlockFormats.h"
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

static atomic_int kernel_limit = CK_KERNELS_BEST;

/// The best kernel level this CPU supports (checked once).
static int cpu_level(void) {
#if defined(__x86_64__) || defined(__i386__)
    static atomic_int cached = -1;
    int value = atomic_load_explicit(&cached, memory_order_relaxed);
    if (value < 0) {
        __builtin_cpu_init();
        value = CK_KERNELS_SCALAR;
        if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("f16c")) {
            value = CK_KERNELS_AVX2;
            if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512vnni")) {
                value = CK_KERNELS_VNNI;
            }
        }
        atomic_store_explicit(&cached, value, memory_order_relaxed);
    }
    return value;
#else
    return CK_KERNELS_SCALAR;
#endif
}

int ck_has_avx2(void) { return cpu_level() >= CK_KERNELS_AVX2; }

int ck_native_order(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq")) return CK_ORDER_AVX512;
#endif
    return CK_ORDER_AVX2;
}

void ck_set_kernel_limit(int level) { atomic_store(&kernel_limit, level); }

int ck_kernel_level(void) {
    int limit = atomic_load_explicit(&kernel_limit, memory_order_relaxed);
    int level = cpu_level();
    return level < limit ? level : limit;
}

const char *ck_kernel_level_name(int level) {
    switch (level) {
    case CK_KERNELS_VNNI: return "avx512-vnni";
    case CK_KERNELS_AVX2: return "avx2";
    default: return "portable";
    }
}

static int use_avx2(void) { return ck_kernel_level() >= CK_KERNELS_AVX2; }

int ck_type_supported(int type) {
    switch (type) {
    case CK_TYPE_F32: case CK_TYPE_F16: case CK_TYPE_BF16: case CK_TYPE_Q4_0: case CK_TYPE_Q4_1:
    case CK_TYPE_Q5_0: case CK_TYPE_Q5_1: case CK_TYPE_Q8_0: case CK_TYPE_Q2_K: case CK_TYPE_Q3_K:
    case CK_TYPE_Q4_K: case CK_TYPE_Q5_K: case CK_TYPE_Q6_K:
        return 1;
    default:
        return 0;
    }
}

static int is_kquant(int type) { return type >= CK_TYPE_Q2_K && type <= CK_TYPE_Q6_K; }

int ck_matmul_batched_tokens(int type, int tokens) { return is_kquant(type) ? ck_kquant_batched_tokens(type, tokens) : 0; }

int ck_activation_format(int type) {
    if (!ck_type_supported(type) || type == CK_TYPE_F32 || type == CK_TYPE_F16 || type == CK_TYPE_BF16) {
        return CK_ACTIVATION_FLOAT;
    }
    return is_kquant(type) ? CK_ACTIVATION_Q8_K : CK_ACTIVATION_Q8;
}

int ck_type_uses_q8(int type) { return ck_activation_format(type) != CK_ACTIVATION_FLOAT; }

size_t ck_activation_row_bytes(int type, int n) {
    switch (ck_activation_format(type)) {
    case CK_ACTIVATION_Q8_K: return (size_t)(n / CK_QK) * sizeof(ck_block_q8_k);
    case CK_ACTIVATION_Q8: return (size_t)(n / CK_Q8_BLOCK) * sizeof(ck_block_q8);
    default: return (size_t)n * sizeof(float);
    }
}

void ck_prepare_activation(int type, const float *x, void *dst, int n) {
    int format = ck_activation_format(type);
    if (format == CK_ACTIVATION_FLOAT) {
        memcpy(dst, x, (size_t)n * sizeof(float));
    } else if (format == CK_ACTIVATION_Q8_K) {
        ck_quantize_q8_k(x, dst, n);
    }
#if defined(__x86_64__) || defined(__i386__)
    else if (use_avx2()) {
        ck_quantize_q8_avx2(x, dst, n);
    }
#endif
    else {
        ck_quantize_q8_scalar(x, dst, n);
    }
}

#define CK_KQUANT_SCALAR(name, type)                                                                   \
    static float dot_##name##_scalar(const void *w, const void *x, int n) { return ck_dot_kquant_scalar(type, w, x, n, 0); } \
    static void dot_##name##_tokens_scalar(const void *w, const void *x, size_t x_stride, int count, int n, int batched, \
                                           float *out) {                                                 \
        for (int t = 0; t < count; t++) out[t] = ck_dot_kquant_scalar(type, w, (const uint8_t *)x + t * x_stride, n, batched); \
    }
CK_KQUANT_SCALAR(q2_k, CK_TYPE_Q2_K)
CK_KQUANT_SCALAR(q3_k, CK_TYPE_Q3_K)
CK_KQUANT_SCALAR(q4_k, CK_TYPE_Q4_K)
CK_KQUANT_SCALAR(q5_k, CK_TYPE_Q5_K)
CK_KQUANT_SCALAR(q6_k, CK_TYPE_Q6_K)
#undef CK_KQUANT_SCALAR

static ck_dot_fn dot_function(int type) {
#if defined(__x86_64__) || defined(__i386__)
    if (ck_kernel_level() >= CK_KERNELS_VNNI) {
        switch (type) {
        case CK_TYPE_Q4_1: return ck_dot_q4_1_vnni;
        case CK_TYPE_Q5_0: return ck_dot_q5_0_vnni;
        case CK_TYPE_Q5_1: return ck_dot_q5_1_vnni;
        case CK_TYPE_Q8_0: return ck_dot_q8_0_vnni;
        case CK_TYPE_Q2_K: return ck_dot_q2_k_vnni;
        case CK_TYPE_Q3_K: return ck_dot_q3_k_vnni;
        case CK_TYPE_Q4_K: return ck_dot_q4_k_vnni;
        case CK_TYPE_Q5_K: return ck_dot_q5_k_vnni;
        case CK_TYPE_Q6_K: return ck_dot_q6_k_vnni;
        default: break;
        }
    }
    if (use_avx2()) {
        switch (type) {
        case CK_TYPE_F32: return ck_dot_f32_avx2;
        case CK_TYPE_F16: return ck_dot_f16_avx2;
        case CK_TYPE_BF16: return ck_dot_bf16_avx2;
        case CK_TYPE_Q4_1: return ck_dot_q4_1_avx2;
        case CK_TYPE_Q5_0: return ck_dot_q5_0_avx2;
        case CK_TYPE_Q5_1: return ck_dot_q5_1_avx2;
        case CK_TYPE_Q8_0: return ck_dot_q8_0_avx2;
        case CK_TYPE_Q2_K: return ck_dot_q2_k_avx2;
        case CK_TYPE_Q3_K: return ck_dot_q3_k_avx2;
        case CK_TYPE_Q4_K: return ck_dot_q4_k_avx2;
        case CK_TYPE_Q5_K: return ck_dot_q5_k_avx2;
        case CK_TYPE_Q6_K: return ck_dot_q6_k_avx2;
        default: break;
        }
    }
#endif
    switch (type) {
    case CK_TYPE_F32: return ck_dot_f32_scalar;
    case CK_TYPE_F16: return ck_dot_f16_scalar;
    case CK_TYPE_BF16: return ck_dot_bf16_scalar;
    case CK_TYPE_Q4_1: return ck_dot_q4_1_scalar;
    case CK_TYPE_Q5_0: return ck_dot_q5_0_scalar;
    case CK_TYPE_Q5_1: return ck_dot_q5_1_scalar;
    case CK_TYPE_Q8_0: return ck_dot_q8_0_scalar;
    case CK_TYPE_Q2_K: return dot_q2_k_scalar;
    case CK_TYPE_Q3_K: return dot_q3_k_scalar;
    case CK_TYPE_Q4_K: return dot_q4_k_scalar;
    case CK_TYPE_Q5_K: return dot_q5_k_scalar;
    case CK_TYPE_Q6_K: return dot_q6_k_scalar;
    default: return 0;
    }
}

/// Q4_0's tile kernel for this CPU's level, or null where the portable dot serves.
static ck_q4_0_tile_fn q4_0_tile_function(void) {
#if defined(__x86_64__) || defined(__i386__)
    if (ck_kernel_level() >= CK_KERNELS_VNNI) return ck_q4_0_tile_vnni;
    if (use_avx2()) return ck_q4_0_tile_avx2;
#endif
    return 0;
}

/// ck_matmul for Q4_0: eight rows by CK_Q4_0_TOKENS tokens per kernel call, so each weight block is
/// unpacked once for several tokens and each activation block is read once for eight rows; every
/// token's block sums are taken once per token tile.
static void matmul_q4_0(const uint8_t *w, size_t weight_row_bytes, int n, int r0, int r1, const uint8_t *x,
                        size_t activation_row_bytes, int ntok, float *y, size_t ldy) {
    ck_q4_0_tile_fn tile = q4_0_tile_function();
    if (!tile) {
        for (int t = 0; t < ntok; t++) {
            for (int r = r0; r < r1; r++) {
                y[(size_t)t * ldy + r] = ck_dot_q4_0_scalar(w + (size_t)r * weight_row_bytes, x + (size_t)t * activation_row_bytes, n);
            }
        }
        return;
    }
    enum { TOKEN_TILE = 64, ROWS = 8, LOCAL_SUMS = 4096 };
    const int blocks = n / CK_Q8_BLOCK;
    const int tile_tokens = ntok < TOKEN_TILE ? ntok : TOKEN_TILE;
    int32_t local[LOCAL_SUMS];
    int32_t *sums = (size_t)blocks * tile_tokens <= LOCAL_SUMS ? local : malloc(sizeof(int32_t) * (size_t)blocks * tile_tokens);
    if (!sums) return;
    for (int t0 = 0; t0 < ntok; t0 += TOKEN_TILE) {
        int t1 = t0 + TOKEN_TILE < ntok ? t0 + TOKEN_TILE : ntok;
        ck_q8_block_sums_avx2(x + (size_t)t0 * activation_row_bytes, activation_row_bytes, t1 - t0, blocks, sums);
        for (int r = r0; r < r1; r += ROWS) {
            int count = r1 - r < ROWS ? r1 - r : ROWS;
            for (int t = t0; t < t1; t += CK_Q4_0_TOKENS) {
                int tokens = t1 - t < CK_Q4_0_TOKENS ? t1 - t : CK_Q4_0_TOKENS;
                tile(w + (size_t)r * weight_row_bytes, weight_row_bytes, count, x + (size_t)t * activation_row_bytes,
                     activation_row_bytes, sums + (size_t)(t - t0) * blocks, tokens, n, y + (size_t)t * ldy + r, ldy);
            }
        }
    }
    if (sums != local) free(sums);
}

#if defined(__x86_64__) || defined(__i386__)
/// ck_matmul for F16 on AVX2: tiles of CK_F16_ROWS rows by CK_F16_TOKENS tokens, the tile's rows
/// kept in L1 while a token tile's activations (48 rows of floats) stream from L2.
static void matmul_f16(const uint8_t *w, size_t weight_row_bytes, int n, int r0, int r1, const uint8_t *x,
                       size_t activation_row_bytes, int ntok, float *y, size_t ldy) {
    enum { TOKEN_TILE = 16 * CK_F16_TOKENS };
    for (int t0 = 0; t0 < ntok; t0 += TOKEN_TILE) {
        int t1 = t0 + TOKEN_TILE < ntok ? t0 + TOKEN_TILE : ntok;
        for (int r = r0; r < r1; r += CK_F16_ROWS) {
            int rows = r1 - r < CK_F16_ROWS ? r1 - r : CK_F16_ROWS;
            for (int t = t0; t < t1; t += CK_F16_TOKENS) {
                int tokens = t1 - t < CK_F16_TOKENS ? t1 - t : CK_F16_TOKENS;
                ck_f16_tile_avx2(w + (size_t)r * weight_row_bytes, weight_row_bytes, rows, x + (size_t)t * activation_row_bytes,
                                 activation_row_bytes, tokens, n, y + (size_t)t * ldy + r, ldy);
            }
        }
    }
}
#endif

float ck_dot(int type, const void *weight_row, const void *activation, int n) {
    if (type == CK_TYPE_Q4_0) {
        float out;
        matmul_q4_0(weight_row, 0, n, 0, 1, activation, 0, 1, &out, 1);
        return out;
    }
    ck_dot_fn dot = dot_function(type);
    return dot ? dot(weight_row, activation, n) : 0.0f;
}

/// The several-token shapes of a type's kernel, when this CPU level has them; both null otherwise.
typedef struct {
    ck_dot_multi_fn tokens;
    ck_dot_tokens_fn row_tokens; // a several-token kernel reading each token's row as it is (K-quants' Q8_K)
    ck_dot_rows_fn rows;         // CK_MULTI rows against one token, where a type has it
} batch_kernels;

static batch_kernels batch_kernels_for(int type) {
#if defined(__x86_64__) || defined(__i386__)
#define CK_BATCH(name) (ck_kernel_level() >= CK_KERNELS_VNNI                                         \
                            ? (batch_kernels){ck_dot_##name##_multi_vnni, 0} \
                            : (batch_kernels){ck_dot_##name##_multi_avx2, 0})
#define CK_KQUANT_BATCH(name) (ck_kernel_level() >= CK_KERNELS_VNNI                                  \
                                   ? (batch_kernels){0, ck_dot_##name##_tokens_vnni, 0}        \
                                   : (batch_kernels){0, ck_dot_##name##_tokens_avx2, 0})
    if (use_avx2()) {
        switch (type) {
        case CK_TYPE_Q4_1: return CK_BATCH(q4_1);
        case CK_TYPE_Q5_0: return CK_BATCH(q5_0);
        case CK_TYPE_Q5_1: return CK_BATCH(q5_1);
        case CK_TYPE_Q8_0: return CK_BATCH(q8_0);
        case CK_TYPE_Q2_K: return CK_KQUANT_BATCH(q2_k);
        case CK_TYPE_Q3_K: return CK_KQUANT_BATCH(q3_k);
        case CK_TYPE_Q4_K: {
            batch_kernels kernels = CK_KQUANT_BATCH(q4_k);
            kernels.rows = ck_kernel_level() >= CK_KERNELS_VNNI ? ck_dot_q4_k_rows_vnni : ck_dot_q4_k_rows_avx2;
            return kernels;
        }
        case CK_TYPE_Q5_K: return CK_KQUANT_BATCH(q5_k);
        case CK_TYPE_Q6_K: return CK_KQUANT_BATCH(q6_k);
        default: break;
        }
    }
#undef CK_BATCH
#undef CK_KQUANT_BATCH
#endif
    switch (type) {
    case CK_TYPE_Q2_K: return (batch_kernels){0, dot_q2_k_tokens_scalar};
    case CK_TYPE_Q3_K: return (batch_kernels){0, dot_q3_k_tokens_scalar};
    case CK_TYPE_Q4_K: return (batch_kernels){0, dot_q4_k_tokens_scalar};
    case CK_TYPE_Q5_K: return (batch_kernels){0, dot_q5_k_tokens_scalar};
    case CK_TYPE_Q6_K: return (batch_kernels){0, dot_q6_k_tokens_scalar};
    default: return (batch_kernels){0, 0};
    }
}

void ck_matmul(int type, const void *weights, size_t weight_row_bytes, int n, int r0, int r1,
               const void *activations, size_t activation_row_bytes, int ntok, float *y, size_t ldy) {
    if (type == CK_TYPE_Q4_0) {
        matmul_q4_0(weights, weight_row_bytes, n, r0, r1, activations, activation_row_bytes, ntok, y, ldy);
        return;
    }
#if defined(__x86_64__) || defined(__i386__)
    if (type == CK_TYPE_F16 && use_avx2()) {
        matmul_f16(weights, weight_row_bytes, n, r0, r1, activations, activation_row_bytes, ntok, y, ldy);
        return;
    }
#endif
    ck_dot_fn dot = dot_function(type);
    batch_kernels batch = batch_kernels_for(type);
    if (!dot) return;
    const uint8_t *w = (const uint8_t *)weights;
    const uint8_t *x = (const uint8_t *)activations;
    // Tiles of rows x tokens keep a few weight rows in L1 while the activations stream from L2.
    enum { ROW_TILE = CK_MULTI, TOKEN_TILE = 64 }; // a row tile is one call of a rows kernel
    // The multi-token kernel takes each block's activation scales and sums for its tokens side by
    // side: gathered once per token tile, in one buffer for the call.
    const int blocks = n / CK_Q8_BLOCK;
    float *scales = batch.tokens && ntok >= CK_MULTI ? malloc(sizeof(float) * 2 * (size_t)blocks * TOKEN_TILE) : NULL;
    float *sums = scales ? scales + (size_t)blocks * TOKEN_TILE : NULL;
    const int batched_tokens = ck_matmul_batched_tokens(type, ntok);
    for (int t0 = 0; t0 < ntok; t0 += TOKEN_TILE) {
        int t1 = t0 + TOKEN_TILE < ntok ? t0 + TOKEN_TILE : ntok;
        // The K-quant kernels take every token, a last short group too: the float order of a batch
        // (ck_kquant_order) is not that of a lone dot.
        int grouped = batch.row_tokens ? t1 - t0 : scales ? (t1 - t0) / CK_MULTI * CK_MULTI : 0;
        for (int t = 0; scales && t < grouped; t++) {
            const ck_block_q8 *row = (const ck_block_q8 *)(x + (size_t)(t0 + t) * activation_row_bytes);
            for (int b = 0; b < blocks; b++) {
                scales[(size_t)b * TOKEN_TILE + t] = row[b].d;
                sums[(size_t)b * TOKEN_TILE + t] = row[b].s;
            }
        }
        for (int rt = r0; rt < r1; rt += ROW_TILE) {
            int rt1 = rt + ROW_TILE < r1 ? rt + ROW_TILE : r1;
            for (int g = 0, count; g < grouped; g += count) {
                const void *xt = x + (size_t)(t0 + g) * activation_row_bytes;
                // A group stays on one side of the batched tokens' end.
                const int batched = t0 + g < batched_tokens;
                const int end = batched && batched_tokens - t0 < grouped ? batched_tokens - t0 : grouped;
                count = end - g < CK_MULTI ? end - g : CK_MULTI;
                if (batch.rows && count == 1 && !batched && rt1 - rt == CK_MULTI) {
                    float out[CK_MULTI];
                    batch.rows(w + (size_t)rt * weight_row_bytes, weight_row_bytes, xt, n, out);
                    for (int k = 0; k < CK_MULTI; k++) y[(size_t)(t0 + g) * ldy + rt + k] = out[k];
                    continue;
                }
                for (int r = rt; r < rt1; r++) {
                    float out[CK_MULTI];
                    if (batch.row_tokens) {
                        batch.row_tokens(w + (size_t)r * weight_row_bytes, xt, activation_row_bytes, count, n, batched,
                                         out);
                    } else {
                        batch.tokens(w + (size_t)r * weight_row_bytes, xt, activation_row_bytes, n, scales + g, sums + g,
                                     TOKEN_TILE, out);
                    }
                    for (int k = 0; k < count; k++) y[(size_t)(t0 + g + k) * ldy + r] = out[k];
                }
            }
            for (int t = t0 + grouped; t < t1; t++) {
                const void *xt = x + (size_t)t * activation_row_bytes;
                float *yt = y + (size_t)t * ldy;
                for (int r = rt; r < rt1; r++) yt[r] = dot(w + (size_t)r * weight_row_bytes, xt, n);
            }
        }
    }
    free(scales);
}
