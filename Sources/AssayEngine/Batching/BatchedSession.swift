import AssaySupport
import Foundation

/// Several requests over one model evaluated together: every pass reads each weight row once
/// for all of them (decoding is memory-bound, so eight sequences cost little more than one).
///
/// - Each slot has its own KV cache, position and sampler, and finishes on its own; a new request
///   takes a free slot between passes (continuous batching), so the batch stays full.
/// - The prompts' shared start (an instruction prefix before the item's text) is evaluated once:
///   the second request shows how far the first one's tokens are shared, those keys and values
///   become the prefix, and each later request starts from a copy of it. The prefix shrinks to
///   the common start of every prompt seen.
/// - A pass holds one token of every decoding slot, then as much of the new prompts as fits.
///   Each sequence is evaluated in the order the sequential `Session` uses (its prompt as one
///   batch, then one token at a time), so the two agree up to the rounding of the matrix products.
///
/// A session is used from one thread at a time.
public final class BatchedSession {
    public let model: EngineModel
    public var tokenizer: Tokenizer { model.tokenizer }
    /// The most requests evaluated together.
    public let batchSize: Int
    /// The most tokens one request (prompt and new tokens) may hold.
    public let contextLength: Int
    private let pool: WorkerPool
    private let forward: ForwardPass
    private let slots: [BatchSlot]
    private var prefix: KVCache?
    /// Until a second prompt shows what is shared: the first prompt, and the slot holding it.
    private var firstPrompt: (ids: [Int], slot: Int)?
    /// Tokens evaluated so far (prompts and decoded tokens, over all passes).
    public private(set) var evaluatedTokenCount = 0

    /// - Parameters:
    ///   - threads: worker threads for the matrix products (the calling thread is one).
    ///   - contextLength: the most tokens a request may hold; the model's own limit by default.
    ///   - batchSize: requests evaluated together.
    ///   - availableMemoryBytes: when given, the memory the slots' caches may take at most; a batch
    ///     whose caches could outgrow it at full context is refused with the batch size that fits.
    public init(
        model: EngineModel, threads: Int = 1, contextLength: Int? = nil, batchSize: Int,
        availableMemoryBytes: Int? = nil, order: FloatOrder = .native
    ) throws {
        guard threads >= 1 else { throw AssayError("threads must be 1 or more, not \(threads)") }
        guard batchSize >= 1 else { throw AssayError("the batch size must be 1 or more, not \(batchSize)") }
        let configuration = model.configuration
        let limit = min(contextLength ?? configuration.contextLength, configuration.contextLength)
        guard limit >= 1 else { throw AssayError("the context length must be 1 or more, not \(limit)") }
        let makeCache = { KVCache(layerCount: configuration.layerCount, rowLength: configuration.keyValueLength, maximumLength: limit) }
        let probe = makeCache()
        if let availableMemoryBytes {
            try Self.checkMemory(
                batchSize: batchSize, contextLength: limit, bytesPerPosition: probe.bytesPerPosition,
                available: availableMemoryBytes)
        }
        self.model = model
        self.batchSize = batchSize
        self.contextLength = limit
        pool = WorkerPool(threadCount: threads)
        forward = ForwardPass(model: model, pool: pool, contextLength: limit, order: order)
        slots = (0..<batchSize).map { index in BatchSlot(cache: index == 0 ? probe : makeCache(), tokenizer: model.tokenizer) }
    }

    public var freeSlotCount: Int { slots.filter(\.isIdle).count }
    public var isIdle: Bool { slots.allSatisfy(\.isIdle) }
    /// Tokens of the shared prefix held now.
    public var sharedPrefixLength: Int { prefix?.count ?? 0 }

    /// The most bytes the slots' and the prefix's caches reach at full context.
    static func cacheBytes(batchSize: Int, contextLength: Int, bytesPerPosition: Int) -> Int {
        (batchSize + 1) * contextLength * bytesPerPosition
    }

    private static func checkMemory(batchSize: Int, contextLength: Int, bytesPerPosition: Int, available: Int) throws {
        let needed = cacheBytes(batchSize: batchSize, contextLength: contextLength, bytesPerPosition: bytesPerPosition)
        guard needed > available else { return }
        let perSlot = contextLength * bytesPerPosition
        let fitting = available / perSlot - 1
        let megabytes = { (bytes: Int) in "\(bytes >> 20) MB" }
        let advice =
            fitting >= 1
            ? "use batch size \(fitting) or less, or a shorter context"
            : "even batch size 1 does not fit; use a shorter context"
        throw AssayError(
            "batch size \(batchSize) with a \(contextLength)-token context needs up to \(megabytes(needed)) of keys and values, but \(megabytes(available)) is available; \(advice)"
        )
    }

