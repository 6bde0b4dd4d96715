import BackendCore

/// `from_db`: a live PostgreSQL schema -> an OpenAPI 3.1 document and a CRUD project on node-postgres.
struct DatabaseScaffolder {
    let request: ScaffoldRequest

    func run(connection: String) throws(BackendError) -> ScaffoldResult {
        throw BackendError.invalidInput("from_db is being built in this change")
    }
}
