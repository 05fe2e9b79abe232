import AssayCore

/// One item's answer before it is stored: what the model said, how it was read, and what it cost.
public struct ItemPrediction: Sendable {
    public var itemID: Int64
    public var answer: ParsedAnswer
    public var rawOutput: String
    public var completion: Completion
    public var latencySeconds: Double
}
