import AssayCore
import Foundation
import GRDB

/// One model run over a dataset's items with one task, and what it cost.
public struct RunRecord: AssayRecord, Equatable {
    public static let databaseTableName = "run"

    public var id: RunID?
    public var modelId: ModelID
    public var datasetId: DatasetID
    public var taskName: String
    /// The whole task file as used.
    public var taskDefinition: String
    public var promptTemplate: String
    public var promptHash: String
    public var mode: RunMode
    /// The hyperparameters sent to the backend (a JSON object in the column).
    public var hyperparameters: Hyperparameters
    /// Which items, in which order (a JSON object in the column).
    public var selection: RunSelection
    public var status: RunStatus
    public var startedAt: Date
    public var finishedAt: Date?
    /// The machine: CPU model, cores, operating system.
    public var host: String
    public var threads: Int?
    /// Measured seconds, the warm-up request excluded.
    public var durationSeconds: Double?
    public var energyKwh: Double?
    public var energyMethod: EnergyMethod?
    /// Every constant behind the energy figure, the provenance sentence included (a JSON object in the column).
    public var energyConstants: [String: EnergyConstant]?
    /// Grams CO2e per kWh.
    public var emissionFactor: Double?
    public var emissionFactorSource: String?
    public var emissionRegion: String?
    public var pue: Double?
    public var co2Grams: Double?
    /// Nil for runs made before it was recorded.
    public var energyScope: EnergyScope?
    /// Requests evaluated together in the latest session: the embedded engine's batch, or a
    /// server's concurrency (nil for runs made before it was recorded).
    public var batchSize: Int?

    public init(
        id: RunID? = nil, modelId: ModelID, datasetId: DatasetID, taskName: String, taskDefinition: String,
        promptTemplate: String, promptHash: String, mode: RunMode, hyperparameters: Hyperparameters,
        selection: RunSelection, status: RunStatus = .running, startedAt: Date = Date(), finishedAt: Date? = nil, host: String,
        threads: Int? = nil, durationSeconds: Double? = nil, energyKwh: Double? = nil,
        energyMethod: EnergyMethod? = nil, energyConstants: [String: EnergyConstant]? = nil, emissionFactor: Double? = nil,
        emissionFactorSource: String? = nil, emissionRegion: String? = nil, pue: Double? = nil,
        co2Grams: Double? = nil, energyScope: EnergyScope? = nil, batchSize: Int? = nil
    ) {
        self.id = id
        self.modelId = modelId
        self.datasetId = datasetId
        self.taskName = taskName
        self.taskDefinition = taskDefinition
        self.promptTemplate = promptTemplate
        self.promptHash = promptHash
        self.mode = mode
        self.hyperparameters = hyperparameters
        self.selection = selection
        self.status = status
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.host = host
        self.threads = threads
        self.durationSeconds = durationSeconds
        self.energyKwh = energyKwh
        self.energyMethod = energyMethod
        self.energyConstants = energyConstants
        self.emissionFactor = emissionFactor
        self.emissionFactorSource = emissionFactorSource
        self.emissionRegion = emissionRegion
        self.pue = pue
        self.co2Grams = co2Grams
        self.energyScope = energyScope
        self.batchSize = batchSize
    }
}
