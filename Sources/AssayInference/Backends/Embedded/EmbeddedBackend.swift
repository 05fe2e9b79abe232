import AssayCore
import AssayEngine
import AssaySupport
import Foundation

/// Assay's own GGUF engine, in-process: one session (KV cache with prefix reuse, worker threads)
/// used by one request at a time on a dedicated queue, off Swift's cooperative thread pool.
///
/// The session is made by the first request (its KV cache sized by that request's context
/// length) and only touched on `queue`, which is why the unchecked `Sendable` is sound.
public final class EmbeddedBackend: LabelScoringBackend, @unchecked Sendable {
    public let modelFile: URL
    public let threads: Int
    private let model: EngineModel
    private var session: Session?
    private let queue = DispatchQueue(label: "assay.embedded-engine")

    /// Loads and checks the model file.
    public init(modelFile: URL, threads: Int) throws {
        self.modelFile = modelFile
        self.threads = threads
        do {
            model = try EngineModel(contentsOf: modelFile)
        } catch let error as AssayError {
            throw AssayError("\(modelFile.path): \(error)")
        }
    }

    public var displayName: String { "the embedded engine (\(modelFile.lastPathComponent))" }
    public var allowsConcurrentRequests: Bool { false }

    public func complete(_ request: ChatRequest) async throws -> Completion {
        let settings = request.hyperparameters
        let options = GenerationOptions(
            maxTokens: settings.maxTokens ?? 96, temperature: settings.temperature ?? 0, topK: settings.topK ?? 0,
            topP: settings.topP ?? 1, seed: UInt64(max(0, settings.seed ?? 0)), beamWidth: settings.beamWidth ?? 1)
        return try await onQueue(contextLength: settings.contextLength) { session in
            let prompt = try session.chatPrompt(user: request.user, system: request.system) + request.assistantPrefix
            let result = try session.generate(prompt: prompt, options: options)
            let timings: [String: Any] = [
                "prefill_seconds": result.timings.prefillSeconds, "decode_seconds": result.timings.decodeSeconds,
                "prefill_tokens": result.timings.prefillTokens, "decode_tokens": result.timings.decodeTokens,
                "reused_prompt_tokens": result.reusedPromptTokens, "stop_reason": result.stopReason.rawValue,
                "threads": session.threadCount,
            ]
            let json = (try? JSONSerialization.data(withJSONObject: timings, options: [.sortedKeys])).map {
                String(decoding: $0, as: UTF8.self)
            }
            return Completion(
                text: result.text, promptTokens: result.promptTokens,
                completionTokens: result.completionTokens, backendTimings: json)
        }
    }

    public func logProbabilities(of continuations: [String], after request: ChatRequest) async throws -> [Double] {
        try await onQueue(contextLength: request.hyperparameters.contextLength) { session in
            let prompt = try session.chatPrompt(user: request.user, system: request.system) + request.assistantPrefix
            return try session.scoreContinuations(prompt: prompt, candidates: continuations)
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
}
