import AssayCore
import AssaySandbox
import AssaySupport
import Foundation

/// Predicts and scores one item of a multiple-choice, exact-match, code or generation task.
struct TaskKindPredictor: Sendable {
    let task: TaskDefinition
    /// Runs generated code; nil unless the task is a code task.
    let sandbox: CodeSandbox?

    struct Prediction: Sendable {
        let answer: ParsedAnswer
        let rawOutput: String
        let completion: Completion
        let outcome: ItemOutcome
    }

    /// Fails, naming the item, when it lacks what its task needs (options, tests, entry point).
    static func check(_ item: RunItem, task: TaskDefinition) throws {
        let place = "item \(item.id)"
        switch task.kind {
        case .multipleChoice:
            _ = try LabelledDataset.choices(in: item.fields, field: task.multipleChoice.choicesField, place: place)
        case .code:
            for field in [task.code.testField, task.code.entryPointField] where (item.fields[field] ?? "").allSatisfy(\.isWhitespace) {
                throw AssayError(
                    "\(place): no '\(field)' column; a code item needs its tests and entry point (import HumanEval with assay dataset fetch humaneval)"
                )
            }
        case .generation:
            _ = try references(of: item, task: task)
        case .classification, .exactMatch:
            break
        }
    }

    func predict(_ item: RunItem, using predictor: Predictor, onRetry: @escaping @Sendable (Int, BackendError, Double) -> Void)
        async throws -> Prediction
    {
        let generate: @Sendable (ChatRequest) async throws -> Completion = { request in
            try await predictor.retry.run({ try await predictor.backend.complete(request) }, onRetry: onRetry)
        }
        switch task.kind {
        case .multipleChoice:
            let choices = try LabelledDataset.choices(in: item.fields, field: task.multipleChoice.choicesField, place: "item \(item.id)")
            return task.multipleChoice.method == .loglikelihood
                ? try await likeliestChoice(item, choices: choices, predictor: predictor, onRetry: onRetry)
                : try await generatedChoice(
                    item, choices: choices, completion: generate(predictor.request(for: item.text, choices: choices)))
        case .exactMatch:
            let completion = try await generate(predictor.request(for: item.text))
            let extraction = AnswerExtractor.extract(completion.text)
            let correct = extraction.map { ExactMatch.matches($0.value, item.goldLabel) } ?? false
            return Prediction(
                answer: ParsedAnswer(
                    label: extraction?.value, reasoning: Self.trimmed(completion.text), status: extraction == nil ? .unparsed : .parsed),
                rawOutput: completion.text, completion: completion,
                outcome: ItemOutcome(
                    scores: [QualityMetric.exactMatch.key: correct ? 1 : 0], extracted: extraction?.value,
                    extractionRule: extraction?.rule.rawValue))
        case .code:
            return try await checkedCode(item, predictor: predictor, generate: generate)
        case .generation:
            let completion = try await generate(predictor.request(for: item.text))
            let references = try Self.references(of: item, task: task)
            let rouge = references.map { RougeL(reference: $0, prediction: completion.text).f }.max() ?? 0
            return Prediction(
                answer: ParsedAnswer(label: nil, reasoning: Self.trimmed(completion.text), status: .parsed),
                rawOutput: completion.text, completion: completion,
                outcome: ItemOutcome(scores: [
                    QualityMetric.rougeL.key: rouge,
                    QualityMetric.tokenF1.key: TokenF1.best(prediction: completion.text, references: references),
                ]))
        case .classification:
            throw AssayError("a classification item goes through the label parser, not the task-kind predictor")
        }
    }

