/// What one server of a fleet model did in a run: its predictions, their summed latency and their
/// share of the run's energy.
public struct EndpointTally: Sendable, Equatable, Encodable {
    public var endpoint: String
    public var predictions: Int
    /// The summed latency of its predictions (requests overlap, so this exceeds wall time).
    public var requestSeconds: Double
    /// The summed energy shares of its predictions; nil when any of them has none (not measured).
    public var energyKwh: Double?
    /// Why the run dropped this server in its latest session, if it did.
    public var droppedBecause: String?

    public init(endpoint: String, predictions: Int, requestSeconds: Double, energyKwh: Double?, droppedBecause: String? = nil) {
        self.endpoint = endpoint
        self.predictions = predictions
        self.requestSeconds = requestSeconds
        self.energyKwh = energyKwh
        self.droppedBecause = droppedBecause
    }
}
