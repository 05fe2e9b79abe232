/// The formats `assay export scores` writes.
public enum ScoresFormat: String, Sendable, CaseIterable {
    case csv, jsonl
}
