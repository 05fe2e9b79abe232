/// The formats `assay export table` writes.
public enum TableFormat: String, Sendable, CaseIterable {
    case latex, markdown, csv, json
}
