/// One request for a `BatchedSession`: a generation, or the scores of label continuations.
public enum BatchRequest: Sendable {
    /// Greedy or sampled generation after `promptIDs` (beam search is not batched; see `Session`).
    case generate(promptIDs: [Int], options: GenerationOptions)
    /// The log-probability of each candidate continuation after `promptIDs`, as
    /// `Session.scoreContinuations` gives it.
    case score(promptIDs: [Int], candidateIDs: [[Int]])

    var promptIDs: [Int] {
        switch self {
        case .generate(let ids, _), .score(let ids, _): ids
        }
    }
}
