import AssayCore

/// A run with its model, dataset and every prediction, as the metrics need them.
public struct RunPredictions: Sendable {
    /// One item's gold label and the run's answer.
    public struct Answer: Sendable, Equatable {
        public let itemID: Int64
        public let goldLabel: String
        /// Nil unless the answer parsed to exactly one label.
        public let label: String?
        public let latencySeconds: Double?
    }

    public let run: RunRecord
    public let modelName: String
    public let datasetName: String
    /// The dataset's labels in the user's order, then any other label the run answered, sorted.
    public let labels: [String]
    /// In dataset order.
    public let answers: [Answer]

    public var runID: Int64 { run.id ?? 0 }

    /// The answers coded for the metrics; an ambiguous or unparsed answer is unparsed.
    public func labeledPredictions() throws -> LabeledPredictions {
        try LabeledPredictions(truth: answers.map(\.goldLabel), predicted: answers.map(\.label), labels: labels)
    }

    /// The constants behind the energy figure, decoded from the run's JSON column.
    public func energyConstants() throws -> [String: EnergyConstant] {
        guard let text = run.energyConstants, !text.isEmpty else { return [:] }
        do {
            return try EnergyConstant.decodeObject(text)
        } catch {
            throw AssayError("run \(runID): energy_constants is not a JSON object of numbers and strings (\(text.prefix(60))); re-run or re-import the run")
        }
    }
}
