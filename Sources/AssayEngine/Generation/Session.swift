import AssaySupport
import Foundation

/// A conversation state over one model: the KV cache, the worker threads and the scratch buffers.
///
/// Consecutive requests that start with the same tokens (a shared instruction prefix) reuse the
/// cached keys and values of that prefix. A session is used from one thread at a time.
public final class Session {
    public let model: EngineModel
    public var tokenizer: Tokenizer { model.tokenizer }
    private let pool: WorkerPool
    private let forward: ForwardPass
    private let cache: KVCache
    /// The most tokens a conversation may hold: the one asked for, within the model's own limit.
    public let contextLength: Int

    /// - Parameters:
    ///   - threads: worker threads for the matrix products (1 or more; the calling thread is one).
    ///   - contextLength: the most tokens a conversation may hold; the model's own limit by default.
    ///   - order: the llama.cpp build whose rounding to reproduce; this CPU's native build by default.
    public init(model: EngineModel, threads: Int = 1, contextLength: Int? = nil, order: FloatOrder = .native) throws {
        guard threads >= 1 else { throw AssayError("threads must be 1 or more, not \(threads)") }
        self.model = model
        pool = WorkerPool(threadCount: threads)
        let limit = min(contextLength ?? model.configuration.contextLength, model.configuration.contextLength)
        guard limit >= 1 else { throw AssayError("the context length must be 1 or more, not \(limit)") }
        self.contextLength = limit
        forward = ForwardPass(model: model, pool: pool, contextLength: limit, order: order)
        cache = KVCache(
            layerCount: model.configuration.layerCount, rowLength: model.configuration.keyValueLength,
            maximumLength: limit)
    }

    public var threadCount: Int { pool.threadCount }

    /// Prompt tokens the cache currently holds.
    public var cachedTokenCount: Int { cache.count }

    /// The prompt for one user message in the model's chat format, or in `template` when given.
    public func chatPrompt(user: String, system: String? = nil, template: ChatTemplate? = nil) throws -> String {
        try (template ?? model.chatTemplate).render(user: user, system: system)
    }

    /// Generates a continuation of `prompt` (special-token text such as `<|im_start|>` is parsed).
    /// `onToken` sees each new token id as it is produced.
    public func generate(
        prompt: String, options: GenerationOptions = GenerationOptions(), onToken: ((Int) -> Void)? = nil
    ) throws -> GenerationResult {
        try generate(promptIDs: tokenizer.encode(prompt), options: options, onToken: onToken)
    }

    public func generate(
        promptIDs: [Int], options: GenerationOptions = GenerationOptions(), onToken: ((Int) -> Void)? = nil
    ) throws -> GenerationResult {
        let options = try options.validated()
        guard !promptIDs.isEmpty else { throw AssayError("the prompt is empty; give at least one token") }
        let stops = options.stopTokenIDs.union(tokenizer.vocabulary.endOfGenerationIDs)
        let prefillStart = DispatchTime.now()
        let (logits, reused) = try prefill(promptIDs)
        let prefillSeconds = Self.seconds(since: prefillStart)
        let decodeStart = DispatchTime.now()
        let outcome: (ids: [Int], stop: GenerationResult.StopReason, evaluated: Int)
        if let width = options.beamWidth {
            outcome = try BeamSearch(forward: forward, width: width, stops: stops)
                .run(prompt: cache, logits: logits, maxTokens: options.maxTokens, onToken: onToken)
        } else {
            outcome = try sample(from: logits, options: options, stops: stops, onToken: onToken)
        }
        let decodeSeconds = Self.seconds(since: decodeStart)
        return GenerationResult(
            ids: outcome.ids, text: tokenizer.decode(outcome.ids, includeSpecial: false),
            promptTokens: promptIDs.count, reusedPromptTokens: reused, completionTokens: outcome.ids.count,
            stopReason: outcome.stop,
            timings: GenerationTimings(
                prefillSeconds: prefillSeconds, decodeSeconds: decodeSeconds,
                prefillTokens: promptIDs.count - reused, decodeTokens: outcome.evaluated))
    }

    private func sample(
        from logits: [Float], options: GenerationOptions, stops: Set<Int>, onToken: ((Int) -> Void)?
    ) throws -> (ids: [Int], stop: GenerationResult.StopReason, evaluated: Int) {
        var sampler = Sampler(options: options)
        var logits = logits
        var ids: [Int] = []
        var evaluated = 0
        while ids.count < options.maxTokens {
            let next = sampler.pick(from: logits)
            if stops.contains(next) {
                return (ids, options.stopTokenIDs.contains(next) ? .stopToken : .endOfGeneration, evaluated)
            }
            ids.append(next)
            onToken?(next)
            guard ids.count < options.maxTokens else { break }
            logits = try forward.evaluate([next], cache: cache, logitIndices: [0])[0] ?? []
            evaluated += 1
        }
        return (ids, .maxTokens, evaluated)
    }

