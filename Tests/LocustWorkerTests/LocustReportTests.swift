import BackendCore
import LoadTest
import Testing

@testable import LocustWorker

@Suite struct LocustReportTests {
    @Test("Response times fall in Locust's own buckets (bucket_response_time)", arguments: Fixtures.loaded.buckets)
    func buckets(pair: [Double]) {
        #expect(LocustReport.bucket(ms: pair[0]) == Int(pair[1]))
    }

    @Test(
        "The master's address: HOST[:PORT], port 5557 by default, resolved before joining",
        arguments: [
            ("127.0.0.1", "tcp://127.0.0.1:5557"), ("127.0.0.1:6000", "tcp://127.0.0.1:6000"),
            ("localhost:5557", "tcp://127.0.0.1:5557"), ("[::1]:7000", "tcp://[::1]:7000"),
            ("tcp://127.0.0.1:5558", "tcp://127.0.0.1:5558"),
        ])
    func endpoint(master: String, expected: String) throws {
        let endpoint = try LocustWorkerSession.endpoint(master)
        // localhost may resolve to ::1 first on some hosts.
        #expect(endpoint == expected || (master.hasPrefix("localhost") && endpoint == "tcp://[::1]:5557"))
    }

    @Test(
        "A wrong master address is a clear error naming it",
        arguments: [
            ("127.0.0.1:0", "port must be from 1 to 65535"), ("127.0.0.1:http", "port must be from 1 to 65535"),
            ("", "write HOST[:PORT]"), ("bad host", "write HOST[:PORT]"),
            ("no-such-host.invalid", "does not resolve"), ("[::1", "unclosed ["),
        ])
    func badEndpoint(master: String, reason: String) {
        #expect {
            try LocustWorkerSession.endpoint(master)
        } throws: { error in
            (error as? BackendError)?.message.contains(reason) == true
        }
    }

    @Test("Before any test the stats message has no entries and a zero total, as Locust's worker sends it")
    func emptyStats() {
        let data = LocustReport.emptyStats(userClassesCount: [("SeniorBackendUser", 0)])
        #expect(data["stats"] == .array([]))
        #expect(data["stats_total"]?["name"] == .string("Aggregated"))
        #expect(data["stats_total"]?["num_requests"]?.intValue == 0)
        #expect(data["stats_total"]?["min_response_time"] == .nil_)
        #expect(data["errors"] == .map([]))
        #expect(data["user_count"]?.intValue == 0)
    }
}
