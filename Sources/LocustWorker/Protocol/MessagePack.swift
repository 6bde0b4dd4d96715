import Foundation

/// A MessagePack value: the subset Locust's messages use (nil, bool, integers, floats, strings, binary,
/// arrays, maps and extension values such as its datetime).
public enum MessagePack: Sendable, Equatable {
    case nil_
    case bool(Bool)
    case int(Int64)
    case uint(UInt64)
    case double(Double)
    case string(String)
    case binary([UInt8])
    case array([MessagePack])
    /// Pairs in wire order (a map's keys may be any value: Locust's response-time maps have integer keys).
    case map([(MessagePack, MessagePack)])
    case ext(Int8, [UInt8])

    public static func == (lhs: MessagePack, rhs: MessagePack) -> Bool {
        switch (lhs, rhs) {
        case (.nil_, .nil_): true
        case (.bool(let a), .bool(let b)): a == b
        case (.int(let a), .int(let b)): a == b
        case (.uint(let a), .uint(let b)): a == b
        case (.int(let a), .uint(let b)), (.uint(let b), .int(let a)): a >= 0 && UInt64(a) == b
        case (.double(let a), .double(let b)): a == b || (a.isNaN && b.isNaN)
        case (.string(let a), .string(let b)): a == b
        case (.binary(let a), .binary(let b)): a == b
        case (.array(let a), .array(let b)): a == b
        case (.map(let a), .map(let b)):
            a.count == b.count && zip(a, b).allSatisfy { $0.0.0 == $0.1.0 && $0.0.1 == $0.1.1 }
        case (.ext(let t1, let d1), .ext(let t2, let d2)): t1 == t2 && d1 == d2
        default: false
        }
    }

    /// A map with string keys, in the given order.
    public static func object(_ pairs: [(String, MessagePack)]) -> MessagePack {
        .map(pairs.map { (.string($0.0), $0.1) })
    }

    public static func integer(_ value: Int) -> MessagePack { .int(Int64(value)) }

    // MARK: reading

    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    public var intValue: Int? {
        switch self {
        case .int(let value): Int(exactly: value)
        case .uint(let value): Int(exactly: value)
        case .double(let value): value.isFinite && value == value.rounded() ? Int(exactly: value) : nil
        default: nil
        }
    }

    public var doubleValue: Double? {
        switch self {
        case .int(let value): Double(value)
        case .uint(let value): Double(value)
        case .double(let value): value
        default: nil
        }
    }

    public var arrayValue: [MessagePack]? {
        if case .array(let value) = self { return value }
        return nil
    }

    public var isNil: Bool {
        if case .nil_ = self { return true }
        return false
    }

    /// The value under a string key of a map.
    public subscript(key: String) -> MessagePack? {
        guard case .map(let pairs) = self else { return nil }
        return pairs.first { $0.0 == .string(key) }?.1
    }
}

/// Why bytes are not a MessagePack value we accept.
public struct MessagePackError: Error, Equatable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

extension MessagePack {
    /// Bounds on what a peer may make us build: nesting and the items in one frame.
    static let maxDepth = 32
    static let maxItems = 1_000_000

    /// The encoding of this value (the shortest form of each integer, float64 for doubles, as msgpack-python).
    public func encoded() -> [UInt8] {
        var out: [UInt8] = []
        encode(into: &out)
        return out
    }

