import AssayCore
import AssayInference
import AssayStore
import AssayTestSupport
import Foundation
import Testing

/// A batch's measured energy is shared among its predictions by the tokens the engine evaluated
/// for each, and the shares add up to the run's energy.
struct BatchEnergyShareTests {
    /// Answers like the embedded engine at batch size 3: each item's text names the prompt tokens
    /// it evaluated and the tokens it decoded ("prefill 10 decode 5").
    struct TokenReportingEngine: InferenceBackend {
        var displayName: String { "a token-reporting fixture engine" }
        var allowsConcurrentRequests: Bool { true }
        var requestsEvaluatedTogether: Int? { 3 }

        func complete(_ request: ChatRequest) async throws -> Completion {
            // The task's prompt wraps the item's text, so the number after each word may carry quotes.
            let words = request.user.split(separator: " ")
            func number(after word: Substring) -> Int {
                words.firstIndex(of: word).flatMap { Int(words[$0 + 1].filter(\.isNumber)) } ?? 0
            }
            let prefill = number(after: "prefill")
            let decode = number(after: "decode")
            return Completion(
                text: "Positive: fine", promptTokens: prefill, completionTokens: decode,
                backendTimings: #"{"prefill_tokens": \#(prefill), "decode_tokens": \#(decode), "batch_size": 3}"#)
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
}
