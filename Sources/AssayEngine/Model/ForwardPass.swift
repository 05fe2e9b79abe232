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
        try checkVocabulary(tokens)
        try cache.reserve(cache.count + tokens.count)
        var logits: [Int: [Float]] = [:]
        var start = 0
        while start < tokens.count {
            let batch = Array(tokens[start..<min(tokens.count, start + batchCapacity)])
            let rows = batch.indices.filter { logitIndices.contains(start + $0) }
            let segment = Segment(tokens: batch, cache: cache, batchedOrder: tokens.count > 1)
            for (row, values) in evaluateBatch([segment], logitRows: rows) {
                logits[start + row] = values
            }
            start += batch.count
        }
        return logits
    }

    /// Tokens of one sequence in a batch of several: appended to the sequence's own cache, at its
    /// own positions. `batchedOrder` is whether the sequence's whole request had more than one token,
    /// which decides attention's summation order (see `evaluate`).
    struct Segment {
        let tokens: [Int]
        let cache: KVCache
        let batchedOrder: Bool
    }

    /// Evaluates several sequences in one pass, so that each weight row is read once for all of
    /// them (batched decoding); returns the logits after each segment's last token, in order.
    /// Every segment's cache must be distinct, and all tokens together fit `batchCapacity`.
    func evaluate(_ segments: [Segment]) throws -> [[Float]] {
        let total = segments.reduce(0) { $0 + $1.tokens.count }
        guard total <= batchCapacity, segments.allSatisfy({ !$0.tokens.isEmpty }) else {
            throw AssayError("a batch holds 1 to \(batchCapacity) tokens per pass and a token per sequence, not \(total)")
        }
        for segment in segments {
            try checkVocabulary(segment.tokens)
            try segment.cache.reserve(segment.cache.count + segment.tokens.count)
        }
        var lastRows: [Int] = []
        var row = 0
        for segment in segments {
            row += segment.tokens.count
            lastRows.append(row - 1)
        }
        let logits = evaluateBatch(segments, logitRows: lastRows)
        return lastRows.map { logits[$0] ?? [] }
    }

    private func checkVocabulary(_ tokens: [Int]) throws {
        for id in tokens where id < 0 || id >= model.tokenizer.count {
            throw AssayError("token id \(id) is outside the vocabulary (0..<\(model.tokenizer.count))")
        }
    }

    /// Where each row of a batch goes: its sequence's cache, its position, and its attention order.
    private struct RowPlacement {
        let segment: Int
        let position: Int
        let batchedOrder: Bool
    }

    private func evaluateBatch(_ segments: [Segment], logitRows: [Int]) -> [Int: [Float]] {
        let dim = config.embeddingLength
        var placements: [RowPlacement] = []
        for (index, segment) in segments.enumerated() {
            for offset in segment.tokens.indices {
                placements.append(
                    RowPlacement(segment: index, position: segment.cache.count + offset, batchedOrder: segment.batchedOrder))
            }
        }
        for (row, id) in segments.flatMap(\.tokens).enumerated() {
            model.tokenEmbedding.row(id, into: UnsafeMutableBufferPointer(start: hidden.pointer + row * dim, count: dim))
        }
        let count = placements.count
        if let scale = config.embeddingScale {
            for index in 0..<(count * dim) { hidden.pointer[index] *= scale }
        }
        ensureScratch(positions: placements.map { $0.position + 1 }.max() ?? 1)
        let caches = segments.map(\.cache)
        for (index, layer) in model.layers.enumerated() {
            attentionBlock(layer, layerIndex: index, placements: placements, caches: caches)
            feedForwardBlock(layer, count: count)
        }
        for segment in segments { segment.cache.append(segment.tokens[...]) }
        return outputLogits(rows: logitRows)
    }

    private func attentionBlock(
        _ layer: EngineModel.Layer, layerIndex: Int, placements: [RowPlacement], caches: [KVCache]
    ) {
        let count = placements.count
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
        rotate(positions: placements.map(\.position), layer: layer)
        // llama.cpp scales Phi-3's and Gemma 3's queries before attention, the others' scores inside it.
        var scale = config.attentionScale
        if config.architecture == .phi3 || config.architecture == .gemma3 {
            for index in 0..<(count * queryLength) { query.pointer[index] *= scale }
            scale = 1
        }
        let keys = caches.map { $0.keys(layer: layerIndex) }
        let values = caches.map { $0.values(layer: layerIndex) }
        var row = 0
        while row < count {
            // A segment's rows are consecutive, at consecutive positions of its cache.
            let placement = placements[row]
            var end = row + 1
            while end < count && placements[end].segment == placement.segment { end += 1 }
            let offset = placement.position * kvLength
            ck_store_halves(key.pointer + row * kvLength, keys[placement.segment] + offset, Int32((end - row) * kvLength))
            ck_store_halves(value.pointer + row * kvLength, values[placement.segment] + offset, Int32((end - row) * kvLength))
            row = end
        }

        let heads = config.headCount
        let group = heads / config.keyValueHeadCount
        let window = layer.slidingWindow
        let scratchBuffers = scratch
        let (queryPointer, attentionPointer) = (query.pointer, attention.pointer)
        // Later rows attend to more positions: pieces from a shared queue keep the workers even.
        let items = WorkQueue(total: count * heads, pieceSize: count > 4 ? heads : 1)
        pool.run { worker, _ in
            let workspace = scratchBuffers[worker].pointer
            while let piece = items.take() {
                for item in piece {
                    let (row, head) = item.quotientAndRemainder(dividingBy: heads)
                    let placement = placements[row]
                    let position = placement.position
                    // A sliding-window layer sees the last `window` positions, this one included.
                    let start = window.map { max(0, position + 1 - $0) } ?? 0
                    let kvOffset = start * kvLength + (head / group) * headDimension
                    let offset = row * heads * headDimension + head * headDimension
                    ck_attention(
                        queryPointer + offset, keys[placement.segment] + kvOffset, values[placement.segment] + kvOffset,
                        kvLength, Int32(position + 1 - start), Int32(headDimension), scale,
                        placement.batchedOrder ? 1 : 0, lanes, workspace, attentionPointer + offset)
                }
            }
        }
        project(attention, columns: queryLength, count: count, [(layer.attentionOutput, projected)])
        if let norm = layer.postAttentionNorm { normalize(projected, weights: norm, into: projected, count: count) }
        ck_add(hidden.pointer, projected.pointer, Int32(count * dim))
    }

    /// RoPE on the batch's queries and keys (row i at `positions[i]`), with the layer's base and the file's factors.
    private func rotate(positions: [Int], layer: EngineModel.Layer) {
        let (rotary, headDimension) = (Int32(config.rotaryDimension), Int32(config.headDimension))
        let neox: Int32 = config.architecture.rotatesHalves ? 1 : 0
        let attentionFactor = config.ropeAttentionFactor
        let rotateRows = { (factors: UnsafePointer<Float>?) in
            for (row, position) in positions.enumerated() {
                ck_rope_table(
                    self.ropeTable.pointer, rotary / 2, Int32(position), layer.ropeThetaScale,
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
