/// Splits a byte stream into newline-terminated lines in linear time, with a bound on line length.
///
/// Bytes are scanned once; a line longer than `maxLineBytes` is discarded as it streams in (memory stays
/// bounded) and reported as `.oversized` together with the first bytes, from which an id may be read.
public struct LineFramer: Sendable {
    public enum Frame: Sendable, Equatable {
        case line([UInt8])
        /// A line over the bound: its total length and its first `prefixBytes` bytes.
        case oversized(length: Int, prefix: [UInt8])
    }

    public static let prefixBytes = 4096

    public let maxLineBytes: Int
    private var buffer: [UInt8] = []
    private var start = 0
    private var scanned = 0
    private var discarding: (length: Int, prefix: [UInt8])?

    public init(maxLineBytes: Int) {
        self.maxLineBytes = maxLineBytes
    }

    /// Feeds bytes and returns the frames they complete, in order.
    public mutating func append(_ bytes: UnsafeRawBufferPointer) -> [Frame] {
        var frames: [Frame] = []
        var chunk = bytes[...]
        while !chunk.isEmpty {
            if var dropped = discarding {
                if let newline = chunk.firstIndex(of: 0x0A) {
                    dropped.length += newline - chunk.startIndex
                    frames.append(.oversized(length: dropped.length, prefix: dropped.prefix))
                    discarding = nil
                    chunk = chunk[(newline + 1)...]
                } else {
                    dropped.length += chunk.count
                    discarding = dropped
                    return frames
                }
                continue
            }
            buffer.append(contentsOf: chunk)
            chunk = chunk[chunk.endIndex...]
            while let newline = buffer[scanned...].firstIndex(of: 0x0A) {
                var end = newline
                if end > start, buffer[end - 1] == 0x0D { end -= 1 }
                if end - start > maxLineBytes {
                    frames.append(
                        .oversized(
                            length: end - start, prefix: Array(buffer[start..<min(end, start + Self.prefixBytes)])))
                } else {
                    frames.append(.line(Array(buffer[start..<end])))
                }
                start = newline + 1
                scanned = start
            }
            scanned = buffer.count
            if buffer.count - start > maxLineBytes {
                let pending = buffer[start...]
                discarding = (pending.count, Array(pending.prefix(Self.prefixBytes)))
                buffer.removeAll(keepingCapacity: false)
                start = 0
                scanned = 0
            } else if start > 0, start >= buffer.count / 2 {
                // Compact once the consumed part dominates, so the buffer never grows without bound.
                buffer.removeFirst(start)
                scanned -= start
                start = 0
            }
        }
        return frames
    }

    /// At end of input: the unterminated last line, if any, as a final frame.
    public mutating func finish() -> [Frame] {
        defer {
            buffer = []
            start = 0
            scanned = 0
            discarding = nil
        }
        if let dropped = discarding { return [.oversized(length: dropped.length, prefix: dropped.prefix)] }
        guard start < buffer.count else { return [] }
        return [.line(Array(buffer[start...]))]
    }
}
