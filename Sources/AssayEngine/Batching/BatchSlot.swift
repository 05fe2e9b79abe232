import AssaySupport
import Foundation

/// One sequence of a `BatchedSession`: its own KV cache, and the request it is working on, as a
/// state machine that turns the logits after each pass into the tokens for the next.
///
/// Each step follows the sequential engine's order of evaluation exactly (the prompt as one
/// batch after the reused prefix, then one token at a time), so that a request's tokens come out
/// as `Session` would give them.
final class BatchSlot {
    let cache: KVCache
    private let tokenizer: Tokenizer
    private(set) var request: BatchRequest?
    /// The tokens the next pass evaluates for this slot: the rest of the prompt, or one token.
    private(set) var pending: [Int] = []
    /// Whether `pending` is the prompt (evaluated in the batched attention order when it has more
    /// than one token), as opposed to one decoded token.
    private(set) var isPrefilling = false
    private var promptIsBatched = false
    /// The prompt length of the latest request: its positions hold keys and values in the order a
    /// fresh prompt gets, so a later prompt that starts the same way may reuse them.
    private(set) var lastPromptLength = 0

    // Generation
    private var sampler: Sampler?
    private var options = GenerationOptions()
    private var stops: Set<Int> = []
    private var generated: [Int] = []
    private var decodeEvaluations = 0

    // Label scoring
    private var candidates: [[Int]] = []
    private var candidateIndex = 0
    private var candidatePosition = 0
    private var promptLogits: [Float] = []
    private var promptNormalizer = 0.0
    private var total = 0.0
    private var scores: [Double] = []

    // Timings
    private var reused = 0
    private var started = DispatchTime.now()
    private var prefillEnded = DispatchTime.now()

    init(cache: KVCache, tokenizer: Tokenizer) {
        self.cache = cache
        self.tokenizer = tokenizer
    }

    var isIdle: Bool { request == nil }

    /// Starts `request`, whose first `reused` prompt tokens are already in the cache.
    func start(_ request: BatchRequest, reused: Int, stops endOfGeneration: Set<Int>) {
        self.request = request
        let prompt = request.promptIDs
        self.reused = reused
        lastPromptLength = prompt.count
        pending = Array(prompt[reused...])
        isPrefilling = true
        promptIsBatched = pending.count > 1
        started = DispatchTime.now()
        generated = []
        decodeEvaluations = 0
        scores = []
        switch request {
        case .generate(_, let options):
            self.options = options
            sampler = Sampler(options: options)
            stops = options.stopTokenIDs.union(endOfGeneration)
        case .score(_, let candidateIDs):
            candidates = candidateIDs
            candidateIndex = 0
        }
    }

    /// Starts the request's prefill from the first `length` positions of `prefix` instead, when
    /// none of its prompt has been evaluated yet (it then keeps the last two tokens to evaluate).
    func reuse(_ prefix: KVCache, length: Int) throws {
        guard isPrefilling, cache.count == reused, let prompt = request?.promptIDs else { return }
        let length = KVCache.reusableLength(shared: length, promptLength: prompt.count)
        guard length > reused else { return }
        try cache.copy(from: prefix, length: length)
        reused = length
        pending = Array(prompt[length...])
    }

    /// The next pass's segment for this slot: at most `budget` of the pending prompt tokens.
    func segment(budget: Int) -> ForwardPass.Segment? {
        guard !pending.isEmpty, budget > 0 else { return nil }
        let take = min(pending.count, budget)
        return ForwardPass.Segment(
            tokens: Array(pending[..<take]), cache: cache, batchedOrder: isPrefilling && promptIsBatched)
    }

    /// Takes the logits after the last of `evaluated` tokens of `pending`; returns the outcome when
    /// the request is finished (the slot is then idle).
    func advance(evaluated: Int, logits: [Float]) -> BatchOutcome? {
        pending.removeFirst(evaluated)
        guard pending.isEmpty, let request else { return nil }
        if isPrefilling {
            isPrefilling = false
            prefillEnded = DispatchTime.now()
        } else {
            decodeEvaluations += 1
        }
        switch request {
        case .generate: return advanceGeneration(logits)
        case .score: return advanceScoring(logits)
        }
    }

    private func advanceGeneration(_ logits: [Float]) -> BatchOutcome? {
        guard var sampler, case .generate(let prompt, _) = request else { return nil }
        var stop: GenerationResult.StopReason?
        let next = sampler.pick(from: logits)
        self.sampler = sampler
        if options.maxTokens == 0 {
            stop = .maxTokens
        } else if stops.contains(next) {
            stop = options.stopTokenIDs.contains(next) ? .stopToken : .endOfGeneration
        } else {
            generated.append(next)
            if generated.count >= options.maxTokens { stop = .maxTokens }
        }
        guard let stop else {
            pending = [next]
            return nil
        }
        let now = DispatchTime.now()
        let result = GenerationResult(
            ids: generated, text: tokenizer.decode(generated, includeSpecial: false), promptTokens: prompt.count,
            reusedPromptTokens: reused,
            completionTokens: generated.count, stopReason: stop,
            timings: GenerationTimings(
                prefillSeconds: Self.seconds(from: started, to: prefillEnded),
                decodeSeconds: Self.seconds(from: prefillEnded, to: now),
                prefillTokens: prompt.count - reused, decodeTokens: decodeEvaluations))
        finish()
        return .generated(result)
    }

    private func advanceScoring(_ logits: [Float]) -> BatchOutcome? {
        if candidatePosition == 0 {
            // The prompt's logits, shared by every candidate's first token.
            promptLogits = logits
            promptNormalizer = Sampler.logNormalizer(logits)
        } else {
            let candidate = candidates[candidateIndex]
            total += Double(logits[candidate[candidatePosition]]) - Sampler.logNormalizer(logits)
            candidatePosition += 1
            if candidatePosition < candidate.count {
                pending = [candidate[candidatePosition - 1]]
                return nil
            }
            scores.append(total)
            candidateIndex += 1
        }
        // The next candidate: its first token from the prompt's logits, each later one after the
        // previous, evaluated alone from the end of the prompt.
        while candidateIndex < candidates.count {
            let candidate = candidates[candidateIndex]
            total = Double(promptLogits[candidate[0]]) - promptNormalizer
            cache.truncate(to: request?.promptIDs.count ?? 0)
            if candidate.count > 1 {
                candidatePosition = 1
                pending = [candidate[0]]
                return nil
            }
            scores.append(total)
            candidateIndex += 1
        }
        let evaluated = (request?.promptIDs.count ?? 0) - reused + decodeEvaluations
        let outcome = BatchOutcome.scored(ContinuationScores(logProbabilities: scores, evaluatedTokens: evaluated))
        cache.truncate(to: request?.promptIDs.count ?? 0)
        finish()
        return outcome
    }

    /// Ends the request with `error`; the slot is then idle.
    func fail(_ error: AssayError) -> BatchOutcome {
        finish()
        return .failed(error)
    }

    private func finish() {
        request = nil
        pending = []
        sampler = nil
        candidatePosition = 0
    }

    private static func seconds(from start: DispatchTime, to end: DispatchTime) -> Double {
        Double(end.uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    }
}