    /// Starts `request` in a free slot and returns the slot's index.
    @discardableResult
    public func start(_ request: BatchRequest) throws -> Int {
        guard let index = slots.firstIndex(where: \.isIdle) else {
            throw AssayError("all \(batchSize) slots of the batch are busy; start a request after a step finishes one")
        }
        let prompt = request.promptIDs
        guard !prompt.isEmpty else { throw AssayError("the prompt is empty; give at least one token") }
        switch request {
        case .generate(_, let options):
            _ = try options.validated()
            if let width = options.beamWidth, width > 1 {
                throw AssayError("beam search (width \(width)) is not batched; use Session for it")
            }
        case .score(_, let candidateIDs):
            for (number, candidate) in candidateIDs.enumerated() where candidate.isEmpty {
                throw AssayError("candidate \(number + 1) is empty; every label needs at least one token")
            }
        }
        let slot = slots[index]
        let reused = try placePrefix(of: prompt, in: index)
        slot.start(request, reused: reused, stops: tokenizer.vocabulary.endOfGenerationIDs)
        return index
    }

    /// Fills slot `index`'s cache with the longest reusable start of `prompt` and returns its length.
    ///
    /// At most all but the last two prompt tokens are reused (`KVCache.reusableLength`).
    private func placePrefix(of prompt: [Int], in index: Int) throws -> Int {
        let slot = slots[index]
        if let prefix {
            prefix.truncate(to: prefix.tokens.commonPrefixLength(with: prompt))
        } else if let first = firstPrompt {
            prefix = try makePrefix(sharedBy: first, and: prompt)
            firstPrompt = nil
        }
        // Every position of the prefix now matches the prompt.
        let fromPrefix = prefix?.count ?? 0
        // The slot's own previous prompt may share more than the prefix (the same prompt again).
        let fromSlot = min(slot.cache.tokens.commonPrefixLength(with: prompt), slot.lastPromptLength)
        let reused = KVCache.reusableLength(shared: max(fromPrefix, fromSlot), promptLength: prompt.count)
        if fromSlot >= reused {
            slot.cache.truncate(to: reused)
        } else if let prefix {
            try slot.cache.copy(from: prefix, length: reused)
        }
        if prefix == nil && firstPrompt == nil { firstPrompt = (prompt, index) }
        return reused
    }

    /// The keys and values of the start that `first` and `prompt` share (nil under two tokens):
    /// copied from the first prompt's slot when its prompt has been evaluated, else evaluated here
    /// once, and the first request then starts from them too.
    private func makePrefix(sharedBy first: (ids: [Int], slot: Int), and prompt: [Int]) throws -> KVCache? {
        let shared = first.ids.commonPrefixLength(with: prompt)
        guard shared >= 2 else { return nil }
        let holder = slots[first.slot]
        let made = KVCache(layerCount: holder.cache.layerCount, rowLength: holder.cache.rowLength, maximumLength: contextLength)
        if holder.cache.tokens.commonPrefixLength(with: prompt) >= shared {
            try made.copy(from: holder.cache, length: shared)
        } else {
            _ = try forward.evaluate(Array(prompt[..<shared]), cache: made, logitIndices: [])
            evaluatedTokenCount += shared
            try holder.reuse(made, length: shared)
        }
        return made
    }

    /// One forward pass over every busy slot; returns the requests it finished, by slot.
    public func step() -> [(slot: Int, outcome: BatchOutcome)] {
        var finished: [(slot: Int, outcome: BatchOutcome)] = []
        var segments: [ForwardPass.Segment] = []
        var owners: [(slot: Int, tokens: Int)] = []
        var budget = forward.batchCapacity
        // Decoding slots first, one token each, so that a long new prompt never stalls them.
        for prefilling in [false, true] {
            for (index, slot) in slots.enumerated() where !slot.isIdle && slot.isPrefilling == prefilling {
                guard let segment = slot.segment(budget: budget) else { continue }
                do {
                    try slot.cache.reserve(slot.cache.count + segment.tokens.count)
                } catch {
                    finished.append((index, slot.fail(Self.assayError(error))))
                    continue
                }
                segments.append(segment)
                owners.append((index, segment.tokens.count))
                budget -= segment.tokens.count
            }
        }
        guard !segments.isEmpty else { return finished }
        do {
            let logits = try forward.evaluate(segments)
            evaluatedTokenCount += owners.reduce(0) { $0 + $1.tokens }
            for (position, owner) in owners.enumerated() {
                if let outcome = slots[owner.slot].advance(evaluated: owner.tokens, logits: logits[position]) {
                    finished.append((owner.slot, outcome))
                }
            }
        } catch {
            for owner in owners { finished.append((owner.slot, slots[owner.slot].fail(Self.assayError(error)))) }
        }
        return finished
    }

    /// Evaluates `requests` with continuous batching and returns their outcomes in order.
    public func run(_ requests: [BatchRequest]) -> [BatchOutcome] {
        var outcomes = [BatchOutcome?](repeating: nil, count: requests.count)
        var owner: [Int: Int] = [:]
        var next = 0
        while next < requests.count || !isIdle {
            while next < requests.count && freeSlotCount > 0 {
                do {
                    owner[try start(requests[next])] = next
                } catch {
                    outcomes[next] = .failed(Self.assayError(error))
                }
                next += 1
            }
            for (slot, outcome) in step() {
                if let request = owner.removeValue(forKey: slot) { outcomes[request] = outcome }
            }
        }
        return outcomes.map { $0 ?? .failed(AssayError("the request was not evaluated")) }
    }

    private static func assayError(_ error: any Error) -> AssayError {
        error as? AssayError ?? AssayError("\(error)")
    }
}
