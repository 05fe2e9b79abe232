/// How a run read a label from the model.
public enum RunMode: String, Codable, Sendable, CaseIterable {
    /// Free generation, read by the task's answer parser.
    case generate
    /// The most probable label continuation (optionally calibrated), then the reasoning generated after it.
    case score
    /// Predictions made elsewhere and imported; such a run cannot be resumed.
    case imported

    /// The modes Assay itself can run.
    public static let runnable: [RunMode] = [.generate, .score]
}
