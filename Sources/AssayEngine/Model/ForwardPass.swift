import AssaySupport
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
    /// The register width of the llama.cpp build whose rounding attention and SiLU follow.
    private let lanes: Int32

    private let config: ModelConfiguration
    private let hidden: Buffer  // batch x embedding: the residual stream
    private let normed: Buffer  // batch x embedding
    private let query: Buffer  // batch x query length
    private let key: Buffer  // batch x key/value length
    private let value: Buffer  // batch x key/value length
    private let attention: Buffer  // batch x query length
    private let gate: Buffer  // batch x feed-forward length
    private let up: Buffer  // batch x feed-forward length
    private let projected: Buffer  // batch x embedding
    private let activations: UnsafeMutableRawPointer
    private let fused: Buffer?  // batch x fused rows: Q/K/V or gate/up from one matrix (Phi-3)
    private let ropeTable: Buffer  // cos and sin of each rotary pair's angle at one position
    private var scratch: [Buffer]  // one per worker: the attention's working space
    /// The divisors of the rotary angles: Llama 3.1's, or Phi-3's short or long LongRoPE factors.
    private let ropeFactors: [Float]?
    /// When set, every matrix product's input is added to it (`assay imatrix`).
    var activationStatistics: ActivationStatistics?

    /// `contextLength` is the session's: Phi-3 uses its long RoPE factors only past the original context.
    init(model: EngineModel, pool: WorkerPool, contextLength: Int, order: FloatOrder, batchCapacity: Int = 512) {
        self.model = model
        self.pool = pool
        self.batchCapacity = batchCapacity
        lanes = order.lanes
        config = model.configuration
        ropeFactors =
            model.ropeFrequencyFactors
            ?? (contextLength > config.ropeOriginalContextLength ? model.ropeLongFactors : model.ropeShortFactors)
        let fusedRows =
            model.layers.map { layer -> Int in
                var rows = 0
                if case .fused(let matrix) = layer.projections { rows = matrix.rows }
                if case .fused(let matrix) = layer.feedForwardInput { rows = max(rows, matrix.rows) }
                return rows
            }.max() ?? 0
        fused = fusedRows > 0 ? Buffer(batchCapacity * fusedRows) : nil
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
            throw AssayError("token id \(id) is outside the vocabulary (0..<\(model.tokenizer.count))")
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
        if let scale = config.embeddingScale {
            for index in 0..<(count * dim) { hidden.pointer[index] *= scale }
        }
        ensureScratch(positions: first + count)
        for (index, layer) in model.layers.enumerated() {
            attentionBlock(layer, layerIndex: index, count: count, firstPosition: first, batched: batched, cache: cache)
            feedForwardBlock(layer, count: count)
        }
        cache.append(batch[...])
        return outputLogits(rows: logitRows)
    }

    private func attentionBlock(
        _ layer: EngineModel.Layer, layerIndex: Int, count: Int, firstPosition: Int, batched: Bool,
        cache: KVCache
    ) {
        let dim = config.embeddingLength
        let (queryLength, kvLength) = (config.queryLength, config.keyValueLength)
        normalize(hidden, weights: layer.attentionNorm, into: normed, count: count)
        switch layer.projections {
        case .separate(let queryMatrix, let keyMatrix, let valueMatrix):
            project(normed, columns: dim, count: count, [(queryMatrix, query), (keyMatrix, key), (valueMatrix, value)])
        case .fused(let matrix):
            let fused = self.fused!
            project(normed, columns: dim, count: count, [(matrix, fused)])
            split(
                fused, rowLength: matrix.rows, count: count,
                into: [(query, queryLength), (key, kvLength), (value, kvLength)])
        }
        for (bias, buffer, length) in [
            (layer.queryBias, query, queryLength), (layer.keyBias, key, kvLength),
            (layer.valueBias, value, kvLength),
        ] {
            guard let bias else { continue }
            bias.values.withUnsafeBufferPointer { b in
                for row in 0..<count { ck_add(buffer.pointer + row * length, b.baseAddress, Int32(length)) }
            }
        }
        let headDimension = config.headDimension
        for (norm, buffer, heads) in [(layer.queryNorm, query, config.headCount), (layer.keyNorm, key, config.keyValueHeadCount)] {
            guard let norm else { continue }
            norm.values.withUnsafeBufferPointer { w in
                for head in 0..<(count * heads) {
                    let vector = buffer.pointer + head * headDimension
                    ck_rms_norm(vector, w.baseAddress, vector, Int32(headDimension), config.normEpsilon)
                }
            }
        }
        rotate(count: count, firstPosition: firstPosition, layer: layer)
        // llama.cpp scales Phi-3's and Gemma 3's queries before attention, the others' scores inside it.
        var scale = config.attentionScale
        if config.architecture == .phi3 || config.architecture == .gemma3 {
            for index in 0..<(count * queryLength) { query.pointer[index] *= scale }
            scale = 1
        }
        let keys = cache.keys(layer: layerIndex)
        let values = cache.values(layer: layerIndex)
        ck_store_halves(key.pointer, keys + firstPosition * kvLength, Int32(count * kvLength))
        ck_store_halves(value.pointer, values + firstPosition * kvLength, Int32(count * kvLength))

        let heads = config.headCount
        let group = heads / config.keyValueHeadCount
        let window = layer.slidingWindow
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
                    let position = firstPosition + row
                    // A sliding-window layer sees the last `window` positions, this one included.
                    let start = window.map { max(0, position + 1 - $0) } ?? 0
                    let kvOffset = start * kvLength + (head / group) * headDimension
                    let offset = row * heads * headDimension + head * headDimension
                    ck_attention(
                        queryPointer + offset, keys + kvOffset, values + kvOffset, kvLength,
                        Int32(position + 1 - start), Int32(headDimension), scale, batchedOrder, lanes, workspace,
                        attentionPointer + offset)
                }
            }
        }
        project(attention, columns: queryLength, count: count, [(layer.attentionOutput, projected)])
        if let norm = layer.postAttentionNorm { normalize(projected, weights: norm, into: projected, count: count) }
        ck_add(hidden.pointer, projected.pointer, Int32(count * dim))
    }

    /// RoPE on the batch's queries and keys, with the layer's base and the file's factors.
    private func rotate(count: Int, firstPosition: Int, layer: EngineModel.Layer) {
        let (rotary, headDimension) = (Int32(config.rotaryDimension), Int32(config.headDimension))
        let neox: Int32 = config.architecture.rotatesHalves ? 1 : 0
        let attentionFactor = config.ropeAttentionFactor
        let rotateRows = { (factors: UnsafePointer<Float>?) in
            for row in 0..<count {
                ck_rope_table(
                    self.ropeTable.pointer, rotary / 2, Int32(firstPosition + row), layer.ropeThetaScale,
                    layer.ropeFrequencyScale, factors)
                // LongRoPE's magnitude correction multiplies cos and sin, as ggml's rope does.
                if attentionFactor != 1 {
                    for index in 0..<Int(rotary) { self.ropeTable.pointer[index] *= attentionFactor }
                }
                ck_rope(
                    self.query.pointer + row * self.config.queryLength, Int32(self.config.headCount), headDimension,
                    rotary, self.ropeTable.pointer, neox)
                ck_rope(
                    self.key.pointer + row * self.config.keyValueLength, Int32(self.config.keyValueHeadCount),
                    headDimension, rotary, self.ropeTable.pointer, neox)
            }
        }
        if let factors = ropeFactors {
            factors.withUnsafeBufferPointer { rotateRows($0.baseAddress) }
        } else {
            rotateRows(nil)
        }
    }

    /// Copies consecutive column ranges of each row of `source` into their own buffers.
    private func split(_ source: Buffer, rowLength: Int, count: Int, into targets: [(Buffer, Int)]) {
        for row in 0..<count {
            var column = 0
            for (target, length) in targets {
                (target.pointer + row * length).update(from: source.pointer + row * rowLength + column, count: length)
                column += length
            }
        }
    }

    private func feedForwardBlock(_ layer: EngineModel.Layer, count: Int) {
        let dim = config.embeddingLength
        let ff = config.feedForwardLength
        normalize(hidden, weights: layer.feedForwardNorm, into: normed, count: count)
        switch layer.feedForwardInput {
        case .separate(let gateMatrix, let upMatrix):
            project(normed, columns: dim, count: count, [(gateMatrix, gate), (upMatrix, up)])
        case .fused(let matrix):
            let fused = self.fused!
            project(normed, columns: dim, count: count, [(matrix, fused)])
            split(fused, rowLength: matrix.rows, count: count, into: [(gate, ff), (up, ff)])
        }
        let (gatePointer, upPointer) = (gate.pointer, up.pointer)
        let gelu = config.architecture == .gemma3
        pool.run { worker, workers in
            let range = WorkerPool.chunk(count * ff, worker: worker, of: workers, granularity: 16)
            if gelu {
                GatedGELU.apply(gatePointer + range.lowerBound, upPointer + range.lowerBound, count: range.count)
            } else {
                ck_silu_mul(gatePointer + range.lowerBound, upPointer + range.lowerBound, Int32(range.count), lanes)
            }
        }
        project(gate, columns: ff, count: count, [(layer.down, projected)])
        if let norm = layer.postFeedForwardNorm { normalize(projected, weights: norm, into: projected, count: count) }
        ck_add(hidden.pointer, projected.pointer, Int32(count * dim))
    }

    /// The logits after each of `rows` (indices into the batch), projected together: a whole
    /// chunk's rows (llama-perplexity's case) then read the output matrix once per tile of rows,
    /// not once per row.
    private func outputLogits(rows: [Int]) -> [Int: [Float]] {
        guard !rows.isEmpty else { return [:] }
        let dim = config.embeddingLength
        let vocabulary = model.output.rows
        // A group of rows at a time, into buffers that every group reuses: a whole chunk's logits at
        // once (512 x 49,152 floats) would be a fresh 100 MB to fault in and clear on each call. The
        // matmul tiles tokens in 48s or fewer anyway, so groups cost no extra weight reads.
        let group = min(rows.count, Self.outputGroup)
        let input = Buffer(dim * group)
        let logits = Buffer(uninitialized: vocabulary * group)
        var result: [Int: [Float]] = [:]
        for start in stride(from: 0, to: rows.count, by: group) {
            let members = rows[start..<min(rows.count, start + group)]
            model.outputNorm.values.withUnsafeBufferPointer { weights in
                for (index, row) in members.enumerated() {
                    ck_rms_norm(
                        hidden.pointer + row * dim, weights.baseAddress, input.pointer + index * dim, Int32(dim), config.normEpsilon)
                }
            }
            project(input, columns: dim, count: members.count, [(model.output, logits)])
            for (index, row) in members.enumerated() {
                result[row] = Array(UnsafeBufferPointer(start: logits.pointer + index * vocabulary, count: vocabulary))
            }
        }
        return result
    }

    /// Rows of logits projected at once: a multiple of every matmul's token tile (3, 4 and 8).
    static let outputGroup = 48

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
        if let activationStatistics {
            for (matrix, _) in targets { activationStatistics.add(matrix.name, input: input.pointer, columns: columns, count: count) }
        }
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
                        ck_prepare_activation(
                            type, inputPointer + row * columns, activations + row * rowBytes,
                            Int32(columns))
                    }
                }
            }
            // Row tiles of every matrix in the group: each worker streams its own part, then helps the others.
            let tileRows = count > 4 ? 32 : 64
            let tileCounts = group.map { ($0.0.rows + tileRows - 1) / tileRows }
            let tiles = WorkQueue(total: tileCounts.reduce(0, +), pieceSize: 1, lanes: pool.threadCount)
            pool.run { worker, _ in
                while let piece = tiles.take(worker: worker) {
                    var tile = piece.lowerBound
                    var index = 0
                    while tile >= tileCounts[index] {
                        tile -= tileCounts[index]
                        index += 1
                    }
                    let (matrix, output) = group[index]
                    let first = tile * tileRows
                    ck_matmul(
                        matrix.kernelType, matrix.base, matrix.rowBytes, Int32(columns),
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

    /// A buffer whose every element its user writes before reading: no pass to clear it first.
    init(uninitialized count: Int) {
        self.count = count
        pointer = .allocate(capacity: max(1, count))
    }

    deinit { pointer.deallocate() }
}
