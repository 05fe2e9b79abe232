import AssayCore
import Foundation
import GRDB

/// One `assay divergence` measurement: which two model files, which text, the settings, and the
/// figures, so that a pair of runs of those models can show what quantization changed. A
/// measurement over a pair of runs' items (`--dataset`) names the runs and holds one
/// `ItemDivergenceRecord` per item.
public struct DivergenceRecord: AssayRecord, Equatable {
    public static let databaseTableName = "divergence"

    public var id: DivergenceID?
    /// The base's and the model's names as given (a registered name or a file path).
    public var baseModel: String
    public var model: String
    public var baseSha256: String
    public var modelSha256: String
    /// The text file's path, or the dataset's name.
    public var textSource: String
    /// The text's sha256; for a dataset, of the texts evaluated (every item's prompt and answer in order).
    public var textSha256: String
    /// JSON: context length and chunks.
    public var settings: String
    /// JSON: the figures (`DivergenceReport`).
    public var report: String
    public var host: String
    public var threads: Int
    public var seconds: Double
    public var createdAt: Date
    /// The dataset and the two runs whose items were evaluated; nil for a text.
    public var datasetId: DatasetID?
    public var baseRunId: RunID?
    public var modelRunId: RunID?

    public init(
        id: DivergenceID? = nil, baseModel: String, model: String, baseSha256: String, modelSha256: String, textSource: String,
        textSha256: String, settings: String, report: String, host: String, threads: Int, seconds: Double, createdAt: Date = Date(),
        datasetId: DatasetID? = nil, baseRunId: RunID? = nil, modelRunId: RunID? = nil
    ) {
        self.id = id
        self.baseModel = baseModel
        self.model = model
        self.baseSha256 = baseSha256
        self.modelSha256 = modelSha256
        self.textSource = textSource
        self.textSha256 = textSha256
        self.settings = settings
        self.report = report
        self.host = host
        self.threads = threads
        self.seconds = seconds
        self.createdAt = createdAt
        self.datasetId = datasetId
        self.baseRunId = baseRunId
        self.modelRunId = modelRunId
    }
}
