extension Array where Element: Equatable {
    /// How many leading elements this array shares with `other`.
    public func commonPrefixLength(with other: [Element]) -> Int {
        zip(self, other).prefix { $0 == $1 }.count
    }
}
