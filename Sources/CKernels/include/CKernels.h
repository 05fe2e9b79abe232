#pragma once
// Hot loops for the embedded engine: dot products per GGUF block type, the matmul built on them,
// and the small float kernels of a transformer layer.
//
// Every kernel has a portable scalar version; AVX2/FMA/F16C and AVX-512 VNNI versions are compiled
// with function target attributes and chosen at run time, so no special compiler flags are needed.
// For F32 norms, RoPE, attention, SiLU and the Q4_1 / Q8_0 dots, every version computes
// llama.cpp's CPU results bit for bit: same operations, same order, same FMAs. Where llama.cpp's
// AVX-512 and AVX2 builds round differently (attention, softmax, SiLU), `lanes` picks the build:
// CK_ORDER_AVX512 or CK_ORDER_AVX2, whatever the CPU running the engine.
// Q4_0 follows the order of llama.cpp's repacked Q4_0, which it uses on every AVX2 CPU.

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// GGUF tensor type ids (the values ggml stores in the file).
enum {
    CK_TYPE_F32 = 0, CK_TYPE_F16 = 1, CK_TYPE_Q4_0 = 2, CK_TYPE_Q4_1 = 3, CK_TYPE_Q5_0 = 6,
    CK_TYPE_Q5_1 = 7, CK_TYPE_Q8_0 = 8, CK_TYPE_Q2_K = 10, CK_TYPE_Q3_K = 11, CK_TYPE_Q4_K = 12, CK_TYPE_Q5_K = 13, CK_TYPE_Q6_K = 14,
    CK_TYPE_BF16 = 30,
};

/// Activations are quantized to blocks of 32 int8 values with their scale `d` and `s = d * sum(q)`
/// for the 32-element block types, and to llama.cpp's Q8_K (256 values, one scale, sums of each 16)
/// for the K-quants. Float weight types (F32, F16, BF16) take the activations as plain floats.
#define CK_Q8_BLOCK 32
typedef struct {
    float d;
    float s;
    int8_t q[CK_Q8_BLOCK];
} ck_block_q8;

/// 1 when `type` is one of the types above, else 0.
int ck_type_supported(int type);
/// The activation forms: floats, 32-element blocks (ck_block_q8), or Q8_K super-blocks.
enum { CK_ACTIVATION_FLOAT = 0, CK_ACTIVATION_Q8 = 1, CK_ACTIVATION_Q8_K = 2 };
/// The activation form weights of `type` multiply.
int ck_activation_format(int type);
/// 1 when weights of `type` multiply quantized (ck_block_q8 or Q8_K) activations, 0 when they take floats.
int ck_type_uses_q8(int type);
/// Bytes one activation row of `n` elements takes in the form `type` expects (n a multiple of 32
/// for q8 blocks, of 256 for Q8_K).
size_t ck_activation_row_bytes(int type, int n);
/// Converts one float row into the activation form `type` expects (q8 blocks or a float copy).
void ck_prepare_activation(int type, const float *x, void *dst, int n);

/// The dot product of one weight row of `type` (n elements) with one prepared activation row.
float ck_dot(int type, const void *weight_row, const void *activation, int n);

/// y[t * ldy + r] = dot(weight row r, activation row t) for rows r0..<r1 and tokens 0..<ntok, the
/// leading ck_matmul_batched_tokens tokens of a K-quant summed in llama.cpp's batched order.
void ck_matmul(int type, const void *weights, size_t weight_row_bytes, int n, int r0, int r1,
               const void *activations, size_t activation_row_bytes, int ntok, float *y, size_t ldy);
/// How many leading tokens of a `tokens`-token ck_matmul of a K-quant `type` take llama.cpp's
/// batched float order (its repacked Q4_K gemm, or its tiled K-quant kernel) instead of one dot's;
/// 0 for other types, whose batches sum as one dot does.
int ck_matmul_batched_tokens(int type, int tokens);

/// Kernel levels: portable C, AVX2 + FMA + F16C, and AVX-512 VNNI for the int8 block types and K-quants.
enum { CK_KERNELS_SCALAR = 0, CK_KERNELS_AVX2 = 1, CK_KERNELS_VNNI = 2, CK_KERNELS_BEST = 2 };
/// 1 when this CPU has AVX2, FMA and F16C.
int ck_has_avx2(void);
/// Caps the kernel level (tests compare every path); CK_KERNELS_BEST goes back to the best one.
void ck_set_kernel_limit(int level);
/// The level in use: the CPU's best, capped by ck_set_kernel_limit.
int ck_kernel_level(void);
/// The level's name: "portable", "avx2" or "avx512-vnni".
const char *ck_kernel_level_name(int level);

/// out[i] = x[i] * (1 / sqrt(mean(x^2) + eps)) * weight[i], the squares summed in double as ggml does.
void ck_rms_norm(const float *x, const float *weight, float *out, int n, float eps);
/// The register widths of the llama.cpp builds whose float order the engine can follow.
enum { CK_ORDER_AVX2 = 8, CK_ORDER_AVX512 = 16 };
/// The order of a llama.cpp built natively for this CPU: CK_ORDER_AVX512 where it has AVX-512 F
/// and DQ (ggml's test for its 16-lane softmax and SiLU), else CK_ORDER_AVX2.
int ck_native_order(void);

/// a[i] = silu(a[i]) * b[i], with ggml's exp approximation in the order `lanes`.
void ck_silu_mul(float *a, const float *b, int n, int lanes);
/// y[i] += x[i].
void ck_add(float *y, const float *x, int n);
/// RoPE's base step: each rotation pair's angle is the previous pair's times this, base^(-2/n_rot).
float ck_rope_theta_scale(float base, int n_rot);
/// cos and sin of each pair's angle at `position` (2 * pairs floats): angle_i = frequency_scale *
/// position * theta_scale^i / factors[i] (factors may be NULL, meaning 1).
void ck_rope_table(float *table, int pairs, int position, float theta_scale, float frequency_scale,
                   const float *factors);
/// Rotates `n_heads` heads of `head_dim` floats in place by the angles of `table` (ck_rope_table);
/// only the first `n_rot` dimensions rotate. neox: pairs (i, i + n_rot/2), else (2i, 2i+1).
void ck_rope(float *x, int n_heads, int head_dim, int n_rot, const float *table, int neox);
/// Stores n floats as IEEE halves (the KV cache's element type, as in llama.cpp).
void ck_store_halves(const float *x, uint16_t *dst, int n);
/// Causal attention of one query head over `n` cached positions whose keys and values are halves:
/// out = softmax(scale * q·k_p) · v_p, with k_p = keys + p * stride (likewise values). The sums run
/// in the order of llama.cpp's CPU backend, which differs between a token evaluated alone
/// (`batched` 0) and one in a batch of several (`batched` 1), and with the build (`lanes`, a
/// CK_ORDER_*). `scratch` must hold ck_attention_scratch_floats(n, head_dim) floats.
void ck_attention(const float *q, const uint16_t *keys, const uint16_t *values, size_t stride, int n,
                  int head_dim, float scale, int batched, int lanes, float *scratch, float *out);
size_t ck_attention_scratch_floats(int n, int head_dim);

#ifdef __cplusplus
}
#endif
