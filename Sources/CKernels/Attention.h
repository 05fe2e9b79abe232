// Deliberately without include guards: included once per instruction set (LayerOps.c, AVX2.c).
// Attention over a half-precision KV cache, in the order llama.cpp's CPU backend computes it
// (flash attention off). The including file defines CK_KERNEL_TARGET and CK_KERNEL_NAME, and
// before including it: CK_KERNEL_NAME(load_halves)(float *dst, const uint16_t *src, int n),
// CK_KERNEL_NAME(round_halves)(float *x, int n) (to half precision and back, in place), and
// CK_KERNEL_NAME(exp_shifted)(float *x, int n, float max, int lanes) (x[i] = ck_reference_exp(x[i] - max, lanes)).
// `lanes` everywhere is the register width of the llama.cpp build whose order is followed: 16 for
// its AVX-512 build, 8 for its AVX2 build.
// After including it, it defines the two hot loops, CK_KERNEL_NAME(key_dots) and
// CK_KERNEL_NAME(value_lanes) (declared below), with its own registers or by calling the
// portable *_any forms here, which give the same floats.
// The loops over columns are plain C, vectorized by the compiler for the including target; no
// vectorization changes a result, since every sum runs along positions or lanes, never columns.

/// scores[p] = (q · k_p) * scale for p < n, each dot in ordered_dot's order.
CK_KERNEL_TARGET static void CK_KERNEL_NAME(key_dots)(float *scores, const float *query, const uint16_t *keys,
                                                      size_t stride, int n, int dim, int tiled, int lanes,
                                                      float scale, float *row);
/// rows[(p % lane_count) * dim + d] += values[p][d] * weights[p] (one FMA) for p < count, in
/// increasing p; the rows start at zero.
CK_KERNEL_TARGET static void CK_KERNEL_NAME(value_lanes)(float *rows, const float *weights, const uint16_t *values,
                                                         size_t stride, int count, int dim, int lane_count,
                                                         float *row);

/// rows[i] += rows[i + half] for the first `half` rows of `dim` floats.
CK_KERNEL_TARGET static inline void CK_KERNEL_NAME(add_rows)(float *rows, int dim, int half) {
    for (int i = 0; i < half; i++) {
        float *low = rows + (size_t)i * dim;
        const float *high = rows + (size_t)(i + half) * dim;
        for (int d = 0; d < dim; d++) low[d] = low[d] + high[d];
    }
}

/// `lanes` rows of `dim` floats summed per column into the first row, in ck_reduce_register's
/// order, or in ck_reduce_dot_register's when `dot_order` is set.
CK_KERNEL_TARGET static inline void CK_KERNEL_NAME(reduce_rows)(float *rows, int dim, int lanes, int dot_order) {
    if (lanes == 8 && dot_order) {
        CK_KERNEL_NAME(add_rows)(rows, dim, 4);
        for (int d = 0; d < dim; d++) {
            rows[d] = (rows[d] + rows[dim + d]) + (rows[2 * (size_t)dim + d] + rows[3 * (size_t)dim + d]);
        }
        return;
    }
    for (int half = lanes / 2; half >= 2; half /= 2) CK_KERNEL_NAME(add_rows)(rows, dim, half);
    for (int d = 0; d < dim; d++) rows[d] = rows[d] + rows[dim + d];
}

/// Four registers of `lanes` lanes per column folded to one as GGML_F32x*_REDUCE does: registers
/// 0 + 2 and 1 + 3, then those two.
CK_KERNEL_TARGET static inline void CK_KERNEL_NAME(fold_registers)(float *rows, int dim, int lanes) {
    size_t block = (size_t)lanes * dim;
    for (size_t i = 0; i < block; i++) rows[i] = rows[i] + rows[2 * block + i];
    for (size_t i = 0; i < block; i++) rows[block + i] = rows[block + i] + rows[3 * block + i];
    for (size_t i = 0; i < block; i++) rows[i] = rows[i] + rows[block + i];
}

/// dot(a, b) in ggml's order: `tiled` (llamafile's tinyBLAS, n a multiple of `lanes`) keeps one
/// register of FMA chains; otherwise ggml_vec_dot_f16 keeps four registers over whole steps of
/// 4 x `lanes` and adds the rest in double.
CK_KERNEL_TARGET static inline float CK_KERNEL_NAME(ordered_dot)(const float *a, const float *b, int n, int tiled,
                                                                 int lanes) {
    float sums[64] = {0};
    if (tiled) {
        for (int i = 0; i < n; i += lanes) {
            for (int t = 0; t < lanes; t++) sums[t] = fmaf(a[i + t], b[i + t], sums[t]);
        }
        return ck_reduce_register(sums, lanes);
    }
    int step = 4 * lanes;
    int whole = n - n % step;
    for (int i = 0; i < whole; i += step) {
        for (int r = 0; r < step; r++) sums[r] = fmaf(a[i + r], b[i + r], sums[r]);
    }
    CK_KERNEL_NAME(fold_registers)(sums, 1, lanes);
    double sum = ck_reduce_dot_register(sums, lanes);
    for (int i = whole; i < n; i++) {
        float product = a[i] * b[i];
        sum += product;
    }
    return (float)sum;
}

