import AssayCore
import AssayEngine
import AssayInference
import AssayStore
import AssayTestSupport
import Foundation
import Testing

/// A batch's measured energy is shared among its predictions by the tokens the engine evaluated
/// for each, and the shares add up to the run's energy.
struct BatchEnergyShareTests {
    /// Answers like the embedded engine at batch size 3: each item's text names the prompt tokens
    /// it evaluated and the tokens it decoded ("prefill 10 decode 5"), and in score mode the
    /// tokens its label scoring evaluated ("score 6").
    struct TokenReportingEngine: LabelScoringBackend {
        var displayName: String { "a token-reporting fixture engine" }
        var allowsConcurrentRequests: Bool { true }
        var requestsEvaluatedTogether: Int? { 3 }

        /// The number after `word` in the request; the task's prompt wraps the item's text, so it may carry quotes.
        static func number(after word: Substring, in request: ChatRequest) -> Int {
            let words = request.user.split(separator: " ")
            return words.firstIndex(of: word).flatMap { Int(words[$0 + 1].filter(\.isNumber)) } ?? 0
        }

        func logProbabilities(of continuations: [String], after request: ChatRequest) async throws -> ContinuationScores {
            ContinuationScores(
                logProbabilities: continuations.indices.map { -Double($0) }, evaluatedTokens: Self.number(after: "score", in: request))
        }

        func complete(_ request: ChatRequest) async throws -> Completion {
            let prefill = Self.number(after: "prefill", in: request)
            let decode = Self.number(after: "decode", in: request)
            return Completion(
                text: "Positive: fine", promptTokens: prefill, completionTokens: decode,
                backendTimings:
                    #"{"prefill_tokens": \#(prefill), "decode_tokens": \#(decode), "evaluated_tokens": \#(prefill + decode), "batch_size": 3}"#
            )
        }
    }

    /// 36 kJ (0.01 kWh) for every measured batch, whatever it holds.
    struct FixedMeter: EnergyMeter {
        var method: EnergyMethod { .estimate }
        func start() throws -> EnergyMeasurementInProgress {
            EnergyMeasurementInProgress {
                EnergyMeasurement(joules: 36_000, durationSeconds: 1, method: .estimate, constants: [:], provenance: "fixture")
            }
        }
    }

    @Test func aBatchsEnergyIsSharedByEvaluatedTokens() async throws {
        let store = try AssayStore.inMemory()
        let runID = try StoreFixture.run(in: store)
        let texts = ["prefill 10 decode 5", "prefill 20 decode 10", "prefill 30 decode 0"]
        let stored = try store.items(ofDatasetNamed: "fixture").items
        let items = try zip(stored, texts).map { RunItem(id: try $0.storedID(), text: $1) }
        let task = try TaskDefinition.builtInSentiment()
        let predictor = try Predictor(
            backend: TokenReportingEngine(), task: task, mode: .generate, hyperparameters: Hyperparameters(maxTokens: 8),
            threads: 1)
        let executor = RunExecutor(
            store: store, runID: runID, predictor: predictor, batchSize: 3, commitInterval: 1000, meter: FixedMeter())
        #expect(executor.concurrency == 3)
        let outcome = try await executor.execute(
            remaining: items, alreadyDone: 0, total: 3, stopRequested: { false }, onEvent: { _ in })
        // The stored provenance names what the energy was shared by.
        #expect(outcome.energy?.shareBases == [.engineTokens])
        guard case .text(let attribution) = outcome.energy?.storedConstants["attribution"] else {
            Issue.record("no attribution stored")
            return
        }
        #expect(attribution.contains("tokens the embedded engine evaluated"), "\(attribution)")

        let rows = try store.predictionExportRows(runID: runID)
        let energies = Dictionary(uniqueKeysWithValues: rows.map { ($0.itemId, $0.energyKwh ?? -1) })
        // One batch of 0.01 kWh over 15 + 30 + 30 = 75 tokens.
        for (item, tokens) in zip(items, [15.0, 30, 30]) {
            #expect(abs((energies[item.id] ?? -1) - 0.01 * tokens / 75) < 1e-15)
        }
        let run = try store.run(id: runID)
        #expect(abs(rows.reduce(0) { $0 + ($1.energyKwh ?? 0) } - (run.energyKwh ?? -1)) < 1e-15)
        #expect(run.batchSize == 3)
    }

