import AssayCore
import Foundation

/// One item's answer before it is stored: what the model said, how it was read, and what it cost.
public struct ItemPrediction: Sendable {
    public var itemID: ItemID
    public var answer: ParsedAnswer
    public var rawOutput: String
    public var completion: Completion
    public var latencySeconds: Double
    /// How a multiple-choice, exact-match, code or generation answer scored.
    public var outcome: ItemOutcome? = nil
}

extension ItemPrediction {
    /// The tokens the embedded engine evaluated for this item (prompt tokens not reused, decoded
    /// ones, and in score mode the label continuations), which apportion a batch's energy; nil
    /// from a server.
    public var engineTokens: Int? {
        guard let text = completion.backendTimings, let object = JSONObject.parse(Data(text.utf8)),
            let evaluated = JSONObject.double(object["evaluated_tokens"])
        else { return nil }
        return Int(evaluated)
    }

    /// The server's own time for this request, in seconds, when it reported one: Ollama's
    /// `total_duration` (nanoseconds) or llama.cpp's `timings` (prompt_ms + predicted_ms).
    public var serverSeconds: Double? {
        guard let text = completion.backendTimings, let object = JSONObject.parse(Data(text.utf8)) else { return nil }
        if let nanoseconds = JSONObject.double(object["total_duration"]) { return nanoseconds / 1e9 }
        if let timings = object["timings"] as? [String: Any],
            let prompt = JSONObject.double(timings["prompt_ms"]), let predicted = JSONObject.double(timings["predicted_ms"])
        {
            return (prompt + predicted) / 1000
        }
        return nil
    }
}
