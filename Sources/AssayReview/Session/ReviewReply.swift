/// What the session answers to one line: the text to show, and whether the session is over.
public struct ReviewReply: Sendable, Equatable {
    public let text: String
    public let ended: Bool

    public init(text: String, ended: Bool = false) {
        self.text = text
        self.ended = ended
    }
}
