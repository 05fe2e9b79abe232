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
    public var host: String?
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
        apiKeyEnv: String? = nil, architecture: String? = nil, quantization: String? = nil,
        parameterCount: Int64? = nil, fileSha256: String? = nil, fileSize: Int64? = nil, addedAt: Date = Date()
    ) {
        self.id = id
        self.name = name
        self.backend = backend
        self.reference = reference
        self.host = host
        self.apiKeyEnv = apiKeyEnv
        self.architecture = architecture
        self.quantization = quantization
        self.parameterCount = parameterCount
        self.fileSha256 = fileSha256
        self.fileSize = fileSize
        self.addedAt = addedAt
    }
}
