import AssayCore
import AssayEngine
import AssaySupport
import Foundation
import Synchronization

/// Assay's own GGUF engine, in-process, on a dedicated queue off Swift's cooperative thread pool.
///
/// - With a batch size above 1, concurrent requests are evaluated together by a `BatchedSession`
///   (continuous batching: a request waiting takes the first slot that frees, between passes).
/// - With batch size 1, or for beam search, one `Session` takes one request at a time, reusing
///   the KV cache of the prompt's shared start between consecutive requests.
///
/// The sessions are made by the first request (their KV caches sized by its context length) and
/// only touched on `queue`, which is why the unchecked `Sendable` is sound.
public final class EmbeddedBackend: LabelScoringBackend, @unchecked Sendable {
    public let modelFile: URL
    public let threads: Int
    /// Requests evaluated together.
    public let batchSize: Int
    private let availableMemoryBytes: Int?
    private let model: EngineModel
    private var session: Session?
    private var batched: BatchedSession?
    private let queue = DispatchQueue(label: "assay.embedded-engine")
    /// Requests that wait for a slot of the batch, with who waits for each.
    private let waiting = Mutex<[(BatchRequest, CheckedContinuation<BatchOutcome, any Error>)]>([])

    /// Loads and checks the model file. `availableMemoryBytes` bounds the batch's KV caches (see
    /// `BatchedSession`); by default this machine's available memory.
    public init(modelFile: URL, threads: Int, batchSize: Int = 1, availableMemoryBytes: Int? = EmbeddedBackend.availableMemory())
        throws
    {
        self.modelFile = modelFile
        self.threads = threads
        self.batchSize = max(1, batchSize)
        self.availableMemoryBytes = availableMemoryBytes
        do {
            model = try EngineModel(contentsOf: modelFile)
        } catch let error as AssayError {
            throw AssayError("\(modelFile.path): \(error)")
        }
    }

    public var displayName: String { "the embedded engine (\(modelFile.lastPathComponent))" }
    public var allowsConcurrentRequests: Bool { batchSize > 1 }
    public var requestsEvaluatedTogether: Int? { batchSize }

    public func complete(_ request: ChatRequest) async throws -> Completion {
        let settings = request.hyperparameters
        let beamWidth = settings.beamWidth ?? 1
        let options = GenerationOptions(
            maxTokens: settings.maxTokens ?? 96, temperature: settings.temperature ?? 0, topK: settings.topK ?? 0,
            topP: settings.topP ?? 1, seed: UInt64(max(0, settings.seed ?? 0)), beamWidth: beamWidth > 1 ? beamWidth : nil)
        let prompt = try model.chatTemplate.render(user: request.user, system: request.system) + request.assistantPrefix
        if batchSize > 1 && beamWidth == 1 {
            let outcome = try await submit(.generate(promptIDs: model.tokenizer.encode(prompt), options: options), settings)
            guard case .generated(let result) = outcome else { throw AssayError("\(displayName): the engine answered no generation") }
            return Self.completion(result, threads: threads, batchSize: batchSize)
        }
        return try await onQueue(contextLength: settings.contextLength) { session in
            Self.completion(try session.generate(prompt: prompt, options: options), threads: session.threadCount, batchSize: 1)
        }
    }

    public func logProbabilities(of continuations: [String], after request: ChatRequest) async throws -> ContinuationScores {
        let prompt = try model.chatTemplate.render(user: request.user, system: request.system) + request.assistantPrefix
        if batchSize > 1 {
            let tokenizer = model.tokenizer
            let outcome = try await submit(
                .score(
                    promptIDs: tokenizer.encode(prompt), candidateIDs: continuations.map { tokenizer.encode($0, addSpecial: false) }),
                request.hyperparameters)
            guard case .scored(let scores) = outcome else { throw AssayError("\(displayName): the engine answered no scores") }
            return scores
        }
        return try await onQueue(contextLength: request.hyperparameters.contextLength) { session in
            try session.scoreContinuations(prompt: prompt, candidates: continuations)
        }
    }

