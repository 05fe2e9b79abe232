import CKernels

/// The transformer's forward pass over a batch of tokens, with the buffers it needs.
///
/// Prompt tokens go through in batches (`batchCapacity` at a time), so that each weight row is
/// read once per batch rather than once per token; every matrix product and the attention are
/// split across the worker pool. The arithmetic follows llama.cpp's CPU backend operation for
/// operation (see CKernels). The default batch is llama.cpp's default micro-batch, 512 tokens;
/// results do not depend on it (see `evaluate`).
final class ForwardPass {
    let model: EngineModel
    let pool: WorkerPool
    let batchCapacity: Int

    private let config: ModelConfiguration
    private let hidden: Buffer        // batch x embedding: the residual stream
    private let normed: Buffer        // batch x embedding
    private let query: Buffer         // batch x query length
    private let key: Buffer           // batch x key/value length
    private let value: Buffer         // batch x key/value length
    private let attention: Buffer     // batch x query length
    private let gate: Buffer          // batch x feed-forward length
    private let up: Buffer            // batch x feed-forward length
    private let projected: Buffer     // batch x embedding
    private let activations: UnsafeMutableRawPointer
    private let ropeTable: Buffer     // cos and sin of each rotary pair's angle at one position
    private var scratch: [Buffer]     // one per worker: the attention's working space

    init(model: EngineModel, pool: WorkerPool, batchCapacity: Int = 512) {
        self.model = model
        self.pool = pool
        self.batchCapacity = batchCapacity
        config = model.configuration
        let widest = max(config.embeddingLength, config.feedForwardLength, config.queryLength)
        hidden = Buffer(batchCapacity * config.embeddingLength)
        normed = Buffer(batchCapacity * config.embeddingLength)
        query = Buffer(batchCapacity * config.queryLength)
        key = Buffer(batchCapacity * config.keyValueLength)
        value = Buffer(batchCapacity * config.keyValueLength)
        attention = Buffer(batchCapacity * config.queryLength)
        gate = Buffer(batchCapacity * config.feedForwardLength)
        up = Buffer(batchCapacity * config.feedForwardLength)
        projected = Buffer(batchCapacity * config.embeddingLength)
        activations = .allocate(byteCount: batchCapacity * widest * MemoryLayout<Float>.size, alignment: 64)
        ropeTable = Buffer(config.rotaryDimension)
        scratch = []
    }

    deinit { activations.deallocate() }

    /// Evaluates `tokens` after the cache's current contents and appends them to the cache.
    /// Returns the logits after each token whose index (in `tokens`) is in `logitIndices`.
    ///
    /// As in llama.cpp, attention sums in one order for a lone token and in another for a token
    /// among several. Here the whole call decides, not each batch of it, so a token's result
    /// depends only on whether it came alone, never on where the batches split.
    func evaluate(_ tokens: [Int], cache: KVCache, logitIndices: Set<Int>) throws -> [Int: [Float]] {
        for id in tokens where id < 0 || id >= model.tokenizer.count {
            throw AssayEngineError("token id \(id) is outside the vocabulary (0..<\(model.tokenizer.count))")
        }
        try cache.reserve(cache.count + tokens.count)
        var logits: [Int: [Float]] = [:]
        var start = 0
        while start < tokens.count {
            let batch = Array(tokens[start..<min(tokens.count, start + batchCapacity)])
            let rows = batch.indices.filter { logitIndices.contains(start + $0) }
            for (row, values) in evaluateBatch(batch, batched: tokens.count > 1, cache: cache, logitRows: rows) {
                logits[start + row] = values
            }
            start += batch.count
        }
        return logits
    }

    private func evaluateBatch(_ batch: [Int], batched: Bool, cache: KVCache, logitRows: [Int]) -> [Int: [Float]] {
        let count = batch.count
        let dim = config.embeddingLength
        let first = cache.count
        for (row, id) in batch.enumerated() {
            model.tokenEmbedding.row(id, into: UnsafeMutableBufferPointer(start: hidden.pointer + row * dim, count: dim))
        }
        ensureScratch(positions: first + count)
        for (index, layer) in model.layers.enumerated() {
            attentionBlock(layer, layerIndex: index, count: count, firstPosition: first, batched: batched, cache: cache)
            feedForwardBlock(layer, count: count)
        }
        cache.append(batch[...])
        var logits: [Int: [Float]] = [:]
        for row in logitRows {
            logits[row] = outputLogits(row: row)
        }
        return logits
    }

