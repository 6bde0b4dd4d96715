// A measuring stick, not product code: the CPU floor of a load loop with no SwiftNIO at all, to weigh what
// leaving NIO's read path would buy (bench/README.md, "What NIO costs"). One thread, epoll, closed model,
// N keep-alive connections for D seconds to http://127.0.0.1:PORT/index.html; it checks only that a reply
// has a status line and the end of its headers (a real engine parses far more), so it is a lower bound.
//
//   swiftc -O bench/epoll-floor/main.swift -o /tmp/epoll-floor && /tmp/epoll-floor PORT 50 5
import Glibc

// Glibc's Swift module does not export epoll or memmem.
@_silgen_name("epoll_create1") func epoll_create1(_ flags: Int32) -> Int32
@_silgen_name("epoll_ctl") func epoll_ctl(
    _ epfd: Int32, _ op: Int32, _ fd: Int32, _ event: UnsafeMutableRawPointer
)
    -> Int32
@_silgen_name("epoll_wait") func epoll_wait(
    _ epfd: Int32, _ events: UnsafeMutableRawPointer, _ max: Int32, _ timeout: Int32
) -> Int32
@_silgen_name("memmem") func memmem(
    _ haystack: UnsafeRawPointer, _ length: Int, _ needle: UnsafeRawPointer, _ size: Int
)
    -> UnsafeMutableRawPointer?

let arguments = CommandLine.arguments
guard arguments.count == 4, let port = UInt16(arguments[1]), let connections = Int(arguments[2]),
    let seconds = Double(arguments[3])
else {
    print("usage: epoll-floor PORT CONNECTIONS SECONDS")
    exit(2)
}
let request = Array("GET /index.html HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: epoll-floor\r\n\r\n".utf8)

func now() -> UInt64 {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
}

func send(_ descriptor: Int32) {
    _ = request.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
}

// struct epoll_event is packed on x86_64: UInt32 events, then UInt64 data (12 bytes).
let eventSize = 12
let poller = epoll_create1(0x80000)  // EPOLL_CLOEXEC
var sentAt = [UInt64](repeating: 0, count: 65536)
var latencyMicros = [Int](repeating: 0, count: 100_000)  // a flat histogram, one bucket per microsecond
var descriptors: [Int32] = []
for _ in 0..<connections {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = port.bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
    }
    guard connected == 0 else {
        print("cannot connect to 127.0.0.1:\(port)")
        exit(1)
    }
    var one: Int32 = 1
    setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &one, 4)
    _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL, 0) | O_NONBLOCK)
    let event = UnsafeMutableRawPointer.allocate(byteCount: eventSize, alignment: 4)
    event.storeBytes(of: UInt32(1), toByteOffset: 0, as: UInt32.self)  // EPOLLIN
    event.storeBytes(of: UInt64(UInt32(descriptor)), toByteOffset: 4, as: UInt64.self)
    _ = epoll_ctl(poller, 1, descriptor, event)  // EPOLL_CTL_ADD
    event.deallocate()
    descriptors.append(descriptor)
}

let end = now() + UInt64(seconds * 1e9)
for descriptor in descriptors {
    sentAt[Int(descriptor)] = now()
    send(descriptor)
}
var completed = 0
let buffer = UnsafeMutableRawPointer.allocate(byteCount: 65536, alignment: 16)
let events = UnsafeMutableRawPointer.allocate(byteCount: eventSize * 64, alignment: 4)
var running = true
while running {
    let ready = epoll_wait(poller, events, 64, 100)
    let time = now()
    if time >= end { running = false }
    for index in 0..<max(Int(ready), 0) {
        let descriptor = Int32(
            truncatingIfNeeded: events.loadUnaligned(fromByteOffset: index * eventSize + 4, as: UInt64.self))
        let count = read(descriptor, buffer, 65536)
        guard count >= 12, buffer.load(fromByteOffset: 0, as: UInt8.self) == 0x48,
            memmem(buffer, count, "\r\n\r\n", 4) != nil
        else { continue }
        completed += 1
        latencyMicros[min(Int((time - sentAt[Int(descriptor)]) / 1000), latencyMicros.count - 1)] += 1
        if running {
            sentAt[Int(descriptor)] = time
            send(descriptor)
        }
    }
}
print(completed)
