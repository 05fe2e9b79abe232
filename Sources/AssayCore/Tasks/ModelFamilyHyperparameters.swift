/// Hyperparameters for the models whose name or reference contains one of `match`
/// (case-insensitive), such as the case study's Table II rows.
public struct ModelFamilyHyperparameters: Codable, Sendable, Equatable {
    public var family: String
    public var match: [String]
    public var hyperparameters: Hyperparameters

    public init(family: String, match: [String], hyperparameters: Hyperparameters) {
        self.family = family
        self.match = match
        self.hyperparameters = hyperparameters
    }

    public func matches(_ names: [String]) -> Bool {
        let lowered = names.map { $0.lowercased() }
        return match.contains { pattern in lowered.contains { $0.contains(pattern.lowercased()) } }
    }
}
