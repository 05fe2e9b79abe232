import Foundation
import GRDB

/// One model run over a dataset's items with one task, and what it cost.
public struct RunRecord: AssayRecord, Equatable {
    public static let databaseTableName = "run"

    public enum Status: String, Codable, Sendable {
        case running, completed, interrupted, failed
    }

    public var id: Int64?
    public var modelId: Int64
    public var datasetId: Int64
    public var taskName: String
    /// The whole task file as used.
    public var taskDefinition: String
    public var promptTemplate: String
    public var promptHash: String
    /// generate | score | imported
    public var mode: String
    /// JSON object of the hyperparameters sent to the backend.
    public var hyperparameters: String
    /// JSON describing which items, in which order (limit, sample, seed).
    public var selection: String
    public var status: Status
    public var startedAt: Date
    public var finishedAt: Date?
    /// The machine: CPU model, cores, operating system.
    public var host: String
    public var threads: Int?
    /// Measured seconds, the warm-up request excluded.
    public var durationSeconds: Double?
    public var energyKwh: Double?
    /// rapl | nvml | estimate | imported
    public var energyMethod: String?
    /// JSON object: every constant behind the energy figure.
    public var energyConstants: String?
    /// Grams CO2e per kWh.
    public var emissionFactor: Double?
    public var emissionFactorSource: String?
    public var emissionRegion: String?
    public var pue: Double?
    public var co2Grams: Double?
    /// in-process | local-server | remote-server (`EnergyScope`); nil for runs made before it was recorded.
    public var energyScope: String?

    public init(id: Int64? = nil, modelId: Int64, datasetId: Int64, taskName: String, taskDefinition: String,
                promptTemplate: String, promptHash: String, mode: String, hyperparameters: String, selection: String,
                status: Status = .running, startedAt: Date = Date(), finishedAt: Date? = nil, host: String,
                threads: Int? = nil, durationSeconds: Double? = nil, energyKwh: Double? = nil,
                energyMethod: String? = nil, energyConstants: String? = nil, emissionFactor: Double? = nil,
                emissionFactorSource: String? = nil, emissionRegion: String? = nil, pue: Double? = nil,
                co2Grams: Double? = nil, energyScope: String? = nil) {
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
    }
}
