/// How `--mode score` picks a label: the log-probability of each label's continuation after the
/// prompt and `assistantPrefix`, optionally calibrated by the same scores for content-free inputs
/// (Zhao et al. 2021, "Calibrate before use").
public struct LabelScoring: Codable, Sendable, Equatable {
    /// Text the assistant's answer starts with, before the label (for example "Sentiment:").
    public var assistantPrefix: String
    /// Label -> the text scored for it (for example " Positive").
    public var continuations: [String: String]
    /// Inputs with no content; their label probabilities are divided out when `calibrate` is on.
    public var contentFreeInputs: [String]
    public var calibrate: Bool

    enum CodingKeys: String, CodingKey {
        case assistantPrefix = "assistant_prefix"
        case continuations
        case contentFreeInputs = "content_free_inputs"
        case calibrate
    }

    public init(assistantPrefix: String, continuations: [String: String], contentFreeInputs: [String], calibrate: Bool) {
        self.assistantPrefix = assistantPrefix
        self.continuations = continuations
        self.contentFreeInputs = contentFreeInputs
        self.calibrate = calibrate
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        assistantPrefix = try container.decodeIfPresent(String.self, forKey: .assistantPrefix) ?? ""
        continuations = try container.decodeIfPresent([String: String].self, forKey: .continuations) ?? [:]
        contentFreeInputs = try container.decodeIfPresent([String].self, forKey: .contentFreeInputs) ?? ["N/A", "", "[MASK]"]
        calibrate = try container.decodeIfPresent(Bool.self, forKey: .calibrate) ?? true
    }

    /// The continuation scored for `label`: the configured one, else a space and the label.
    public func continuation(for label: String) -> String {
        continuations[label] ?? " \(label)"
    }
}
