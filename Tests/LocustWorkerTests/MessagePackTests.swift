import BackendCore
import Foundation
import Testing

@testable import LocustWorker

/// Fixtures beside this file: encodings made by Python's msgpack and Locust (`Fixtures/make_fixtures.py`).
struct Fixtures: Decodable {
    var values: [String: String]
    var messages: [String: String]
    var buckets: [[Double]]

    static let loaded: Fixtures = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/msgpack_cases.json")
        return try! JSONDecoder().decode(Fixtures.self, from: Data(contentsOf: url))
    }()
}

func bytes(hex: String) -> [UInt8] {
    var out: [UInt8] = []
    var index = hex.startIndex
    while index < hex.endIndex {
        let next = hex.index(index, offsetBy: 2)
        out.append(UInt8(hex[index..<next], radix: 16)!)
        index = next
    }
    return out
}

@Suite struct MessagePackTests {
    @Test(
        "Python's msgpack encodings decode and encode back to the same bytes",
        arguments: Fixtures.loaded.values.keys.sorted())
    func roundTrip(name: String) throws {
        let encoded = bytes(hex: Fixtures.loaded.values[name]!)
        let value = try MessagePack.decode(encoded)
        #expect(value.encoded() == encoded)
    }

    @Test(
        "Decoded values are the values Python encoded",
        arguments: [
            ("nil", MessagePack.nil_), ("true", .bool(true)), ("uint64", .uint(UInt64.max)), ("int64", .int(Int64.min)),
            ("negative fixint", .int(-32)), ("double", .double(1.5)), ("utf8", .string("déjà vu ✓")),
            ("bin8", .binary([0, 1, 255])),
            ("int keys", .map([(.uint(1), .uint(2)), (.uint(150), .uint(3)), (.uint(1100), .uint(4))])),
            ("map", .object([("state", .string("ready")), ("current_cpu_usage", .double(12.5))])),
        ])
    func values(name: String, expected: MessagePack) throws {
        #expect(try MessagePack.decode(bytes(hex: Fixtures.loaded.values[name]!)) == expected)
    }

    @Test(
        "Locust's messages decode as [type, data, node_id] and encode back byte for byte",
        arguments: Fixtures.loaded.messages.keys.sorted())
    func locustMessages(name: String) throws {
        let encoded = bytes(hex: Fixtures.loaded.messages[name]!)
        let message = try LocustMessage.decode(encoded)
        #expect(message.type == name)
        #expect(message.nodeID == "host_abc")
        #expect(message.encoded() == encoded)
    }

    @Test("A spawn message carries the user counts and the master's host")
    func spawn() throws {
        let message = try LocustMessage.decode(bytes(hex: Fixtures.loaded.messages["spawn"]!))
        #expect(message.data["host"]?.stringValue == "http://127.0.0.1:8080")
        #expect(message.data["user_classes_count"]?["SeniorBackendUser"]?.intValue == 10)
        #expect(message.data["timestamp"]?.doubleValue == 1_765_000_000.25)
    }

    @Test(
        "Malformed frames are clear errors, never a crash or a huge allocation",
        arguments: [
            ([], "ends in the middle"),
            ([0x92, 0xA1, 0x61], "ends in the middle"),
            ([0x93, 0xA1, 0x61], "longer than the message"),
            ([0xC1], "not a MessagePack type code"),
            ([0xDD, 0xFF, 0xFF, 0xFF, 0xFF], "longer than the message"),
            ([0xDF, 0x7F, 0xFF, 0xFF, 0xFF, 0x00], "longer than the message"),
            ([0xDB, 0xFF, 0xFF, 0xFF, 0xF0, 0x61], "runs past the end"),
            ([0xA2, 0xFF, 0xFE], "not valid UTF-8"),
            ([0xC0, 0xC0], "bytes after the end"),
            ([UInt8](repeating: 0x91, count: 100) + [0xC0], "nested deeper"),
        ] as [([UInt8], String)])
    func malformed(frame: [UInt8], reason: String) {
        #expect {
            try MessagePack.decode(frame)
        } throws: { error in
            (error as? MessagePackError)?.description.contains(reason) == true
        }
    }

    @Test(
        "Frames that are not Locust messages are refused with a message that names the master",
        arguments: [
            ([0xC1], "not valid MessagePack"),
            (MessagePack.string("hello").encoded(), "not [type, data, node_id]"),
            (MessagePack.array([.uint(1), .nil_, .string("x")]).encoded(), "not [type, data, node_id]"),
        ] as [([UInt8], String)])
    func notLocust(frame: [UInt8], reason: String) {
        #expect {
            try LocustMessage.decode(frame)
        } throws: { error in
            guard let error = error as? BackendError else { return false }
            return error.message.contains(reason) && error.message.contains("Locust master")
        }
    }

    @Test("A frame over 4 MiB is refused before it is decoded")
    func oversized() {
        #expect {
            try LocustMessage.decode([UInt8](repeating: 0x90, count: LocustMessage.maxBytes + 1))
        } throws: { error in
            (error as? BackendError)?.message.contains("over the limit of 4 MiB") == true
        }
    }
}
