import BackendCore
import Foundation
import NIOCore

/// Safety limits of a run: which hosts may be reached and how long and wide a run may be.
public struct LoadLimits: Sendable, Equatable {
    public static let allowVariable = "SENIOR_BACKEND_LOAD_ALLOW"
    public static let maxDurationVariable = "SENIOR_BACKEND_LOAD_MAX_DURATION"
    public static let maxConcurrencyVariable = "SENIOR_BACKEND_LOAD_MAX_CONCURRENCY"

    /// False for a person at the CLI: any host. True for agent (MCP) calls: loopback and `allowedHosts`.
    public var restrictHosts: Bool
    /// Extra host names (lower case) that agent calls may reach.
    public var allowedHosts: Set<String>
    /// Longest run, warmup included, in seconds.
    public var maxDuration: Double
    public var maxConcurrency: Int

    public init(
        restrictHosts: Bool, allowedHosts: Set<String> = [], maxDuration: Double = 60, maxConcurrency: Int = 256
    ) {
        self.restrictHosts = restrictHosts
        self.allowedHosts = allowedHosts
        self.maxDuration = maxDuration
        self.maxConcurrency = maxConcurrency
    }

    /// Limits from `SENIOR_BACKEND_LOAD_ALLOW` (comma-separated host names) and the two cap variables.
    public static func from(environment: [String: String], restrictHosts: Bool) throws(BackendError) -> LoadLimits {
        var limits = LoadLimits(restrictHosts: restrictHosts)
        if let allow = environment[allowVariable] {
            limits.allowedHosts = Set(
                allow.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter {
                    !$0.isEmpty
                })
        }
        if let text = environment[maxDurationVariable] {
            guard let value = Double(text), value > 0, value <= 86_400 else {
                throw BackendError.invalidInput(
                    "\(maxDurationVariable) must be a number of seconds above 0 and at most 86400 (a day)")
            }
            limits.maxDuration = value
        }
        if let text = environment[maxConcurrencyVariable] {
            guard let value = Int(text), value > 0, value <= 100_000 else {
                throw BackendError.invalidInput(
                    "\(maxConcurrencyVariable) must be a whole number of connections from 1 to 100000")
            }
            limits.maxConcurrency = value
        }
        return limits
    }

    /// Whether a call may reach `host`; loopback (127.0.0.0/8, ::1, localhost) always may.
    public func allows(host: String) -> Bool {
        !restrictHosts || Target.isLoopback(host) || allowedHosts.contains(host.lowercased())
    }

    /// A call let through only because `host` is loopback reaches its loopback addresses only, whatever the
    /// resolver says (`localhost` could be mapped elsewhere); a host named in the allow list resolves freely.
    func loopbackAddressesOnly(host: String) -> Bool {
        restrictHosts && !allowedHosts.contains(host.lowercased())
    }
}

/// A parsed `http(s)://host:port/path?query` URL.
public struct Target: Sendable, Equatable {
    public var host: String
    public var port: Int
    /// https: TLS (NIOSSL) under HTTP/1.1.
    public var tls: Bool
    /// Path and query as sent in the request line.
    public var pathAndQuery: String
    /// The URL as reported: no credentials, no secrets.
    public var display: String
    /// The Host header value.
    public var hostHeader: String

