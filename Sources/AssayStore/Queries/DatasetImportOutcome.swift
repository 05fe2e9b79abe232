import AssayCore

/// What importing a dataset did to the database.
public enum DatasetImportOutcome: Sendable, Equatable {
    /// A new dataset was stored.
    case created(id: DatasetID)
    /// The same content was already stored under this name: nothing changed.
    case unchanged(id: DatasetID)
    /// Different content replaced the dataset of this name (`--replace`).
    case replaced(id: DatasetID)
}
