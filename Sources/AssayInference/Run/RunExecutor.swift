import AssayCore
import AssayStore
import Foundation

/// Runs a model over a run's remaining items and stores every prediction.
///
/// - One warm-up request (the first item's prompt, its answer discarded; for a fleet, one per
///   server) and, in score mode, the calibration inputs come first and are excluded from every
///   measurement.
/// - Predictions are committed in batches of `batchSize`, or sooner when `commitInterval` seconds
///   have passed, each batch in one transaction with its measured seconds and energy: a killed
///   process loses at most the batch in flight, and re-running continues after the last commit.
/// - Energy: the meter is read around each batch (warm-up excluded). A batch's energy is shared
///   among the requests that worked during it, finished or still in flight (`EnergyApportioner`),
///   by `EnergyShareBasis`: the embedded engine's evaluated tokens, else the server's own time,
///   else latency; the run's provenance names the bases used. The run's energy is the sum of its
///   predictions' shares: a request that failed, or was in flight when the process was killed,
///   takes its part with it.
/// - `stopRequested` is checked before each new item: the items in flight finish, the batch is
///   committed and the run is marked interrupted. A failure that survives the retries is thrown
///   after the finished predictions are committed and the run is marked failed; no item is skipped.
public struct RunExecutor: Sendable {
    public let store: AssayStore
    public let runID: RunID
    public let predictor: Predictor
    public let batchSize: Int
    public let commitInterval: Double
    /// Requests in flight at once: --concurrency for a server, the batch size for the embedded engine.
    public let concurrency: Int
    public let meter: (any EnergyMeter)?

    public init(
        store: AssayStore, runID: RunID, predictor: Predictor, batchSize: Int, commitInterval: Double = 2,
        concurrency: Int = 1, meter: (any EnergyMeter)?
    ) {
        self.store = store
        self.runID = runID
        self.predictor = predictor
        self.batchSize = max(1, batchSize)
        self.commitInterval = commitInterval
        self.concurrency =
            predictor.backend.requestsEvaluatedTogether
            ?? (predictor.backend.allowsConcurrentRequests ? max(1, concurrency) : 1)
        self.meter = meter
    }

    /// Predicts `remaining` (the selection's items without a prediction, in order); `alreadyDone`
    /// and `total` only feed the progress figures.
    public func execute(
        remaining: [RunItem], alreadyDone: Int, total: Int,
        stopRequested: @escaping @Sendable () -> Bool,
        onEvent: @escaping @Sendable (RunEvent) -> Void
    ) async throws -> RunSessionOutcome {
        try store.setRunStatus(.running, runID: runID)
        let onRetry: @Sendable (Int, BackendError, Double) -> Void = { onEvent(.retrying(attempt: $0, error: $1, delaySeconds: $2)) }
        guard let first = remaining.first else {
            try store.setRunStatus(.completed, runID: runID)
            return RunSessionOutcome(status: .completed)
        }
        onEvent(.warmingUp)
        let ready: Predictor
        do {
            ready = try await predictor.prepared(onRetry: onRetry)
            _ = try await ready.predict(first, onRetry: onRetry)
            try await ready.backend.warmUpIdleServers(with: ready.request(for: first.text))
        } catch {
            try store.setRunStatus(.failed, runID: runID)
            throw error
        }

        var state = SessionState(progress: RunProgress(done: alreadyDone, total: total))
        onEvent(.measuring)
        var batch = try BatchInProgress(meter: meter)
        var apportioner = EnergyApportioner()
        var queue = remaining[...]
        var failure: (any Error)?
        var stopped = false

        await withTaskGroup(of: (ItemID, Result<ItemPrediction, any Error>).self) { group in
            var inFlight = 0
            func launchNext() {
                guard failure == nil, !stopped else { return }
                if stopRequested() {
                    stopped = true
                    return
                }
                guard let item = queue.popFirst() else { return }
                inFlight += 1
                apportioner.launched(item.id)
                group.addTask {
                    do {
                        return (item.id, .success(try await ready.predict(item, onRetry: onRetry)))
                    } catch {
                        return (item.id, .failure(error))
                    }
                }
            }
            for _ in 0..<concurrency { launchNext() }
            while inFlight > 0, let (itemID, result) = await group.next() {
                inFlight -= 1
                switch result {
                case .success(let prediction):
                    batch.predictions.append(prediction)
                    batch.finishedAt.append(.now)
                    state.record(prediction, measuredSoFar: batch.elapsed)
                    onEvent(.progress(state.progress))
                    if batch.predictions.count >= batchSize || batch.elapsed >= commitInterval {
                        do {
                            try commit(&batch, into: &state, sharing: &apportioner)
                            onEvent(.committed(predictions: state.progress.madeThisSession))
                            batch = try BatchInProgress(meter: meter)
                        } catch {
                            failure = failure ?? error
                        }
                    }
                case .failure(let error):
                    apportioner.forget([itemID])
                    failure = failure ?? error
                }
                launchNext()
            }
        }
        do {
            if !batch.predictions.isEmpty {
                try commit(&batch, into: &state, sharing: &apportioner)
                onEvent(.committed(predictions: state.progress.madeThisSession))
            }
        } catch {
            failure = failure ?? error
        }
        let status: RunStatus = failure != nil ? .failed : (stopped || !queue.isEmpty ? .interrupted : .completed)
        try store.setRunStatus(status, runID: runID, threads: predictor.threads, batchSize: concurrency)
        if let failure { throw failure }
        return state.outcome(status: status)
    }

