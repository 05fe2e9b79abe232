import AssayCore
import Foundation
import GRDB

/// What a model answered for one item in one run, and what that answer cost.
public struct PredictionRecord: AssayRecord, Equatable {
    public static let databaseTableName = "prediction"

    public var id: PredictionID?
    public var runId: RunID
    public var itemId: ItemID
    /// Nil unless `parseStatus` is `.parsed`.
    public var label: String?
    public var reasoning: String?
    public var rawOutput: String
    public var parseStatus: ParseStatus
    public var promptTokens: Int?
    public var completionTokens: Int?
    public var latencySeconds: Double?
    /// JSON: the backend's own timings as reported (Ollama's durations, llama.cpp's `timings`).
    public var backendTimings: String?
    /// This prediction's share of the run's energy.
    public var energyKwh: Double?
    public var createdAt: Date
    /// JSON `ItemOutcome`: how a multiple-choice, exact-match, code or generation answer scored.
    public var outcome: String?
    /// The server URL that answered, for a model that several servers serve.
    public var endpoint: String?

    public init(
        id: PredictionID? = nil, runId: RunID, itemId: ItemID, label: String?, reasoning: String?, rawOutput: String,
        parseStatus: ParseStatus, promptTokens: Int? = nil, completionTokens: Int? = nil,
        latencySeconds: Double? = nil, backendTimings: String? = nil, energyKwh: Double? = nil,
        createdAt: Date = Date(), outcome: String? = nil, endpoint: String? = nil
    ) {
        self.id = id
        self.runId = runId
        self.itemId = itemId
        self.label = label
        self.reasoning = reasoning
        self.rawOutput = rawOutput
        self.parseStatus = parseStatus
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.latencySeconds = latencySeconds
        self.backendTimings = backendTimings
        self.energyKwh = energyKwh
        self.createdAt = createdAt
        self.outcome = outcome
        self.endpoint = endpoint
    }
}
