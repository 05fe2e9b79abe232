#pragma once
#include <stddef.h>
#include <stdint.h>

/// Incremental SHA-256 (FIPS 180-4). Used for dataset content hashes and model file checksums.
typedef struct {
    uint32_t state[8];
    uint64_t length;      // bytes absorbed so far
    uint8_t buffer[64];
    size_t buffered;
} assay_sha256_ctx;

void assay_sha256_init(assay_sha256_ctx *ctx);
void assay_sha256_update(assay_sha256_ctx *ctx, const void *data, size_t count);
void assay_sha256_final(assay_sha256_ctx *ctx, uint8_t digest[32]);
