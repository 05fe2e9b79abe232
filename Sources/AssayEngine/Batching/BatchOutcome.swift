import AssaySupport

/// What a `BatchRequest` came to.
public enum BatchOutcome: Sendable {
    case generated(GenerationResult)
    case scored(ContinuationScores)
    /// The request could not be evaluated (too long for the context, say); the others go on.
    case failed(AssayError)
}
