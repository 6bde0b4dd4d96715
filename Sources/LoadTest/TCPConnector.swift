import BackendCore
import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Opens the engine's TCP sockets itself and starts a non-blocking connect; NIO takes the descriptor over
/// (`ClientBootstrap.withConnectedSocket`) and reports the outcome through the channel.
///
/// Owning the descriptor is what lets a plain-HTTP connection write each request with one `send(2)` instead
/// of NIO's outbound path: measured against nginx, that path was a third of the engine's user-space time.
enum TCPConnector {
    /// A socket whose connect is under way (or already done), or nil when even that failed (no descriptor
    /// left, no route): the caller counts a connect error either way.
    static func start(_ address: SocketAddress) -> CInt? {
        let family = address.protocol.rawValue
        #if os(Linux)
            let descriptor = socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        #else
            let descriptor = socket(family, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { return nil }
        let flags = fcntl(descriptor, F_GETFL, 0)
        var noDelay: CInt = 1
        guard flags >= 0, fcntl(descriptor, F_SETFL, flags | O_NONBLOCK) == 0,
            setsockopt(
                descriptor, CInt(IPPROTO_TCP), TCP_NODELAY, &noDelay, socklen_t(MemoryLayout<CInt>.size)) == 0
        else {
            close(descriptor)
            return nil
        }
        let result = address.withSockAddr { pointer, size in connect(descriptor, pointer, socklen_t(size)) }
        if result != 0 && errno != EINPROGRESS {
            close(descriptor)
            return nil
        }
        return descriptor
    }

    /// Every TCP address of `host` in getaddrinfo's order (an IP literal gives itself), without repeats.
    static func addresses(host: String, port: Int) throws(BackendError) -> [SocketAddress] {
        var hints = addrinfo()
        #if os(Linux)
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
            hints.ai_socktype = SOCK_STREAM
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            let reason = String(cString: gai_strerror(status))
            throw BackendError(.unreachable, "cannot resolve host '\(host)': \(reason)")
        }
        defer { freeaddrinfo(first) }
        var found: [SocketAddress] = []
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let current = entry {
            entry = current.pointee.ai_next
            guard let raw = current.pointee.ai_addr else { continue }
            let address: SocketAddress
            switch current.pointee.ai_family {
            case AF_INET:
                address = SocketAddress(raw.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee })
            case AF_INET6:
                address = SocketAddress(raw.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee })
            default: continue
            }
            if !found.contains(address) { found.append(address) }
        }
        guard !found.isEmpty else { throw BackendError(.unreachable, "host '\(host)' has no IPv4 or IPv6 address") }
        return found
    }

    /// The first of `addresses` that accepts a TCP connection within `timeout` seconds, or nil. As wrk does: a
    /// name such as `localhost` often has an IPv6 and an IPv4 address and the server listens on only one.
    static func firstAccepting(_ addresses: [SocketAddress], timeout: Double) -> SocketAddress? {
        for address in addresses {
            guard let descriptor = start(address) else { continue }
            defer { close(descriptor) }
            var events = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
            if poll(&events, 1, CInt(timeout * 1000)) == 1 && isConnected(descriptor) { return address }
        }
        return nil
    }

    /// True once the connect finished successfully (the peer's address is known).
    static func isConnected(_ descriptor: CInt) -> Bool {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        return withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getpeername(descriptor, $0, &length) }
        } == 0
    }

    /// Writes all of `bytes` at once if the socket takes them; returns how many it took (0 when it would block
    /// or failed: the caller hands the rest to NIO, which reports any error through the channel).
    @inline(__always) static func send(_ descriptor: CInt, _ bytes: UnsafeRawBufferPointer) -> Int {
        #if os(Linux)
            let written = Glibc.send(descriptor, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL))
        #else
            let written = Darwin.send(descriptor, bytes.baseAddress, bytes.count, 0)
        #endif
        return max(written, 0)
    }
}
