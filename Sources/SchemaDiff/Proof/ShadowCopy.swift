import BackendCore
import PostgresClient

extension MigrationPlanner {
    /// Runs `body` on a throw-away copy of the live schema (no rows), built as the proof builds its
    /// copy, and drops the copy afterwards.
    /// - Returns: what `body` returned, and where the copy read back different from the live schema
    ///   (empty: an exact copy).
    public func withShadowCopy<T>(
        of liveURL: String, _ body: (PostgresConnection) throws(BackendError) -> T
    ) throws(BackendError) -> (result: T, differences: [String]) {
        let live = try PostgresConnection.connect(liveURL)
        let start = try SchemaModel.load(from: live)
        let copy = try ShadowDatabase(server: live, url: liveURL, label: "copy")
        defer { copy.drop(using: live) }
        let connection = try copy.connect()
        let empty = try SchemaModel.load(from: connection)
        let bootstrap = SchemaDiffer(allowDestructive: true, concurrentIndexes: false).diff(from: empty, to: start)
        try apply(bootstrap.statements, to: connection, what: "rebuilding the live schema")
        let differences = try SchemaModel.load(from: connection).differences(to: start)
        return (try body(connection), differences)
    }
}