    func encode(into out: inout [UInt8]) {
        switch self {
        case .nil_: out.append(0xC0)
        case .bool(let value): out.append(value ? 0xC3 : 0xC2)
        case .int(let value):
            if value >= 0 { return MessagePack.uint(UInt64(value)).encode(into: &out) }
            if value >= -32 {
                out.append(UInt8(bitPattern: Int8(value)))
            } else if value >= Int64(Int8.min) {
                out.append(0xD0)
                out.append(UInt8(bitPattern: Int8(value)))
            } else if value >= Int64(Int16.min) {
                out.append(0xD1)
                Self.append(UInt64(UInt16(bitPattern: Int16(value))), bytes: 2, to: &out)
            } else if value >= Int64(Int32.min) {
                out.append(0xD2)
                Self.append(UInt64(UInt32(bitPattern: Int32(value))), bytes: 4, to: &out)
            } else {
                out.append(0xD3)
                Self.append(UInt64(bitPattern: value), bytes: 8, to: &out)
            }
        case .uint(let value):
            if value < 0x80 {
                out.append(UInt8(value))
            } else if value <= 0xFF {
                out += [0xCC, UInt8(value)]
            } else if value <= 0xFFFF {
                out.append(0xCD)
                Self.append(value, bytes: 2, to: &out)
            } else if value <= 0xFFFF_FFFF {
                out.append(0xCE)
                Self.append(value, bytes: 4, to: &out)
            } else {
                out.append(0xCF)
                Self.append(value, bytes: 8, to: &out)
            }
        case .double(let value):
            out.append(0xCB)
            Self.append(value.bitPattern, bytes: 8, to: &out)
        case .string(let value):
            let bytes = Array(value.utf8)
            if bytes.count < 32 {
                out.append(0xA0 | UInt8(bytes.count))
            } else {
                Self.appendLength(bytes.count, codes: (0xD9, 0xDA, 0xDB), to: &out)
            }
            out += bytes
        case .binary(let bytes):
            Self.appendLength(bytes.count, codes: (0xC4, 0xC5, 0xC6), to: &out)
            out += bytes
        case .array(let items):
            if items.count < 16 {
                out.append(0x90 | UInt8(items.count))
            } else if items.count <= 0xFFFF {
                out.append(0xDC)
                Self.append(UInt64(items.count), bytes: 2, to: &out)
            } else {
                out.append(0xDD)
                Self.append(UInt64(items.count), bytes: 4, to: &out)
            }
            for item in items { item.encode(into: &out) }
        case .map(let pairs):
            if pairs.count < 16 {
                out.append(0x80 | UInt8(pairs.count))
            } else if pairs.count <= 0xFFFF {
                out.append(0xDE)
                Self.append(UInt64(pairs.count), bytes: 2, to: &out)
            } else {
                out.append(0xDF)
                Self.append(UInt64(pairs.count), bytes: 4, to: &out)
            }
            for (key, value) in pairs {
                key.encode(into: &out)
                value.encode(into: &out)
            }
        case .ext(let type, let data):
            switch data.count {
            case 1: out.append(0xD4)
            case 2: out.append(0xD5)
            case 4: out.append(0xD6)
            case 8: out.append(0xD7)
            case 16: out.append(0xD8)
            default: Self.appendLength(data.count, codes: (0xC7, 0xC8, 0xC9), to: &out)
            }
            out.append(UInt8(bitPattern: type))
            out += data
        }
    }

    static func append(_ value: UInt64, bytes: Int, to out: inout [UInt8]) {
        for shift in stride(from: (bytes - 1) * 8, through: 0, by: -8) {
            out.append(UInt8(truncatingIfNeeded: value >> UInt64(shift)))
        }
    }

    static func appendLength(_ count: Int, codes: (UInt8, UInt8, UInt8), to out: inout [UInt8]) {
        if count <= 0xFF {
            out += [codes.0, UInt8(count)]
        } else if count <= 0xFFFF {
            out.append(codes.1)
            append(UInt64(count), bytes: 2, to: &out)
        } else {
            out.append(codes.2)
            append(UInt64(count), bytes: 4, to: &out)
        }
    }

    /// Decodes exactly one value filling `bytes`; trailing bytes, truncation, bad UTF-8, reserved codes and
    /// absurd sizes (more items than bytes left) are errors, never a crash or a huge allocation.
    public static func decode(_ bytes: [UInt8]) throws(MessagePackError) -> MessagePack {
        var reader = Reader(bytes: bytes)
        let value = try reader.value(depth: 0)
        guard reader.offset == bytes.count else {
            throw MessagePackError("\(bytes.count - reader.offset) bytes after the end of the message")
        }
        return value
    }

    struct Reader {
        let bytes: [UInt8]
        var offset = 0
        var items = 0

        mutating func byte() throws(MessagePackError) -> UInt8 {
            guard offset < bytes.count else { throw MessagePackError("the message ends in the middle of a value") }
            defer { offset += 1 }
            return bytes[offset]
        }

        mutating func big(_ count: Int) throws(MessagePackError) -> UInt64 {
            guard bytes.count - offset >= count else {
                throw MessagePackError("the message ends in the middle of a value")
            }
            var value: UInt64 = 0
            for index in offset..<offset + count { value = value << 8 | UInt64(bytes[index]) }
            offset += count
            return value
        }