    public static func parse(_ text: String) throws(BackendError) -> Target {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let schemeEnd = trimmed.range(of: "://") else {
            throw BackendError.invalidInput("url '\(trimmed)' has no scheme: write http://host:port/path")
        }
        let scheme = trimmed[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else {
            throw BackendError.invalidInput("url scheme '\(scheme)' is not supported: use http:// or https://")
        }
        let tls = scheme == "https"
        if trimmed.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F }) {
            throw BackendError.invalidInput("url contains spaces or control characters; percent-encode them")
        }
        let rest = trimmed[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        if authority.contains("@") {
            throw BackendError.invalidInput(
                "url carries credentials; they are not sent: pass them as a header (--header \"Authorization: ...\")")
        }
        var pathAndQuery = String(rest[authorityEnd...])
        if let hash = pathAndQuery.firstIndex(of: "#") { pathAndQuery = String(pathAndQuery[..<hash]) }
        if pathAndQuery.isEmpty || pathAndQuery.hasPrefix("?") { pathAndQuery = "/" + pathAndQuery }
        var host: Substring
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else {
                throw BackendError.invalidInput("url '\(trimmed)': unclosed [ in an IPv6 address")
            }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if after.hasPrefix(":") {
                portText = after.dropFirst()
            } else if !after.isEmpty {
                throw BackendError.invalidInput("url '\(trimmed)': unexpected text after the IPv6 address")
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        } else {
            host = authority
        }
        guard !host.isEmpty else { throw BackendError.invalidInput("url '\(trimmed)' has no host") }
        let hostAllowed = host.unicodeScalars.allSatisfy {
            CharacterSet.alphanumerics.contains($0) || "-._:".unicodeScalars.contains($0)
        }
        guard hostAllowed, host.unicodeScalars.allSatisfy(\.isASCII) else {
            throw BackendError.invalidInput("url host '\(host)' is not a valid host name or address")
        }
        let defaultPort = tls ? 443 : 80
        var port = defaultPort
        if let portText {
            guard let value = Int(portText), (1...65535).contains(value) else {
                throw BackendError.invalidInput("url port '\(portText)' must be a number from 1 to 65535")
            }
            port = value
        }
        let hostString = String(host)
        let bracketed = hostString.contains(":") ? "[\(hostString)]" : hostString
        let hostHeader = port == defaultPort ? bracketed : "\(bracketed):\(port)"
        return Target(
            host: hostString, port: port, tls: tls, pathAndQuery: pathAndQuery,
            display: "\(scheme)://\(hostHeader)\(pathAndQuery)", hostHeader: hostHeader)
    }

    /// The TLS server name (SNI and certificate check); nil for an IP address, which NIOSSL checks
    /// against the certificate's IP entries instead (SNI may not carry addresses).
    public var serverName: String? {
        var v4 = in_addr()
        var v6 = in6_addr()
        if inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1 { return nil }
        return host
    }

    /// 127.0.0.0/8, ::1 and `localhost`.
    public static func isLoopback(_ host: String) -> Bool {
        let lower = host.lowercased()
        if lower == "localhost" || lower == "localhost." { return true }
        var v4 = in_addr()
        if inet_pton(AF_INET, lower, &v4) == 1 {
            return UInt32(bigEndian: v4.s_addr) >> 24 == 127
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, lower, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { bytes in bytes.prefix(15).allSatisfy { $0 == 0 } && bytes[15] == 1 }
        }
        return false
    }
}

/// A validated run: the target, the request bytes (encoded once) and the traffic shape.
public struct LoadPlan: Sendable {
    public enum Model: String, Sendable, Codable { case closed, open }

    public var target: Target
    public var method: String
    /// The whole request, head and body, written as is for every request.
    public var requestBytes: [UInt8]
    /// Header lines as reported (secret values masked).
    public var headerLines: [String]
    public var concurrency: Int
    /// Measured seconds after warmup; with only `requests` given, the duration cap.
    public var duration: Double
    public var durationGiven: Bool
    public var requests: Int?
    public var rate: Double?
    public var warmup: Double
    public var timeout: Double
    public var threads: Int
    /// https without certificate verification (self-signed test servers).
    public var insecure: Bool

    public var model: Model { rate == nil ? .closed : .open }

    static let sensitiveHeaders: Set<String> = [
        "authorization", "proxy-authorization", "cookie", "x-api-key", "api-key", "x-auth-token", "x-access-token",
    ]
    static let refusedHeaders: Set<String> = ["content-length", "transfer-encoding"]

