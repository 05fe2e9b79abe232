/// Whether a label could be read from a model's answer.
public enum ParseStatus: String, Sendable, Codable, CaseIterable {
    /// Exactly one label was read.
    case parsed
    /// Several different labels were found and no rule decides between them; none is chosen.
    case ambiguous
    /// No label was found.
    case unparsed
}
