/// What importing a dataset did to the database.
public enum DatasetImportOutcome: Sendable, Equatable {
    /// A new dataset was stored.
    case created(id: Int64)
    /// The same content was already stored under this name: nothing changed.
    case unchanged(id: Int64)
    /// Different content replaced the dataset of this name (`--replace`).
    case replaced(id: Int64)
}