        mutating func raw(_ count: Int) throws(MessagePackError) -> [UInt8] {
            guard count >= 0, bytes.count - offset >= count else {
                throw MessagePackError("a length of \(count) bytes runs past the end of the message")
            }
            defer { offset += count }
            return Array(bytes[offset..<offset + count])
        }

        mutating func string(_ count: Int) throws(MessagePackError) -> MessagePack {
            let data = try raw(count)
            guard let text = String(validating: data, as: UTF8.self) else {
                throw MessagePackError("a string is not valid UTF-8")
            }
            return .string(text)
        }

        mutating func array(_ count: Int, depth: Int) throws(MessagePackError) -> MessagePack {
            // Each item takes at least one byte: a count beyond the bytes left is a lie, refused before allocating.
            try reserve(count)
            var items: [MessagePack] = []
            items.reserveCapacity(count)
            for _ in 0..<count { items.append(try value(depth: depth + 1)) }
            return .array(items)
        }

        mutating func map(_ count: Int, depth: Int) throws(MessagePackError) -> MessagePack {
            try reserve(count * 2)
            var pairs: [(MessagePack, MessagePack)] = []
            pairs.reserveCapacity(count)
            for _ in 0..<count {
                let key = try value(depth: depth + 1)
                pairs.append((key, try value(depth: depth + 1)))
            }
            return .map(pairs)
        }

        mutating func reserve(_ count: Int) throws(MessagePackError) {
            guard count <= bytes.count - offset else {
                throw MessagePackError("a collection of \(count) items is longer than the message")
            }
            items += count
            guard items <= MessagePack.maxItems else {
                throw MessagePackError("more than \(MessagePack.maxItems) items in one message")
            }
        }

        mutating func ext(_ count: Int) throws(MessagePackError) -> MessagePack {
            let type = Int8(bitPattern: try byte())
            return .ext(type, try raw(count))
        }

        mutating func value(depth: Int) throws(MessagePackError) -> MessagePack {
            guard depth <= MessagePack.maxDepth else {
                throw MessagePackError("values nested deeper than \(MessagePack.maxDepth) levels")
            }
            let code = try byte()
            switch code {
            case 0x00...0x7F: return .uint(UInt64(code))
            case 0x80...0x8F: return try map(Int(code & 0x0F), depth: depth)
            case 0x90...0x9F: return try array(Int(code & 0x0F), depth: depth)
            case 0xA0...0xBF: return try string(Int(code & 0x1F))
            case 0xC0: return .nil_
            case 0xC2: return .bool(false)
            case 0xC3: return .bool(true)
            case 0xC4: return .binary(try raw(Int(try big(1))))
            case 0xC5: return .binary(try raw(Int(try big(2))))
            case 0xC6: return .binary(try raw(Int(try big(4))))
            case 0xC7: return try ext(Int(try big(1)))
            case 0xC8: return try ext(Int(try big(2)))
            case 0xC9: return try ext(Int(try big(4)))
            case 0xCA: return .double(Double(Float(bitPattern: UInt32(try big(4)))))
            case 0xCB: return .double(Double(bitPattern: try big(8)))
            case 0xCC: return .uint(try big(1))
            case 0xCD: return .uint(try big(2))
            case 0xCE: return .uint(try big(4))
            case 0xCF: return .uint(try big(8))
            case 0xD0: return .int(Int64(Int8(truncatingIfNeeded: try big(1))))
            case 0xD1: return .int(Int64(Int16(truncatingIfNeeded: try big(2))))
            case 0xD2: return .int(Int64(Int32(truncatingIfNeeded: try big(4))))
            case 0xD3: return .int(Int64(bitPattern: try big(8)))
            case 0xD4: return try ext(1)
            case 0xD5: return try ext(2)
            case 0xD6: return try ext(4)
            case 0xD7: return try ext(8)
            case 0xD8: return try ext(16)
            case 0xD9: return try string(Int(try big(1)))
            case 0xDA: return try string(Int(try big(2)))
            case 0xDB: return try string(Int(try big(4)))
            case 0xDC: return try array(Int(try big(2)), depth: depth)
            case 0xDD: return try array(Int(try big(4)), depth: depth)
            case 0xDE: return try map(Int(try big(2)), depth: depth)
            case 0xDF: return try map(Int(try big(4)), depth: depth)
            case 0xE0...0xFF: return .int(Int64(Int8(bitPattern: code)))
            default: throw MessagePackError(String(format: "0x%02X is not a MessagePack type code", code))
            }
        }
    }
}
