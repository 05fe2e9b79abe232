/// A run's figure for one quality metric: the mean of its per-item values, with a seeded
/// percentile-bootstrap interval over items.
public struct QualityFigure: Sendable, Equatable {
    public let metric: QualityMetric
    public let value: Double
    public let interval: ConfidenceInterval?

    /// The figure over `values`, one per item; no interval when there is no item.
    public init(metric: QualityMetric, values: [Double], bootstrap: BootstrapSettings) {
        self.metric = metric
        value = values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
        interval = values.isEmpty ? nil : Bootstrap.mean(values, settings: bootstrap)
    }
}
