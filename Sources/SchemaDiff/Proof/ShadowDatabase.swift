import BackendCore
import Foundation
import PostgresClient

/// A throw-away database on the live server.
struct ShadowDatabase {
    let name: String
    let url: String

    init(server: PostgresConnection, url liveURL: String, label: String) throws(BackendError) {
        name = "senior_backend_shadow_\(label)_\(UUID().uuidString.prefix(8).lowercased())"
        do {
            try server.query("CREATE DATABASE \(name) TEMPLATE template0")
        } catch {
            throw BackendError(
                error.code,
                "cannot create the shadow database (the role needs CREATEDB, or give a shadow server): \(error.message)"
            )
        }
        url = ConnectionString.replacingDatabase(in: liveURL, with: name)
    }

    func connect() throws(BackendError) -> PostgresConnection {
        try PostgresConnection.connect(url, applicationName: "senior-backend-shadow")
    }

    func drop(using server: PostgresConnection) {
        _ = try? server.query("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }
}