    /// Answers after the number of milliseconds its text names ("wait 100"), reporting 10 evaluated tokens.
    struct SlowEngine: InferenceBackend {
        var displayName: String { "a fixture engine that takes its time" }
        var allowsConcurrentRequests: Bool { true }
        var requestsEvaluatedTogether: Int? { 2 }

        func complete(_ request: ChatRequest) async throws -> Completion {
            let milliseconds = TokenReportingEngine.number(after: "wait", in: request)
            try await Task.sleep(nanoseconds: UInt64(milliseconds) * 1_000_000)
            return Completion(text: "Positive: fine", backendTimings: #"{"evaluated_tokens": 10}"#)
        }
    }

    @Test func aRequestStillInFlightAtACommitTakesItsPartOfThatCommitsEnergy() async throws {
        let store = try AssayStore.inMemory()
        let runID = try StoreFixture.run(in: store)
        // The warm-up is the first item; then a short and a long request run side by side, and
        // the short one's commit (after every prediction) comes halfway through the long one.
        let texts = ["wait 0", "wait 150", "wait 300"]
        let stored = try store.items(ofDatasetNamed: "fixture").items
        let items = try zip(stored, texts).map { RunItem(id: try $0.storedID(), text: $1) }
        let predictor = try Predictor(
            backend: SlowEngine(), task: try TaskDefinition.builtInSentiment(), mode: .generate,
            hyperparameters: Hyperparameters(maxTokens: 8), threads: 1)
        let executor = RunExecutor(
            store: store, runID: runID, predictor: predictor, batchSize: 1, commitInterval: 1000, meter: FixedMeter())
        _ = try await executor.execute(
            remaining: Array(items.dropFirst()), alreadyDone: 0, total: 2, stopRequested: { false }, onEvent: { _ in })
        let rows = try store.predictionExportRows(runID: runID)
        let energies = Dictionary(uniqueKeysWithValues: rows.map { ($0.itemId, $0.energyKwh ?? -1) })
        // Two commits of 0.01 kWh each. Both requests were in flight through the first, the long
        // one weighed at the short one's tokens per second, so they share it about equally; the
        // long one alone was in flight through the second, which is all its. (Sharing each commit
        // among the predictions it stored alone would give each 0.01 kWh.)
        let short = try #require(energies[items[1].id])
        let long = try #require(energies[items[2].id])
        #expect(abs(short + long - 0.02) < 1e-15)
        #expect(short > 0.0025 && short < 0.0075, "short \(short), long \(long)")
        #expect(abs((try store.run(id: runID).energyKwh ?? -1) - 0.02) < 1e-15)
    }

    @Test func aScoreModeBatchIsSharedByTheScoringAndReasoningTokens() async throws {
        let store = try AssayStore.inMemory()
        let runID = try StoreFixture.run(in: store)
        let texts = ["score 6 prefill 10 decode 5", "score 4 prefill 20 decode 10", "score 10 prefill 30 decode 0"]
        let stored = try store.items(ofDatasetNamed: "fixture").items
        let items = try zip(stored, texts).map { RunItem(id: try $0.storedID(), text: $1) }
        let predictor = try Predictor(
            backend: TokenReportingEngine(), task: try TaskDefinition.builtInSentiment(), mode: .score,
            hyperparameters: Hyperparameters(maxTokens: 8), threads: 1)
        let executor = RunExecutor(
            store: store, runID: runID, predictor: predictor, batchSize: 3, commitInterval: 1000, meter: FixedMeter())
        let outcome = try await executor.execute(
            remaining: items, alreadyDone: 0, total: 3, stopRequested: { false }, onEvent: { _ in })
        #expect(outcome.energy?.shareBases == [.engineTokens])
        let energies = Dictionary(
            uniqueKeysWithValues: try store.predictionExportRows(runID: runID).map { ($0.itemId, $0.energyKwh ?? -1) })
        // Scoring plus reasoning: 6 + 15, 4 + 30 and 10 + 30 of 95 tokens.
        for (item, tokens) in zip(items, [21.0, 34, 40]) {
            #expect(abs((energies[item.id] ?? -1) - 0.01 * tokens / 95) < 1e-15)
        }
    }
}
