import AssayAnalysis
import AssayCore
import AssayStore

/// The second paper's table (Garg et al., FLLM 2025): for each task, every model's headline
/// quality and CO2 per query, and each as a ratio to the task's large model, so that "a small
/// model keeps 95 % of the quality for 8 % of the carbon" reads off one line.
public struct TaskModelTable: Sendable, Codable, Equatable {
    public struct Row: Sendable, Codable, Equatable {
        public let runID: RunID
        public let model: String
        public let quantization: String?
        public let parameterCount: Int64?
        public let items: Int
        /// The headline figure's key and name ("pass@1", "exact match").
        public let metric: String
        public let metricName: String
        public let quality: Double
        public let qualityInterval: ConfidenceInterval?
        public let co2GramsPerQuery: Double?
        /// How the CO2 was obtained, or why there is none.
        public let energy: String?
        /// quality / the large model's quality; nil for the large model itself or a zero reference.
        public let qualityRatio: Double?
        /// CO2 per query / the large model's; nil where either lacks a figure.
        public let co2Ratio: Double?
    }

    public struct Task: Sendable, Codable, Equatable {
        public let task: String
        public let kind: TaskKind
        public let dataset: String
        /// The run every ratio of this task divides by.
        public let referenceRunID: RunID
        /// Why that run: "most parameters" or "highest CO2 per query".
        public let referenceBasis: String
        public let rows: [Row]
    }

    public let tasks: [Task]

    public init(_ evaluations: [EvaluatedRun]) {
        var order: [String] = []
        var byTask: [String: [EvaluatedRun]] = [:]
        for evaluation in evaluations where evaluation.kind != .classification && !evaluation.quality.isEmpty {
            let key = evaluation.outcome.predictions.run.taskName + "\u{1F}" + evaluation.outcome.predictions.datasetName
            if byTask[key] == nil { order.append(key) }
            byTask[key, default: []].append(evaluation)
        }
        tasks = order.compactMap { key in byTask[key].flatMap(Self.task) }
    }

    private static func task(_ runs: [EvaluatedRun]) -> Task? {
        guard let first = runs.first, let headline = first.quality.first else { return nil }
        let counted = runs.filter { $0.outcome.parameterCount != nil }
        let (reference, basis): (EvaluatedRun, String) =
            if counted.count == runs.count, let largest = runs.max(by: { $0.outcome.parameterCount! < $1.outcome.parameterCount! }) {
                (largest, "most parameters")
            } else if let costliest = runs.filter({ $0.cost.gramsPerItem != nil }).max(by: { $0.cost.gramsPerItem! < $1.cost.gramsPerItem! }
            ) {
                (costliest, "highest CO2 per query (not every model has a parameter count)")
            } else {
                (first, "first run (no model has a parameter count or a CO2 figure)")
            }
        let referenceQuality = reference.quality.first { $0.metric == headline.metric }?.value
        let referenceCO2 = reference.cost.gramsPerItem
        let rows = runs.map { run -> Row in
            let figure = run.quality.first { $0.metric == headline.metric } ?? run.quality[0]
            let isReference = run.outcome.runID == reference.outcome.runID
            let co2 = run.cost.gramsPerItem
            return Row(
                runID: run.outcome.runID, model: run.outcome.predictions.modelName, quantization: run.outcome.quantization,
                parameterCount: run.outcome.parameterCount, items: run.outcome.predictions.answers.count, metric: figure.metric.key,
                metricName: figure.metric.displayName, quality: figure.value, qualityInterval: figure.interval,
                co2GramsPerQuery: co2, energy: run.cost.energyLabel ?? run.cost.notMeasuredReason,
                qualityRatio: isReference ? nil : referenceQuality.flatMap { $0 > 0 ? figure.value / $0 : nil },
                co2Ratio: isReference ? nil : co2.flatMap { value in referenceCO2.flatMap { $0 > 0 ? value / $0 : nil } })
        }
        return Task(
            task: first.outcome.predictions.run.taskName, kind: first.kind, dataset: first.outcome.predictions.datasetName,
            referenceRunID: reference.outcome.runID, referenceBasis: basis, rows: rows)
    }

    /// What the numbers are and what each ratio divides by.
    public var caption: String {
        let references = tasks.map { "\($0.task): run \($0.referenceRunID) (\($0.referenceBasis))" }
        return
            "Headline quality per task (95% percentile bootstrap interval over items) and CO2 per query; each ratio is a run's figure divided by its task's large model: "
            + references.joined(separator: "; ") + "."
    }
}