    private func attentionBlock(_ layer: EngineModel.Layer, layerIndex: Int, count: Int, firstPosition: Int, batched: Bool,
                                cache: KVCache) {
        let dim = config.embeddingLength
        let kvLength = config.keyValueLength
        normalize(hidden, weights: layer.attentionNorm, into: normed, count: count)
        project(normed, columns: dim, count: count,
                [(layer.query, query), (layer.key, key), (layer.value, value)])
        for (bias, buffer, length) in [(layer.queryBias, query, config.queryLength), (layer.keyBias, key, kvLength),
                                       (layer.valueBias, value, kvLength)] {
            guard let bias else { continue }
            bias.values.withUnsafeBufferPointer { b in
                for row in 0..<count { ck_add(buffer.pointer + row * length, b.baseAddress, Int32(length)) }
            }
        }
        let neox: Int32 = config.architecture == .qwen2 ? 1 : 0
        let (rotary, headDimension) = (Int32(config.rotaryDimension), Int32(config.headDimension))
        let rotate = { (factors: UnsafePointer<Float>?) in
            for row in 0..<count {
                ck_rope_table(self.ropeTable.pointer, rotary / 2, Int32(firstPosition + row), self.model.ropeThetaScale,
                              self.config.ropeFrequencyScale, factors)
                ck_rope(self.query.pointer + row * self.config.queryLength, Int32(self.config.headCount), headDimension,
                        rotary, self.ropeTable.pointer, neox)
                ck_rope(self.key.pointer + row * kvLength, Int32(self.config.keyValueHeadCount), headDimension, rotary,
                        self.ropeTable.pointer, neox)
            }
        }
        if let factors = model.ropeFrequencyFactors {
            factors.withUnsafeBufferPointer { rotate($0.baseAddress) }
        } else {
            rotate(nil)
        }
        let keys = cache.keys(layer: layerIndex), values = cache.values(layer: layerIndex)
        ck_store_halves(key.pointer, keys + firstPosition * kvLength, Int32(count * kvLength))
        ck_store_halves(value.pointer, values + firstPosition * kvLength, Int32(count * kvLength))

        let heads = config.headCount
        let headDim = config.headDimension
        let group = heads / config.keyValueHeadCount
        let scale = 1 / Float(headDim).squareRoot()
        let scratchBuffers = scratch
        let batchedOrder: Int32 = batched ? 1 : 0
        let (queryPointer, attentionPointer) = (query.pointer, attention.pointer)
        // Later rows attend to more positions: pieces from a shared queue keep the workers even.
        let items = WorkQueue(total: count * heads, pieceSize: count > 4 ? heads : 1)
        pool.run { worker, _ in
            let workspace = scratchBuffers[worker].pointer
            while let piece = items.take() {
                for item in piece {
                    let (row, head) = item.quotientAndRemainder(dividingBy: heads)
                    let kvOffset = (head / group) * headDim
                    let offset = row * heads * headDim + head * headDim
                    ck_attention(queryPointer + offset, keys + kvOffset, values + kvOffset, kvLength,
                                 Int32(firstPosition + row + 1), Int32(headDim), scale, batchedOrder, workspace,
                                 attentionPointer + offset)
                }
            }
        }
        project(attention, columns: config.queryLength, count: count, [(layer.attentionOutput, projected)])
        ck_add(hidden.pointer, projected.pointer, Int32(count * dim))
    }

    private func feedForwardBlock(_ layer: EngineModel.Layer, count: Int) {
        let dim = config.embeddingLength
        let ff = config.feedForwardLength
        normalize(hidden, weights: layer.feedForwardNorm, into: normed, count: count)
        project(normed, columns: dim, count: count, [(layer.gate, gate), (layer.up, up)])
        let (gatePointer, upPointer) = (gate.pointer, up.pointer)
        pool.run { worker, workers in
            let range = WorkerPool.chunk(count * ff, worker: worker, of: workers, granularity: 16)
            ck_silu_mul(gatePointer + range.lowerBound, upPointer + range.lowerBound, Int32(range.count))
        }
        project(gate, columns: ff, count: count, [(layer.down, projected)])
        ck_add(hidden.pointer, projected.pointer, Int32(count * dim))
    }