    private func commit(_ batch: inout BatchInProgress, into state: inout SessionState, sharing apportioner: inout EnergyApportioner)
        throws
    {
        let windowEnd = ContinuousClock.now
        let serverSeconds = batch.predictions.compactMap(\.serverSeconds)
        let serverReportedAll = serverSeconds.count == batch.predictions.count
        let measurement = try batch.measurement?.stop(serverBusySeconds: serverReportedAll ? serverSeconds.reduce(0, +) : nil)
        let seconds = batch.elapsed
        let (basis, weights) = EnergyShareBasis.weigh(batch.predictions)
        let finished = zip(batch.predictions, zip(weights, batch.finishedAt)).map { prediction, timing in
            EnergyApportioner.Finished(item: prediction.itemID, weight: timing.0, finishedAt: timing.1)
        }
        // A figure from the server's reported time covers the finished requests only.
        let inFlightShare = !((batch.measurement?.measuresServerTime ?? false) && serverReportedAll)
        let energies = measurement.map {
            apportioner.share($0.kilowattHours, from: batch.started, to: windowEnd, finished: finished, inFlightShare: inFlightShare)
        }
        apportioner.forget(batch.predictions.map(\.itemID))
        let records = batch.predictions.enumerated().map { index, prediction in
            PredictionRecord(
                runId: runID, itemId: prediction.itemID, label: prediction.answer.label, reasoning: prediction.answer.reasoning,
                rawOutput: prediction.rawOutput, parseStatus: prediction.answer.status,
                promptTokens: prediction.completion.promptTokens, completionTokens: prediction.completion.completionTokens,
                latencySeconds: prediction.latencySeconds, backendTimings: prediction.completion.backendTimings,
                energyKwh: energies?[index],
                outcome: prediction.outcome?.jsonText, endpoint: prediction.completion.endpoint)
        }
        try store.savePredictions(records, runID: runID, measuredSeconds: seconds, energyKwh: energies?.reduce(0, +))
        state.committed(seconds: seconds, measurement: measurement, sharedBy: basis)
    }
}

/// The predictions made since the last commit, with the clock and meter reading that started them.
private struct BatchInProgress {
    var predictions: [ItemPrediction] = []
    /// When each prediction's result arrived.
    var finishedAt: [ContinuousClock.Instant] = []
    let started = ContinuousClock.now
    let measurement: EnergyMeasurementInProgress?

    init(meter: (any EnergyMeter)?) throws {
        measurement = try meter?.start()
    }

    var elapsed: Double { Predictor.seconds(since: started) }
}

/// Counts for this session of the run.
private struct SessionState {
    var progress: RunProgress
    var committedSeconds = 0.0
    var energy: EnergyTally?
    var parsed = 0, ambiguous = 0, unparsed = 0

    mutating func record(_ prediction: ItemPrediction, measuredSoFar batchSeconds: Double) {
        progress.done += 1
        progress.madeThisSession += 1
        progress.completionTokens += prediction.completion.completionTokens ?? 0
        progress.seconds = committedSeconds + batchSeconds
        switch prediction.answer.status {
        case .parsed: parsed += 1
        case .ambiguous: ambiguous += 1
        case .unparsed: unparsed += 1
        }
    }

    mutating func committed(seconds: Double, measurement: EnergyMeasurement?, sharedBy basis: EnergyShareBasis) {
        committedSeconds += seconds
        progress.seconds = committedSeconds
        if let measurement {
            if energy == nil {
                energy = EnergyTally(first: measurement, sharedBy: basis)
            } else {
                energy?.add(measurement, sharedBy: basis)
            }
        }
    }

    func outcome(status: RunStatus) -> RunSessionOutcome {
        RunSessionOutcome(
            status: status, madeThisSession: progress.madeThisSession, parsed: parsed, ambiguous: ambiguous,
            unparsed: unparsed, seconds: committedSeconds, energy: energy)
    }
}
