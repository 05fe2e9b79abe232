import AssayCore

/// One prediction as `assay predictions export` writes it.
public struct PredictionExportRow: Sendable, Equatable, Codable {
    public let runId: RunID
    public let model: String
    public let dataset: String
    public let mode: RunMode
    public let itemId: ItemID
    /// The item's 1-based row in the dataset file.
    public let row: Int
    public let text: String
    public let goldLabel: String
    public let label: String?
    public let parseStatus: ParseStatus
    public let reasoning: String?
    public let rawOutput: String
    public let promptTokens: Int?
    public let completionTokens: Int?
    public let latencySeconds: Double?
    public let energyKwh: Double?
    public let backendTimings: String?
    /// JSON: how a multiple-choice, exact-match, code or generation answer scored; nil for classification.
    public let outcome: String?
    /// The server that answered, for a model that several servers serve.
    public let endpoint: String?

    /// Column names in file order (CSV header, JSONL keys).
    public static let columns = [
        "run_id", "model", "dataset", "mode", "item_id", "row", "text", "gold_label", "label",
        "parse_status", "reasoning", "raw_output", "prompt_tokens", "completion_tokens",
        "latency_seconds", "energy_kwh", "backend_timings", "outcome", "endpoint",
    ]
}
