#pragma once
#include <stddef.h>
#include <stdint.h>

/// Incremental SHA-256 (FIPS 180-4). Used for dataset content hashes and model file checksums.
typedef struct {
    uint32_t state[8];
    uint64_t length;      // bytes absorbed so far
    uint8_t buffer[64];
    size_t buffered;
    int hardware;         // compress with the CPU's SHA instructions
} assay_sha256_ctx;

/// Whether this CPU has the SHA instructions (and SSE4.1, which their setup needs).
int assay_sha256_hardware_available(void);
/// Starts a digest; `hardware` asks for the SHA instructions where the CPU has them (the
/// portable rounds give the same digest, and tests compare the two).
void assay_sha256_init(assay_sha256_ctx *ctx, int hardware);
void assay_sha256_update(assay_sha256_ctx *ctx, const void *data, size_t count);
void assay_sha256_final(assay_sha256_ctx *ctx, uint8_t digest[32]);
