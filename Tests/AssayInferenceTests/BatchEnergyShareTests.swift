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

    /// A run of the fixture items with `texts` through `backend`, committed every `batchSize`
    /// predictions and measured by `FixedMeter`; `skippingFirst` leaves the first item out.
    struct FixtureRun {
        let store: AssayStore
        let runID: RunID
        let items: [RunItem]
        let concurrency: Int
        let outcome: RunSessionOutcome

        init(
            _ texts: [String], on backend: any InferenceBackend, mode: RunMode = .generate, batchSize: Int,
            skippingFirst: Bool = false
        ) async throws {
            store = try AssayStore.inMemory()
            runID = try StoreFixture.run(in: store)
            let stored = try store.items(ofDatasetNamed: "fixture").items
            items = try zip(stored, texts).map { RunItem(id: try $0.storedID(), text: $1) }
            let predictor = try Predictor(
                backend: backend, task: try TaskDefinition.builtInSentiment(), mode: mode,
                hyperparameters: Hyperparameters(maxTokens: 8), threads: 1)
            let executor = RunExecutor(
                store: store, runID: runID, predictor: predictor, batchSize: batchSize, commitInterval: 1000, meter: FixedMeter())
            concurrency = executor.concurrency
            let remaining = skippingFirst ? Array(items.dropFirst()) : items
            outcome = try await executor.execute(
                remaining: remaining, alreadyDone: 0, total: remaining.count, stopRequested: { false }, onEvent: { _ in })
        }

        /// Each stored prediction's energy, by item.
        func energies() throws -> [ItemID: Double] {
            Dictionary(uniqueKeysWithValues: try store.predictionExportRows(runID: runID).map { ($0.itemId, $0.energyKwh ?? -1) })
        }
    }

    @Test func aBatchsEnergyIsSharedByEvaluatedTokens() async throws {
        let run = try await FixtureRun(
            ["prefill 10 decode 5", "prefill 20 decode 10", "prefill 30 decode 0"], on: TokenReportingEngine(), batchSize: 3)
        #expect(run.concurrency == 3)
        // The stored provenance names what the energy was shared by.
        #expect(run.outcome.energy?.shareBases == [.engineTokens])
        guard case .text(let attribution) = run.outcome.energy?.storedConstants["attribution"] else {
            Issue.record("no attribution stored")
            return
        }
        #expect(attribution.contains("tokens the embedded engine evaluated"), "\(attribution)")

        let energies = try run.energies()
        // One batch of 0.01 kWh over 15 + 30 + 30 = 75 tokens.
        for (item, tokens) in zip(run.items, [15.0, 30, 30]) {
            #expect(abs((energies[item.id] ?? -1) - 0.01 * tokens / 75) < 1e-15)
        }
        let stored = try run.store.run(id: run.runID)
        #expect(abs(energies.values.reduce(0, +) - (stored.energyKwh ?? -1)) < 1e-15)
        #expect(stored.batchSize == 3)
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
        // A short and a long request run side by side (after the warm-up), and the short one's
        // commit (after every prediction) comes halfway through the long one.
        let run = try await FixtureRun(["unused", "wait 150", "wait 300"], on: SlowEngine(), batchSize: 1, skippingFirst: true)
        let energies = try run.energies()
        // Two commits of 0.01 kWh each. Both requests were in flight through the first, the long
        // one weighed at the short one's tokens per second, so they share it about equally; the
        // long one alone was in flight through the second, which is all its. (Sharing each commit
        // among the predictions it stored alone would give each 0.01 kWh.)
        let short = try #require(energies[run.items[1].id])
        let long = try #require(energies[run.items[2].id])
        #expect(abs(short + long - 0.02) < 1e-15)
        #expect(short > 0.0025 && short < 0.0075, "short \(short), long \(long)")
        #expect(abs((try run.store.run(id: run.runID).energyKwh ?? -1) - 0.02) < 1e-15)
    }

    @Test func aScoreModeBatchIsSharedByTheScoringAndReasoningTokens() async throws {
        let run = try await FixtureRun(
            ["score 6 prefill 10 decode 5", "score 4 prefill 20 decode 10", "score 10 prefill 30 decode 0"], on: TokenReportingEngine(),
            mode: .score, batchSize: 3)
        #expect(run.outcome.energy?.shareBases == [.engineTokens])
        let energies = try run.energies()
        // Scoring plus reasoning: 6 + 15, 4 + 30 and 10 + 30 of 95 tokens.
        for (item, tokens) in zip(run.items, [21.0, 34, 40]) {
            #expect(abs((energies[item.id] ?? -1) - 0.01 * tokens / 95) < 1e-15)
        }
    }
}
