/// The file formats a dataset (or a predictions file) can be read from.
public enum DatasetFormat: String, Codable, Sendable, CaseIterable {
    case csv
    case jsonl

    /// The format implied by a file name's extension; CSV unless it ends in .jsonl, .ndjson or .json.
    public init(path: String) {
        let lower = path.lowercased()
        self = lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") || lower.hasSuffix(".json") ? .jsonl : .csv
    }
}
