/// Where a run stands.
public enum RunStatus: String, Codable, Sendable, CaseIterable {
    case running, completed, interrupted, failed
}
