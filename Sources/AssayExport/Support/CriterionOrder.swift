/// Puts criterion names in the order their rubrics list them (the order annotators typed them,
/// e.g. consistency, clarity, alignment), then any others by name.
enum CriterionOrder {
    static func arrange(_ names: some Sequence<String>, rubricOrders: [[String]]) -> [String] {
        let present = Set(names)
        let listed = rubricOrders.joined().filter(present.contains).uniqued()
        return listed + present.subtracting(listed).sorted()
    }
}