CK_KERNEL_TARGET static inline void CK_KERNEL_NAME(key_dots_any)(float *scores, const float *query,
                                                                  const uint16_t *keys, size_t stride, int n, int dim,
                                                                  int tiled, int lanes, float scale, float *row) {
    for (int p = 0; p < n; p++) {
        CK_KERNEL_NAME(load_halves)(row, keys + (size_t)p * stride, dim);
        scores[p] = CK_KERNEL_NAME(ordered_dot)(row, query, dim, tiled, lanes) * scale;
    }
}

CK_KERNEL_TARGET static inline void CK_KERNEL_NAME(value_lanes_any)(float *rows, const float *weights,
                                                                    const uint16_t *values, size_t stride, int count,
                                                                    int dim, int lane_count, float *row) {
    for (int p = 0; p < count; p++) {
        float *lane = rows + (size_t)(p % lane_count) * dim;
        float weight = weights[p];
        CK_KERNEL_NAME(load_halves)(row, values + (size_t)p * stride, dim);
        for (int d = 0; d < dim; d++) lane[d] = fmaf(row[d], weight, lane[d]);
    }
}

CK_KERNEL_TARGET static void CK_KERNEL_NAME(attention)(const float *q, const uint16_t *keys, const uint16_t *values,
                                                       size_t stride, int n, int dim, float scale, int batched,
                                                       int lanes, float *scratch, float *out) {
    float *query = scratch;
    float *row = query + dim;
    float *weights = row + dim;
    float *rows = weights + ((n + 63) & ~63);
    double *sums = (double *)(rows + (size_t)64 * dim);

    for (int i = 0; i < dim; i++) query[i] = q[i];
    CK_KERNEL_NAME(round_halves)(query, dim);
    // A batch of several tokens goes through tinyBLAS, which needs whole registers; one token
    // through ggml_vec_dot_f16.
    int tiled = batched && dim % lanes == 0;
    CK_KERNEL_NAME(key_dots)(weights, query, keys, stride, n, dim, tiled, lanes, scale, row);
    float max = -INFINITY;
    for (int p = 0; p < n; p++) max = weights[p] > max ? weights[p] : max;
    // Softmax over whole registers of positions; the masked ones beyond n are exp(-inf) = 0.
    int padded = (n + lanes - 1) / lanes * lanes;
    CK_KERNEL_NAME(exp_shifted)(weights, n, max, lanes);
    for (int p = n; p < padded; p++) weights[p] = 0;
    double total = 0;
    for (int p = 0; p < padded; p += lanes) total += ck_reduce_register(weights + p, lanes);
    float inverse = (float)(1.0 / total);
    for (int p = 0; p < n; p++) weights[p] = weights[p] * inverse;
    CK_KERNEL_NAME(round_halves)(weights, n);

    // weights x values: position p goes to lane p mod `lanes` (tinyBLAS) or p mod 4 x `lanes`
    // (vec_dot_f16, up to the last whole step of llama.cpp's cache view, padded to 32 positions).
    int lane_count = batched ? lanes : 4 * lanes;
    int view = n > 32 ? (n + 31) & ~31 : 32;
    int whole_steps = view - view % lane_count;
    int in_lanes = batched || whole_steps > n ? n : whole_steps;
    memset(rows, 0, sizeof(float) * (size_t)lane_count * dim);
    CK_KERNEL_NAME(value_lanes)(rows, weights, values, stride, in_lanes, dim, lane_count, row);
    if (!batched) CK_KERNEL_NAME(fold_registers)(rows, dim, lanes);
    CK_KERNEL_NAME(reduce_rows)(rows, dim, lanes, !batched);
    if (in_lanes == n) {
        memcpy(out, rows, sizeof(float) * (size_t)dim);
        return;
    }
    for (int d = 0; d < dim; d++) sums[d] = rows[d];
    for (int p = in_lanes; p < n; p++) {
        float weight = weights[p];
        CK_KERNEL_NAME(load_halves)(row, values + (size_t)p * stride, dim);
        for (int d = 0; d < dim; d++) {
            float product = row[d] * weight;
            sums[d] += product;
        }
    }
    for (int d = 0; d < dim; d++) out[d] = (float)sums[d];
}