    /// Validates `request` for the target `url`; reads the body file; refuses hosts outside the limits.
    public static func make(
        _ request: LoadTestRequest, url: String, limits: LoadLimits, cores: Int = usableCores
    ) throws(BackendError) -> LoadPlan {
        let target = try Target.parse(url)
        guard limits.allows(host: target.host) else {
            throw BackendError(
                .refused,
                "host '\(target.host)' is not allowed for agent calls: only loopback (127.0.0.0/8, ::1, localhost) and the host names in \(LoadLimits.allowVariable) (comma-separated) may be load tested; add it there or run the CLI"
            )
        }
        let method = (request.method ?? (request.body != nil || request.bodyFile != nil ? "POST" : "GET")).uppercased()
        guard method.wholeMatch(of: /[A-Z]{1,20}/) != nil else {
            throw BackendError.invalidInput("method '\(method)' must be an HTTP method such as GET, POST, PUT, DELETE")
        }
        if let requests = request.requests, requests < 1 || requests > 1_000_000_000 {
            throw BackendError.invalidInput("requests must be from 1 to 1,000,000,000 (got \(requests))")
        }
        if let rate = request.rate, !(rate > 0 && rate <= 10_000_000) {
            throw BackendError.invalidInput("rate must be above 0 and at most 10,000,000 requests per second")
        }
        let warmup = request.warmup ?? 0
        guard warmup >= 0, warmup.isFinite else { throw BackendError.invalidInput("warmup must be 0 or more seconds") }
        let timeout = request.timeout ?? 10
        guard timeout > 0, timeout <= 600 else {
            throw BackendError.invalidInput("timeout must be above 0 and at most 600 seconds (got \(timeout))")
        }
        let durationGiven = request.duration != nil || request.requests == nil
        var duration = request.duration ?? (request.requests == nil ? 10 : limits.maxDuration - warmup)
        if request.duration != nil {
            guard duration > 0, duration.isFinite else {
                throw BackendError.invalidInput("duration must be above 0 seconds (got \(duration))")
            }
        }
        if durationGiven, duration + warmup > limits.maxDuration {
            throw BackendError(
                .refused,
                "duration \(format(duration)) s + warmup \(format(warmup)) s is over the cap of \(format(limits.maxDuration)) s; shorten it or raise \(LoadLimits.maxDurationVariable)"
            )
        }
        if !durationGiven, warmup >= limits.maxDuration {
            throw BackendError(
                .refused, "warmup \(format(warmup)) s is over the cap of \(format(limits.maxDuration)) s")
        }
        duration = max(duration, 0.001)
        let concurrency = request.concurrency ?? (request.rate == nil ? 10 : min(64, limits.maxConcurrency))
        guard concurrency >= 1 else { throw BackendError.invalidInput("concurrency must be at least 1") }
        guard concurrency <= limits.maxConcurrency else {
            throw BackendError(
                .refused,
                "concurrency \(concurrency) is over the cap of \(limits.maxConcurrency) connections; lower it or raise \(LoadLimits.maxConcurrencyVariable)"
            )
        }
        if request.body != nil && request.bodyFile != nil {
            throw BackendError.invalidInput("give body or body_file, not both")
        }
        var body: [UInt8] = []
        if let text = request.body { body = Array(text.utf8) }
        if let path = request.bodyFile {
            // A person may pass a pipe (`<(...)`); an agent's call reads regular files only, never a device or the
            // server's own stdin.
            body = Array(try readFile(path, "body_file", limit: 64 << 20, regularOnly: limits.restrictHosts))
        }
        var head = "\(method) \(target.pathAndQuery) HTTP/1.1\r\n"
        var reported: [String] = []
        var names = Set<String>()
        for (index, header) in (request.headers ?? []).enumerated() {
            // Not quoted: without a colon nothing tells a name from a secret value ("X-Api-Key abcd1234").
            guard let colon = header.firstIndex(of: ":") else {
                throw BackendError.invalidInput("header \(index + 1) has no ':'; write each header as 'Name: value'")
            }
            let name = header[..<colon].trimmingCharacters(in: .whitespaces)
            let value = header[header.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            guard name.wholeMatch(of: /[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}/) != nil else {
                throw BackendError.invalidInput("header name '\(name)' is not a valid HTTP token")
            }
            let lower = name.lowercased()
            if sensitiveHeaders.contains(lower) {
                SecretRedactor.register(value)
                if let token = value.split(separator: " ").last, token.count >= 4 {
                    SecretRedactor.register(String(token))
                }
            }
            guard !value.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" }) else {
                throw BackendError.invalidInput("header '\(name)' has CR, LF or NUL in its value (header injection)")
            }
            guard !refusedHeaders.contains(lower) else {
                throw BackendError.invalidInput("header '\(name)' is set by the tool from the body; leave it out")
            }
            names.insert(lower)
            head += "\(name): \(value)\r\n"
            reported.append(sensitiveHeaders.contains(lower) ? "\(name): \(SecretRedactor.mask)" : "\(name): \(value)")
        }
        if !names.contains("host") { head = head + "Host: \(target.hostHeader)\r\n" }
        if !body.isEmpty || ["POST", "PUT", "PATCH"].contains(method) {
            if !body.isEmpty && !names.contains("content-type") {
                let type = looksLikeJSON(body) ? "application/json" : "application/octet-stream"
                head += "Content-Type: \(type)\r\n"
                reported.append("Content-Type: \(type)")
            }
            head += "Content-Length: \(body.count)\r\n"
        }
        head += "\r\n"
        return LoadPlan(
            target: target, method: method, requestBytes: Array(head.utf8) + body, headerLines: reported,
            concurrency: concurrency, duration: duration, durationGiven: durationGiven, requests: request.requests,
            rate: request.rate, warmup: warmup, timeout: timeout, threads: max(1, min(cores, concurrency)),
            insecure: request.insecure ?? false)
    }