    /// The completion of a generation, with the engine's figures: its timings, the tokens it
    /// evaluated (which share a batch's energy) and the batch size.
    private static func completion(_ result: GenerationResult, threads: Int, batchSize: Int) -> Completion {
        let timings: [String: Any] = [
            "prefill_seconds": result.timings.prefillSeconds, "decode_seconds": result.timings.decodeSeconds,
            "prefill_tokens": result.timings.prefillTokens, "decode_tokens": result.timings.decodeTokens,
            "evaluated_tokens": result.timings.prefillTokens + result.timings.decodeTokens,
            "reused_prompt_tokens": result.reusedPromptTokens, "stop_reason": result.stopReason.rawValue,
            "threads": threads, "batch_size": batchSize,
        ]
        let json = (try? JSONSerialization.data(withJSONObject: timings, options: [.sortedKeys])).map {
            String(decoding: $0, as: UTF8.self)
        }
        return Completion(
            text: result.text, promptTokens: result.promptTokens, completionTokens: result.completionTokens,
            backendTimings: json)
    }

    /// Queues `request` for the batch and waits for its outcome; a failed one becomes an error.
    private func submit(_ request: BatchRequest, _ settings: Hyperparameters) async throws -> BatchOutcome {
        let name = displayName
        let outcome = try await withCheckedThrowingContinuation { continuation in
            waiting.withLock { $0.append((request, continuation)) }
            queue.async { [self] in drive(contextLength: settings.contextLength) }
        }
        if case .failed(let error) = outcome { throw AssayError("\(name): \(error)") }
        return outcome
    }

    /// Runs the batch until no request is left (on `queue`): waiting requests take free slots
    /// before each pass, and each finished one is answered at once.
    private func drive(contextLength: Int?) {
        let session: BatchedSession
        do {
            if let batched {
                session = batched
            } else {
                session = try BatchedSession(
                    model: model, threads: threads, contextLength: contextLength, batchSize: batchSize,
                    availableMemoryBytes: availableMemoryBytes)
                batched = session
            }
        } catch {
            let name = displayName
            let stranded = waiting.withLock { list in
                defer { list = [] }
                return list
            }
            for (_, continuation) in stranded {
                continuation.resume(throwing: AssayError("\(name): \(error)"))
            }
            return
        }
        var owners: [Int: CheckedContinuation<BatchOutcome, any Error>] = [:]
        while true {
            let admitted = waiting.withLock { list in
                let count = min(list.count, session.freeSlotCount)
                defer { list.removeFirst(count) }
                return Array(list.prefix(count))
            }
            for (request, continuation) in admitted {
                do {
                    owners[try session.start(request)] = continuation
                } catch {
                    continuation.resume(returning: .failed(error as? AssayError ?? AssayError("\(error)")))
                }
            }
            if session.isIdle { return }
            for (slot, outcome) in session.step() {
                owners.removeValue(forKey: slot)?.resume(returning: outcome)
            }
        }
    }

    /// Runs `work` on the engine's queue; engine errors become one-line `AssayError`s.
    private func onQueue<Value: Sendable>(contextLength: Int?, _ work: @escaping @Sendable (Session) throws -> Value) async throws -> Value
    {
        let name = displayName
        return try await withCheckedThrowingContinuation { continuation in
            queue.async { [self] in
                do {
                    continuation.resume(returning: try work(try openSession(contextLength: contextLength)))
                } catch let error as AssayError {
                    continuation.resume(throwing: AssayError("\(name): \(error)"))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }

    /// The session, made on first use; called on `queue` only.
    private func openSession(contextLength: Int?) throws -> Session {
        if let session { return session }
        let made = try Session(model: model, threads: threads, contextLength: contextLength)
        session = made
        return made
    }

    /// This machine's available memory (MemAvailable in /proc/meminfo), nil where unknown.
    public static func availableMemory() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("MemAvailable:") {
            let fields = line.split(separator: " ")
            if fields.count >= 2, let kilobytes = Int(fields[1]) { return kilobytes * 1024 }
        }
        return nil
    }
}
