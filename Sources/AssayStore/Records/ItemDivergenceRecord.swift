import AssayCore
import GRDB

/// One item's figures in an `assay divergence --dataset` measurement (`DivergenceRecord`), beside
/// how its answer moved between the measurement's two runs.
public struct ItemDivergenceRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "item_divergence"
    public static var databaseColumnDecodingStrategy: DatabaseColumnDecodingStrategy { .convertFromSnakeCase }
    public static var databaseColumnEncodingStrategy: DatabaseColumnEncodingStrategy { .convertToSnakeCase }

    /// Nil until the measurement is stored; `saveDivergence` fills it in.
    public var divergenceId: DivergenceID?
    public var itemId: ItemID
    /// Positions scored over the prompt and the base run's answer, and over the answer alone.
    public var tokensScored: Int
    public var answerTokensScored: Int
    /// Nats, mean over the positions.
    public var meanKld: Double
    public var maxKld: Double
    public var answerMeanKld: Double?
    /// The share of positions whose most probable token is the same for both models.
    public var sameTopToken: Double
    /// Nil where the runs' task has no pass/fail figure (generation).
    public var flip: FlipCategory?

    public init(
        divergenceId: DivergenceID? = nil, itemId: ItemID, tokensScored: Int, answerTokensScored: Int, meanKld: Double, maxKld: Double,
        answerMeanKld: Double?, sameTopToken: Double, flip: FlipCategory?
    ) {
        self.divergenceId = divergenceId
        self.itemId = itemId
        self.tokensScored = tokensScored
        self.answerTokensScored = answerTokensScored
        self.meanKld = meanKld
        self.maxKld = maxKld
        self.answerMeanKld = answerMeanKld
        self.sameTopToken = sameTopToken
        self.flip = flip
    }
}