    /// Cores this process may run on: NIO's count follows cgroup limits but not the CPU affinity set by
    /// `taskset`, and two event loops on one allowed core only switch between each other.
    public static let usableCores: Int = {
        var cores = System.coreCount
        #if os(Linux)
            if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
                let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed_list:") }),
                let allowed = affinityCount(line.dropFirst("Cpus_allowed_list:".count))
            {
                cores = min(cores, allowed)
            }
        #endif
        return max(1, cores)
    }()

    /// Counts the CPUs of a list such as `0-3,6,8-9`; nil when it cannot be read.
    static func affinityCount(_ list: Substring) -> Int? {
        var count = 0
        for part in list.split(separator: ",") {
            let bounds = part.split(separator: "-").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard bounds.count <= 2, let first = bounds.first, let low = first else { return nil }
            guard let high = bounds.count == 2 ? bounds[1] : low, high >= low else { return nil }
            count += high - low + 1
        }
        return count > 0 ? count : nil
    }

    static func looksLikeJSON(_ body: [UInt8]) -> Bool {
        guard let first = body.first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }),
            first == UInt8(ascii: "{") || first == UInt8(ascii: "[")
        else { return false }
        return (try? JSONParser.parse(body)) != nil
    }

    /// At most `limit` bytes of the file at `path`; a longer one is refused after reading `limit + 1` bytes, so
    /// /dev/zero or a huge file costs no more memory than the limit.
    static func readFile(_ path: String, _ what: String, limit: Int, regularOnly: Bool) throws(BackendError) -> Data {
        let unreadable = BackendError(.notFound, "\(what) '\(path)' cannot be read")
        guard let type = fileType(path) else { throw unreadable }
        if regularOnly && type != S_IFREG {
            throw BackendError.invalidInput("\(what) '\(path)' is not a regular file")
        }
        // FileHandle, not Data(contentsOf:): it also reads devices and pipes such as /dev/null.
        guard let handle = FileHandle(forReadingAtPath: path) else { throw unreadable }
        defer { try? handle.close() }
        let data: Data
        do {
            data = try handle.read(upToCount: limit + 1) ?? Data()
        } catch {
            throw unreadable
        }
        guard data.count <= limit else {
            throw BackendError.invalidInput("\(what) '\(path)' is over \(limit >> 20) MiB")
        }
        return data
    }

    /// The type bits (`S_IFDIR`, `S_IFREG`, ...) of what `path` leads to, or nil when nothing is there.
    static func fileType(_ path: String) -> mode_t? {
        var status = stat()
        return stat(path, &status) == 0 ? status.st_mode & S_IFMT : nil
    }

    /// A share of the traffic, for the interleaved rounds of a compare.
    struct Round {
        var duration: Double
        var requests: Int?
    }

    /// The same plan with a round's share of the traffic.
    func slice(_ round: Round) -> LoadPlan {
        var copy = self
        copy.duration = round.duration
        copy.requests = round.requests
        return copy
    }
}

func format(_ value: Double) -> String {
    if value == value.rounded() && abs(value) < 1e15 { return String(Int(value)) }
    return String(format: "%.2f", value)
}
