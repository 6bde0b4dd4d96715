import BackendCore

/// One message of Locust's master/worker protocol: a MessagePack array `[type, data, node_id]` in one ZeroMQ
/// frame (`locust/rpc/protocol.py`).
public struct LocustMessage: Equatable, Sendable {
    /// Messages from the master are small (a spawn carries the master's options); a bigger one is refused.
    public static let maxBytes = 4 << 20

    public var type: String
    public var data: MessagePack
    public var nodeID: String

    public init(type: String, data: MessagePack, nodeID: String) {
        self.type = type
        self.data = data
        self.nodeID = nodeID
    }

    public func encoded() -> [UInt8] { MessagePack.array([.string(type), data, .string(nodeID)]).encoded() }

    /// Decodes a frame from the master; anything else than a well-formed message is a clear error.
    public static func decode(_ bytes: [UInt8]) throws(BackendError) -> LocustMessage {
        guard bytes.count <= maxBytes else {
            throw BackendError(
                .failed,
                "the Locust master sent a message of \(bytes.count) bytes, over the limit of \(maxBytes >> 20) MiB: is it a Locust master?"
            )
        }
        let value: MessagePack
        do {
            value = try MessagePack.decode(bytes)
        } catch {
            throw BackendError(
                .failed,
                "the Locust master sent a message that is not valid MessagePack (\(error)): is it a Locust master?")
        }
        guard let items = value.arrayValue, items.count == 3, let type = items[0].stringValue else {
            throw BackendError(
                .failed,
                "the Locust master sent a message that is not [type, data, node_id] (Locust's protocol): is it a Locust master?"
            )
        }
        // node_id is the worker's own id (the master addresses us); it may be nil in old masters' broadcasts.
        return LocustMessage(type: type, data: items[1], nodeID: items[2].stringValue ?? "")
    }
}
