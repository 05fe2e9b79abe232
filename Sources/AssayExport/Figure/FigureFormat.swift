/// The formats `assay export figure` writes.
public enum FigureFormat: String, Sendable, CaseIterable {
    case latex, markdown, html, json
}
