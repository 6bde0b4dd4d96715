import BackendCore
import CZeroMQ
import Foundation

/// A ZeroMQ DEALER socket connected to a Locust master's ROUTER; the routing id is the worker's node id.
///
/// Used from one thread only (ZeroMQ sockets are not thread-safe): the worker's protocol loop.
final class ZMQDealer {
    /// libzmq drops a peer that sends a bigger frame (and reconnects); frames up to it are read and then
    /// refused by `LocustConnection` with a clear error when over its own, lower limit.
    static let transportLimit = 64 << 20

    private let context: UnsafeMutableRawPointer
    private let socket: UnsafeMutableRawPointer

    init(endpoint: String, identity: String) throws(BackendError) {
        if let failure = czeromq_load() { throw BackendError(.failed, String(cString: failure)) }
        guard let context = zmq_ctx_new() else { throw BackendError(.failed, "cannot create a ZeroMQ context") }
        guard let socket = zmq_socket(context, ZMQ_DEALER) else {
            zmq_ctx_term(context)
            throw BackendError(.failed, "cannot create a ZeroMQ socket: \(Self.lastError())")
        }
        self.context = context
        self.socket = socket
        let id = Array(identity.utf8)
        var linger: CInt = 0
        var maxSize = Int64(Self.transportLimit)
        var keepalive: CInt = 1
        _ = id.withUnsafeBytes { zmq_setsockopt(socket, ZMQ_ROUTING_ID, $0.baseAddress, $0.count) }
        _ = zmq_setsockopt(socket, ZMQ_LINGER, &linger, MemoryLayout<CInt>.size)
        _ = zmq_setsockopt(socket, ZMQ_MAXMSGSIZE, &maxSize, MemoryLayout<Int64>.size)
        _ = zmq_setsockopt(socket, ZMQ_TCP_KEEPALIVE, &keepalive, MemoryLayout<CInt>.size)
        guard zmq_connect(socket, endpoint) == 0 else {
            let reason = Self.lastError()
            close()
            throw BackendError(.unreachable, "cannot connect to the Locust master at \(endpoint): \(reason)")
        }
    }

    deinit { close() }

    private var closed = false

    /// Closes the socket; messages still queued are sent for up to `lingerMillis` (the final stats report).
    func close(lingerMillis: Int32 = 0) {
        guard !closed else { return }
        closed = true
        var linger = CInt(lingerMillis)
        _ = zmq_setsockopt(socket, ZMQ_LINGER, &linger, MemoryLayout<CInt>.size)
        zmq_close(socket)
        zmq_ctx_term(context)
    }

    /// Queues one frame; false when ZeroMQ refused it (the queue to an absent master is full).
    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { zmq_send(socket, $0.baseAddress, $0.count, ZMQ_DONTWAIT) } >= 0
    }

    /// Waits up to `timeoutMillis` for one message; its frames joined (a Locust message is one frame; extra
    /// frames make it malformed, which the decoder reports). Nil on timeout.
    func receive(timeoutMillis: Int) throws(BackendError) -> [UInt8]? {
        var item = zmq_pollitem_t(socket: socket, fd: 0, events: Int16(ZMQ_POLLIN), revents: 0)
        let ready = zmq_poll(&item, 1, timeoutMillis)
        if ready < 0 {
            if zmq_errno() == EINTR { return nil }
            throw BackendError(.failed, "ZeroMQ poll failed: \(Self.lastError())")
        }
        guard ready > 0 else { return nil }
        var bytes: [UInt8] = []
        var more = true
        var frames = 0
        while more {
            var message = zmq_msg_t()
            zmq_msg_init(&message)
            defer { zmq_msg_close(&message) }
            guard zmq_msg_recv(&message, socket, ZMQ_DONTWAIT) >= 0 else {
                if zmq_errno() == EAGAIN { return frames == 0 ? nil : bytes }
                throw BackendError(.failed, "ZeroMQ receive failed: \(Self.lastError())")
            }
            let size = zmq_msg_size(&message)
            if frames > 0 { bytes.append(0xC1) }  // a reserved code: two frames never decode as one message
            if let data = zmq_msg_data(&message), size > 0 {
                bytes += UnsafeRawBufferPointer(start: data, count: size)
            }
            frames += 1
            more = zmq_msg_more(&message) != 0
        }
        return bytes
    }

    static func lastError() -> String { String(cString: zmq_strerror(zmq_errno())) }
}
