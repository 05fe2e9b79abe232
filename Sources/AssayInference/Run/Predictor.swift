import AssayCore
import AssaySandbox
import AssaySupport
import Foundation

/// Turns one item into a prediction with a backend. A classification item goes by free generation
/// and the task's answer parser, or (score mode) by label scoring followed by generated reasoning;
/// every other kind is predicted and scored by `TaskKindPredictor`.
public struct Predictor: Sendable {
    enum Strategy: Sendable {
        case generate
        /// `calibration`: the content-free inputs' label probabilities, once `prepared()` ran.
        case score(LabelScorer, calibration: [Double]?)
        case taskKind(TaskKindPredictor)
    }

    public let backend: any InferenceBackend
    public let task: TaskDefinition
    public let hyperparameters: Hyperparameters
    public let threads: Int?
    let retry: RetryPolicy
    let strategy: Strategy

    /// Builds the predictor; score mode needs a backend that can score label continuations, and a
    /// code task a sandbox for its tests.
    public init(
        backend: any InferenceBackend, task: TaskDefinition, mode: RunMode, hyperparameters: Hyperparameters,
        threads: Int?, retry: RetryPolicy = RetryPolicy(), sandbox: CodeSandbox? = nil
    ) throws {
        self.backend = backend
        self.task = task
        self.hyperparameters = hyperparameters
        self.threads = threads
        self.retry = retry
        if task.kind != .classification {
            try Self.checkSupport(of: task, mode: mode, by: backend)
            guard task.kind != .code || sandbox != nil else { throw AssayError("a code task needs a sandbox to run its tests") }
            strategy = .taskKind(TaskKindPredictor(task: task, sandbox: sandbox))
            return
        }
        switch mode {
        case .generate:
            strategy = .generate
        case .score:
            guard let scoring = backend as? any LabelScoringBackend else { throw Self.scoreModeUnsupported(by: backend) }
            strategy = .score(LabelScorer(backend: scoring, task: task), calibration: nil)
        case .imported:
            throw AssayError("a run of imported predictions cannot be run; start a new run with assay run --model ... --dataset ...")
        }
    }

    /// Fails when `backend` cannot run `task` in `mode`: score mode and log-likelihood multiple
    /// choice need probabilities, which only the embedded engine gives.
    public static func checkSupport(of task: TaskDefinition, mode: RunMode, by backend: any InferenceBackend) throws {
        if task.kind != .classification && mode == .score {
            throw AssayError(
                "--mode score is for classification tasks; task '\(task.name)' is of kind \(task.kind.rawValue)\(task.kind == .multipleChoice ? ", which picks log-likelihood or generation in its file (multiple_choice.method)" : ", which generates"); leave out --mode"
            )
        }
        if backend is any LabelScoringBackend { return }
        if task.kind == .classification && mode == .score {
            throw scoreModeUnsupported(by: backend)
        }
        if task.kind == .multipleChoice && task.multipleChoice.method == .loglikelihood {
            throw AssayError(
                "task '\(task.name)' scores options by log-likelihood, which only the embedded engine gives; \(backend.displayName) can only generate (set multiple_choice.method: generate in the task file)"
            )
        }
    }

    private static func scoreModeUnsupported(by backend: any InferenceBackend) -> AssayError {
        AssayError(
            "--mode score needs label probabilities, which only the embedded engine gives; \(backend.displayName) can only generate (use --mode generate)"
        )
    }

    private init(copying other: Predictor, strategy: Strategy) {
        backend = other.backend
        task = other.task
        hyperparameters = other.hyperparameters
        threads = other.threads
        retry = other.retry
        self.strategy = strategy
    }

    /// The request for `text` (and a multiple-choice item's `choices`), the assistant's answer starting with `assistantPrefix`.
    public func request(for text: String, choices: [String] = [], assistantPrefix: String = "") -> ChatRequest {
        ChatRequest(
            system: task.prompt.system, user: task.prompt.userMessage(for: text, choices: choices), assistantPrefix: assistantPrefix,
            hyperparameters: hyperparameters, threads: threads)
    }

    /// The predictor ready to measure: in score mode with calibration on, the content-free inputs'
    /// label probabilities are computed here, outside the measured part of the run.
    public func prepared(onRetry: @escaping @Sendable (Int, BackendError, Double) -> Void) async throws -> Predictor {
        guard case .score(let scorer, _) = strategy, task.scoring.calibrate else { return self }
        let calibration = try await retry.run({ try await scorer.contentFreeProbabilities(using: self) }, onRetry: onRetry)
        return Predictor(copying: self, strategy: .score(scorer, calibration: calibration))
    }

    public func predict(_ item: RunItem, onRetry: @escaping @Sendable (Int, BackendError, Double) -> Void) async throws
        -> ItemPrediction
    {
        let itemID = item.id
        let text = item.text
        let started = ContinuousClock.now
        switch strategy {
        case .taskKind(let kindPredictor):
            let made = try await kindPredictor.predict(item, using: self, onRetry: onRetry)
            return ItemPrediction(
                itemID: itemID, answer: made.answer, rawOutput: made.rawOutput, completion: made.completion,
                latencySeconds: Self.seconds(since: started), outcome: made.outcome)
        case .generate:
            let completion = try await retry.run({ try await backend.complete(request(for: text)) }, onRetry: onRetry)
            return ItemPrediction(
                itemID: itemID, answer: task.parser.parse(completion.text), rawOutput: completion.text,
                completion: completion, latencySeconds: Self.seconds(since: started))
        case .score(let scorer, let calibration):
            let scored = try await retry.run({ try await scorer.classify(text, using: self, calibration: calibration) }, onRetry: onRetry)
            return ItemPrediction(
                itemID: itemID, answer: scored.answer, rawOutput: scored.rawOutput,
                completion: scored.completion, latencySeconds: Self.seconds(since: started))
        }
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        (ContinuousClock.now - start).secondsValue
    }
}