    private func outputLogits(row: Int) -> [Float] {
        let dim = config.embeddingLength
        let input = Buffer(dim)
        model.outputNorm.values.withUnsafeBufferPointer { weights in
            ck_rms_norm(hidden.pointer + row * dim, weights.baseAddress, input.pointer, Int32(dim), config.normEpsilon)
        }
        let logits = Buffer(model.output.rows)
        project(input, columns: dim, count: 1, [(model.output, logits)])
        return Array(UnsafeBufferPointer(start: logits.pointer, count: model.output.rows))
    }

    private func normalize(_ input: Buffer, weights: WeightVector, into output: Buffer, count: Int) {
        let dim = config.embeddingLength
        weights.values.withUnsafeBufferPointer { w in
            for row in 0..<count {
                ck_rms_norm(input.pointer + row * dim, w.baseAddress, output.pointer + row * dim, Int32(dim), config.normEpsilon)
            }
        }
    }

    /// output = input x matrix^T for each (matrix, output) pair; all matrices take `columns` inputs.
    private func project(_ input: Buffer, columns: Int, count: Int, _ targets: [(WeightMatrix, Buffer)]) {
        var remaining = targets[...]
        while let first = remaining.first {
            // Matrices that take the same activation form share one preparation of the input.
            let format = ck_activation_format(first.0.kernelType)
            let group = remaining.filter { ck_activation_format($0.0.kernelType) == format }
            remaining = remaining.filter { ck_activation_format($0.0.kernelType) != format }
            let type = first.0.kernelType
            let rowBytes = ck_activation_row_bytes(type, Int32(columns))
            let activations = self.activations
            let inputPointer = input.pointer
            // A few rows are cheaper to prepare here than a round trip through the workers.
            if count <= 4 {
                for row in 0..<count {
                    ck_prepare_activation(type, inputPointer + row * columns, activations + row * rowBytes, Int32(columns))
                }
            } else {
                pool.run { worker, workers in
                    for row in WorkerPool.chunk(count, worker: worker, of: workers) {
                        ck_prepare_activation(type, inputPointer + row * columns, activations + row * rowBytes,
                                              Int32(columns))
                    }
                }
            }
            // Row tiles of every matrix in the group, handed out one at a time to whichever worker is free.
            let tileRows = count > 4 ? 32 : 64
            let tileCounts = group.map { ($0.0.rows + tileRows - 1) / tileRows }
            let tiles = WorkQueue(total: tileCounts.reduce(0, +), pieceSize: 1)
            pool.run { _, _ in
                while let piece = tiles.take() {
                    var tile = piece.lowerBound
                    var index = 0
                    while tile >= tileCounts[index] {
                        tile -= tileCounts[index]
                        index += 1
                    }
                    let (matrix, output) = group[index]
                    let first = tile * tileRows
                    ck_matmul(matrix.kernelType, matrix.base, matrix.rowBytes, Int32(columns),
                              Int32(first), Int32(min(matrix.rows, first + tileRows)), activations, rowBytes,
                              Int32(count), output.pointer, matrix.rows)
                }
            }
        }
    }

    private func ensureScratch(positions: Int) {
        let needed = ck_attention_scratch_floats(Int32(positions), Int32(config.headDimension))
        if scratch.count != pool.threadCount || (scratch.first?.count ?? 0) < needed {
            // Room for twice the positions, so a long generation grows the buffers only a few times.
            let size = max(needed, ck_attention_scratch_floats(Int32(2 * positions), Int32(config.headDimension)))
            scratch = (0..<pool.threadCount).map { _ in Buffer(size) }
        }
    }
}

/// A heap array of Float with a stable address, freed with its owner.
final class Buffer: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Float>
    let count: Int

    init(_ count: Int) {
        self.count = count
        pointer = .allocate(capacity: max(1, count))
        pointer.initialize(repeating: 0, count: max(1, count))
    }

    deinit { pointer.deallocate() }
}
