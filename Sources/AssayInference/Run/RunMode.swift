/// How a run reads a label from the model.
public enum RunMode: String, Sendable, CaseIterable {
    /// Free generation, read by the task's answer parser.
    case generate
    /// The most probable label continuation (optionally calibrated), then the reasoning generated after it.
    case score
}