    /// Evaluates the prompt after the longest cached prefix; returns the logits after its last token
    /// and the number of reused tokens.
    private func prefill(_ promptIDs: [Int]) throws -> (logits: [Float], reused: Int) {
        let reused = KVCache.reusableLength(shared: cache.tokens.commonPrefixLength(with: promptIDs), promptLength: promptIDs.count)
        cache.truncate(to: reused)
        let rest = Array(promptIDs[reused...])
        let logits = try forward.evaluate(rest, cache: cache, logitIndices: [rest.count - 1])
        return (logits[rest.count - 1] ?? [], reused)
    }

    /// The logits after each of `ids[from...]`, as a generation that produced `ids[(from + 1)...]`
    /// saw them: `ids[...from]` in one batch (after the cached prefix), then one token at a time.
    /// The engine's sums follow llama.cpp's, whose order depends on the batch, so this is the form
    /// to compare with a llama.cpp server's token probabilities.
    public func logits(for ids: [Int], from first: Int) throws -> [[Float]] {
        guard !ids.isEmpty, first >= 0, first < ids.count else {
            throw AssayError("logits requested from position \(first) of \(ids.count) tokens")
        }
        // At least two tokens in the batch, as in prefill.
        let shared = max(0, min(cache.tokens.commonPrefixLength(with: ids), first - 1))
        cache.truncate(to: shared)
        let batch = Array(ids[shared...first])
        var rows = [try forward.evaluate(batch, cache: cache, logitIndices: [batch.count - 1])[batch.count - 1] ?? []]
        for id in ids[(first + 1)...] {
            rows.append(try forward.evaluate([id], cache: cache, logitIndices: [0])[0] ?? [])
        }
        return rows
    }

    /// The logits after each of `ids[from...]`, all of `ids` evaluated as batches in a fresh
    /// context, as llama-perplexity evaluates one chunk of a text. The cache is emptied afterwards.
    ///
    /// With `statistics`, the input of every matrix product over the chunk is added to it.
    public func chunkLogits(for ids: [Int], from first: Int, recording statistics: ActivationStatistics? = nil) throws -> [[Float]] {
        guard !ids.isEmpty, first >= 0, first < ids.count else {
            throw AssayError("logits requested from position \(first) of \(ids.count) tokens")
        }
        cache.truncate(to: 0)
        forward.activationStatistics = statistics
        defer {
            cache.truncate(to: 0)
            forward.activationStatistics = nil
        }
        let rows = try forward.evaluate(ids, cache: cache, logitIndices: Set(first..<ids.count))
        return (first..<ids.count).map { rows[$0] ?? [] }
    }

    /// The log-probability (natural log) of each candidate continuation after `prompt`, for
    /// classification by label likelihood. Candidates are tokenized alone, without BOS; their tokens
    /// are evaluated one at a time, as generation would, so a score equals the sum of the
    /// log-probabilities a generation of that text would see.
    public func scoreContinuations(prompt: String, candidates: [String]) throws -> ContinuationScores {
        try scoreContinuations(
            promptIDs: tokenizer.encode(prompt),
            candidateIDs: candidates.map { tokenizer.encode($0, addSpecial: false) })
    }

    public func scoreContinuations(promptIDs: [Int], candidateIDs: [[Int]]) throws -> ContinuationScores {
        guard !promptIDs.isEmpty else { throw AssayError("the prompt is empty; give at least one token") }
        for (index, candidate) in candidateIDs.enumerated() where candidate.isEmpty {
            throw AssayError("candidate \(index + 1) is empty; every label needs at least one token")
        }
        let (promptLogits, reused) = try prefill(promptIDs)
        let promptNormalizer = Sampler.logNormalizer(promptLogits)
        let promptLength = promptIDs.count
        var scores: [Double] = []
        for candidate in candidateIDs {
            var total = Double(promptLogits[candidate[0]]) - promptNormalizer
            // Each later token alone, as generation would evaluate it.
            cache.truncate(to: promptLength)
            for position in 1..<candidate.count {
                let logits = try forward.evaluate([candidate[position - 1]], cache: cache, logitIndices: [0])[0] ?? []
                total += Double(logits[candidate[position]]) - Sampler.logNormalizer(logits)
            }
            scores.append(total)
        }
        cache.truncate(to: promptLength)
        let continuationTokens = candidateIDs.reduce(0) { $0 + $1.count - 1 }
        return ContinuationScores(logProbabilities: scores, evaluatedTokens: promptLength - reused + continuationTokens)
    }

    /// Seconds to evaluate `ids` in a fresh context, as one batch or one token at a time
    /// (with the output logits after each step, as in generation). The cache is emptied afterwards.
    public func timeEvaluation(_ ids: [Int], oneByOne: Bool) throws -> Double {
        cache.truncate(to: 0)
        defer { cache.truncate(to: 0) }
        let start = DispatchTime.now()
        if oneByOne {
            for id in ids { _ = try forward.evaluate([id], cache: cache, logitIndices: [0]) }
        } else {
            _ = try forward.evaluate(ids, cache: cache, logitIndices: [ids.count - 1])
        }
        return Self.seconds(since: start)
    }

    private static func seconds(since start: DispatchTime) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    }
}
