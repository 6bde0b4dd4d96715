import BackendCore
import NIOCore
import Testing

@testable import LoadTest

/// How the engine finds where to connect: every address of a name, and the first one that accepts.
@Suite struct TCPConnectorTests {
    @Test(arguments: [("127.0.0.1", "127.0.0.1"), ("::1", "::1"), ("localhost", "127.0.0.1")])
    func literalsAndLocalhostResolve(_ host: String, _ expected: String) throws {
        let addresses = try TCPConnector.addresses(host: host, port: 8080)
        #expect(addresses.contains { $0.ipAddress == expected && $0.port == 8080 })
        #expect(Set(addresses.map { "\($0)" }).count == addresses.count, "no repeats: \(addresses)")
    }

    @Test func anUnknownNameIsUnreachable() {
        #expect(throws: BackendError.self) { try TCPConnector.addresses(host: "no-such-host.invalid", port: 80) }
    }

    /// A name with an IPv6 and an IPv4 address whose server listens on one of them only: the one that
    /// accepts is used, whatever the order (wrk probes the same way).
    @Test func theFirstAddressThatAcceptsIsChosen() async throws {
        let server = try await TestServer.start { _, _ in .init() }
        let live = try SocketAddress(ipAddress: "127.0.0.1", port: server.port)
        let deadV6 = try SocketAddress(ipAddress: "::1", port: 1)
        let deadV4 = try SocketAddress(ipAddress: "127.0.0.1", port: 1)
        let chosen = [[deadV6, live], [live, deadV6], [deadV6, deadV4]].map {
            TCPConnector.firstAccepting($0, timeout: 1)
        }
        await server.stop()
        #expect(chosen == [live, live, nil])
    }
}
