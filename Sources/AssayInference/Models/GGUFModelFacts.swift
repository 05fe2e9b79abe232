import AssayCore
import AssayEngine
import AssaySupport
import Foundation
import GGUF

/// What `assay model add --gguf` records about a GGUF file: architecture, quantization, parameter
/// count, sha256 and size.
public struct GGUFModelFacts: Sendable, Equatable {
    public let architecture: String?
    /// llama.cpp's name for the file type ("Q4_1", "Q4_K_M"), else the most common type among the
    /// weight matrices.
    public let quantization: String?
    /// The sum of every tensor's element count.
    public let parameterCount: Int64
    public let sha256: String
    public let size: Int64

    /// llama.cpp's `enum llama_ftype` (LLAMA_FTYPE_MOSTLY_*), as written in `general.file_type`.
    static let fileTypeNames: [Int: String] = [
        0: "F32", 1: "F16", 2: "Q4_0", 3: "Q4_1", 7: "Q8_0", 8: "Q5_0", 9: "Q5_1", 10: "Q2_K", 11: "Q3_K_S",
        12: "Q3_K_M", 13: "Q3_K_L", 14: "Q4_K_S", 15: "Q4_K_M", 16: "Q5_K_S", 17: "Q5_K_M", 18: "Q6_K", 32: "BF16",
    ]

    /// Reads and validates the file at `url` (errors name the byte offset of what is wrong). A file
    /// whose architecture or hyperparameters the embedded engine cannot run is refused here, not at
    /// its first generation.
    public init(contentsOf url: URL) throws {
        let file: GGUFFile
        do {
            file = try GGUFFile(contentsOf: url)
        } catch let error as GGUFError {
            throw AssayError("\(error.description); pass a valid GGUF model file")
        }
        do {
            _ = try ModelConfiguration(metadata: file.metadata, source: url.path)
        } catch let error as AssayError {
            throw AssayError(error.description)
        }
        architecture = file.metadata["general.architecture"]?.string
        parameterCount = file.tensors.reduce(Int64(0)) { $0 + Int64($1.elementCount) }
        if let fileType = file.metadata["general.file_type"]?.int, let name = Self.fileTypeNames[fileType] {
            quantization = name
        } else {
            let matrices = file.tensors.filter { $0.dimensions.count >= 2 }
            let counts = Dictionary(grouping: matrices, by: \.type).mapValues(\.count)
            quantization = counts.max { $0.value < $1.value }?.key.name
        }
        (sha256, size) = try Self.digest(url)
    }

    private static func digest(_ url: URL) throws -> (String, Int64) {
        let result = try SHA256.hex(ofFileAt: url)
        return (result.digest, Int64(result.size))
    }
}