    /// lm-evaluation-harness's protocol: each option, after a space, scored after the prompt and the answer prefix.
    private func likeliestChoice(
        _ item: RunItem, choices: [String], predictor: Predictor, onRetry: @escaping @Sendable (Int, BackendError, Double) -> Void
    ) async throws -> Prediction {
        guard let scorer = predictor.backend as? any LabelScoringBackend else {
            throw AssayError(
                "multiple_choice with method loglikelihood needs option log-likelihoods, which only the embedded engine gives; set multiple_choice.method: generate in the task file"
            )
        }
        let request = predictor.request(for: item.text, choices: choices, assistantPrefix: task.multipleChoice.assistantPrefix)
        let likelihoods = try await predictor.retry.run(
            { try await scorer.logProbabilities(of: choices.map { " " + $0 }, after: request) }, onRetry: onRetry)
        let score = MultipleChoiceScore(logLikelihoods: likelihoods.logProbabilities, choices: choices)
        let gold = MultipleChoiceSettings.index(ofLetter: item.goldLabel)
        let letter = MultipleChoiceSettings.letter(score.pick)
        return Prediction(
            answer: ParsedAnswer(label: letter, reasoning: nil, status: .parsed),
            rawOutput: task.multipleChoice.assistantPrefix + " " + choices[score.pick],
            completion: Completion(
                text: choices[score.pick], backendTimings: #"{"evaluated_tokens":\#(likelihoods.evaluatedTokens)}"#),
            outcome: ItemOutcome(
                scores: [
                    QualityMetric.accuracy.key: score.accuracy(gold: gold),
                    QualityMetric.normalizedAccuracy.key: score.normalizedAccuracy(gold: gold),
                ], extracted: letter,
                choices: zip(choices, likelihoods.logProbabilities).map { ItemOutcome.ChoiceLikelihood(text: $0, logLikelihood: $1) }))
    }

    /// A generated answer read as an option letter by the label parser.
    private func generatedChoice(_ item: RunItem, choices: [String], completion: Completion) throws -> Prediction {
        let letters = choices.indices.map { MultipleChoiceSettings.letter($0).lowercased() }
        let parsed = AnswerParser(labels: letters, rules: AnswerParsingRules(synonyms: [:], reasoning: .afterLabel)).parse(completion.text)
        let letter = parsed.label?.uppercased()
        let answer = ParsedAnswer(label: letter, reasoning: parsed.reasoning, status: parsed.status, candidates: parsed.candidates)
        return Prediction(
            answer: answer, rawOutput: completion.text, completion: completion,
            outcome: ItemOutcome(scores: [QualityMetric.accuracy.key: letter == item.goldLabel ? 1 : 0], extracted: letter))
    }

    /// n programs sampled (seeds seed, seed+1, ...), each run against the item's tests in the sandbox.
    private func checkedCode(
        _ item: RunItem, predictor: Predictor, generate: @Sendable (ChatRequest) async throws -> Completion
    ) async throws -> Prediction {
        guard let sandbox else { throw AssayError("a code task needs a sandbox to run its tests") }
        let settings = task.code
        var executions: [CodeExecution] = []
        var first: Completion?
        var promptTokens = 0
        var completionTokens = 0
        for sample in 0..<settings.samples {
            var request = predictor.request(for: item.text)
            request.hyperparameters.seed = (request.hyperparameters.seed ?? 0) + sample
            let completion = try await generate(request)
            first = first ?? completion
            promptTokens += completion.promptTokens ?? 0
            completionTokens += completion.completionTokens ?? 0
            let program = CodeProgram(
                prompt: item.text, completion: completion.text, test: item.fields[settings.testField] ?? "",
                entryPoint: item.fields[settings.entryPointField] ?? "", stop: settings.stop)
            let result = try await Self.run(program.source, in: sandbox)
            executions.append(
                CodeExecution(
                    completion: completion.text, verdict: result.verdict.rawValue, reason: result.reason,
                    exitStatus: result.exitStatus.map(Int.init), signal: result.signal.map(Int.init), seconds: result.wallSeconds,
                    stdoutTail: result.stdoutTail, stderrTail: result.stderrTail, isolation: result.isolation.rawValue))
        }
        let passed = executions.filter(\.passed).count
        var scores: [String: Double] = [:]
        for metric in settings.metrics {
            if let k = metric.passK { scores[metric.key] = PassAtK.estimate(samples: executions.count, passed: passed, k: k) }
        }
        var completion = first ?? Completion(text: "")
        completion.promptTokens = promptTokens
        completion.completionTokens = completionTokens
        let verdict = executions.first?.passed == true ? "pass" : "fail"
        return Prediction(
            answer: ParsedAnswer(label: verdict, reasoning: Self.trimmed(completion.text), status: .parsed),
            rawOutput: completion.text, completion: completion, outcome: ItemOutcome(scores: scores, samples: executions))
    }

    /// Runs a program on a thread of its own: the sandbox blocks for up to its wall-clock limit,
    /// which must not hold one of the few threads Swift's tasks share.
    private static func run(_ source: String, in sandbox: CodeSandbox) async throws -> SandboxResult {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try sandbox.run(program: source) }) }.start()
        }
    }

    /// A generation item's references: the JSON list in the task's references column, else its gold text.
    static func references(of item: RunItem, task: TaskDefinition) throws -> [String] {
        guard item.fields[task.generation.referencesField] != nil else { return [item.goldLabel] }
        return try LabelledDataset.texts(in: item.fields, column: task.generation.referencesField, place: "item \(item.id)")
    }

    private static func trimmed(_ text: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }
}
