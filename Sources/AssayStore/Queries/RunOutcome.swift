import Foundation

/// One run as the results table and the report see it: the model, what the run cost, and every
/// item's gold label beside the label the model gave (nil when no single label could be read).
public struct RunOutcome: Sendable, Equatable {
    public let runID: Int64
    public let modelName: String
    public let quantization: String?
    public let datasetName: String
    /// The dataset's labels in the user's order: the class order of every metric.
    public let labels: [String]
    public let taskName: String
    public let status: RunRecord.Status
    public let energyKwh: Double?
    public let energyMethod: String?
    public let co2Grams: Double?
    /// Grams CO2e per kWh.
    public let emissionFactor: Double?
    public let emissionFactorSource: String?
    public let emissionRegion: String?
    public let pue: Double?
    /// Gold labels of the predicted items, in item order.
    public let goldLabels: [String]
    /// The parsed label of each prediction, aligned with `goldLabels`.
    public let predictedLabels: [String?]
}
