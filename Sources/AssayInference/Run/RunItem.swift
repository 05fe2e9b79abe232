import AssayCore

/// One item a run predicts: its id and its text.
public struct RunItem: Sendable, Equatable {
    public let id: ItemID
    public let text: String

    public init(id: ItemID, text: String) {
        self.id = id
        self.text = text
    }
}
