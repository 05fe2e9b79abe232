/// One server of a model that several serve: its URL and how many requests it takes at once.
public struct ServerEndpoint: Codable, Sendable, Equatable, Hashable {
    public var url: String
    /// Requests in flight on this server at once; nil: the run's --concurrency.
    public var concurrency: Int?

    public init(url: String, concurrency: Int? = nil) {
        self.url = url
        self.concurrency = concurrency
    }
}
