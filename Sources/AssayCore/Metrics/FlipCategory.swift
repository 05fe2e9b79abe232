/// How one item's answer moved between two runs: the four cells of McNemar's table, named for the
/// flips they hold.
public enum FlipCategory: String, Codable, Sendable, CaseIterable {
    case rightToWrong = "right_to_wrong"
    case wrongToRight = "wrong_to_right"
    case bothRight = "both_right"
    case bothWrong = "both_wrong"

    public init(before: Bool, after: Bool) {
        switch (before, after) {
        case (true, false): self = .rightToWrong
        case (false, true): self = .wrongToRight
        case (true, true): self = .bothRight
        case (false, false): self = .bothWrong
        }
    }

    /// Whether the answer changed between right and wrong.
    public var isFlip: Bool { self == .rightToWrong || self == .wrongToRight }

    /// "right -> wrong", as `compare` prints the flips.
    public var title: String {
        switch self {
        case .rightToWrong: "right -> wrong"
        case .wrongToRight: "wrong -> right"
        case .bothRight: "both right"
        case .bothWrong: "both wrong"
        }
    }
}
