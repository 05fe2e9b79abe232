import AssayCore
import Foundation
import GRDB

/// A model Assay can run (or whose predictions were imported).
public struct ModelRecord: AssayRecord, Equatable {
    public static let databaseTableName = "model"

    public var id: ModelID?
    public var name: String
    public var backend: ModelBackend
    /// The GGUF path, the Ollama tag or the served model name.
    public var reference: String
    /// The server's URL; for a model that several servers serve, the first of `endpoints`.
    public var host: String?
    /// Every server of a fleet model, in the order given; nil for a model on one server (`host`).
    public var endpoints: [ServerEndpoint]?
    /// The name of the environment variable that holds the API key (never the key itself).
    public var apiKeyEnv: String?
    public var architecture: String?
    public var quantization: String?
    public var parameterCount: Int64?
    public var fileSha256: String?
    public var fileSize: Int64?
    public var addedAt: Date

    public init(
        id: ModelID? = nil, name: String, backend: ModelBackend, reference: String, host: String? = nil,
        endpoints: [ServerEndpoint]? = nil, apiKeyEnv: String? = nil, architecture: String? = nil, quantization: String? = nil,
        parameterCount: Int64? = nil, fileSha256: String? = nil, fileSize: Int64? = nil, addedAt: Date = Date()
    ) {
        self.id = id
        self.name = name
        self.backend = backend
        self.reference = reference
        self.host = host
        self.endpoints = endpoints
        self.apiKeyEnv = apiKeyEnv
        self.architecture = architecture
        self.quantization = quantization
        self.parameterCount = parameterCount
        self.fileSha256 = fileSha256
        self.fileSize = fileSize
        self.addedAt = addedAt
    }

    /// The servers that answer this model's requests: the fleet's endpoints, or its one host.
    public var servers: [ServerEndpoint] {
        endpoints ?? host.map { [ServerEndpoint(url: $0)] } ?? []
    }
}
