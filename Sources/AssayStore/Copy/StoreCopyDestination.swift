/// The store a copy writes: nothing of the copy is visible there until `commit()` returns, and
/// `discard()` leaves the destination as it was.
protocol StoreCopyDestination: Sendable {
    /// The table's columns in their order in the destination's schema.
    func columns(of table: String) throws -> [String]
    func insert(_ rows: [[StoreCell]], into table: CopiedTable, columns: [String]) throws
    /// Makes the whole copy durable and visible at once.
    func commit() throws
    func discard()
}
