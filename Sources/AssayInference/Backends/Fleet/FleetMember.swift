/// One server of a fleet: its URL, the backend that talks to it, and its requests at once.
public struct FleetMember: Sendable {
    public let url: String
    public let backend: any InferenceBackend
    public let concurrency: Int

    public init(url: String, backend: any InferenceBackend, concurrency: Int) {
        self.url = url
        self.backend = backend
        self.concurrency = max(1, concurrency)
    }
}
