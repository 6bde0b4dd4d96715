/// One small latency histogram per second of the run, for the per-second p50 and p99 of the timeline.
///
/// A full HdrHistogram per second would cost hundreds of kilobytes each, so these are log-linear buckets: 16
/// per power of two (values under 16 µs exact), which bounds the error of a reported percentile to 1/32 of
/// the value (±3%). All seconds sit in one flat array allocated before the run; recording is a shift, a
/// count-leading-zeros and one increment, with no allocation.
struct SecondHistograms: Sendable {
    static let subBuckets = 16
    /// Values up to 2^32 µs (71 minutes); larger ones share the last bucket.
    static let buckets = 16 + (32 - 4) * subBuckets

    private(set) var counts: [UInt32]

    init(seconds: Int = 0) {
        counts = [UInt32](repeating: 0, count: seconds * Self.buckets)
    }

    var seconds: Int { counts.count / Self.buckets }

    @inline(__always) static func bucket(_ micros: UInt64) -> Int {
        let value = min(micros, UInt64(UInt32.max))
        if value < 16 { return Int(value) }
        let exponent = 63 - value.leadingZeroBitCount  // 4...31
        let mantissa = Int((value >> UInt64(exponent - 4)) & 15)
        return (exponent - 3) * subBuckets + mantissa
    }

    /// The middle of a bucket, in microseconds.
    static func value(ofBucket index: Int) -> Double {
        if index < 16 { return Double(index) }
        let exponent = index / subBuckets + 3
        let mantissa = index % subBuckets
        let width = Double(UInt64(1) << UInt64(exponent - 4))
        return Double(16 + mantissa) * width + width / 2
    }

    @inline(__always) mutating func record(second: Int, micros: UInt64) {
        counts[second &* Self.buckets &+ Self.bucket(micros)] &+= 1
    }

    /// The latency at `percentile` (0-100) in `second`, in microseconds; nil for a second without responses.
    func value(second: Int, percentile: Double) -> Double? {
        guard second < seconds else { return nil }
        let slice = counts[(second * Self.buckets)..<((second + 1) * Self.buckets)]
        let total = slice.reduce(0) { $0 + UInt64($1) }
        guard total > 0 else { return nil }
        let rank = max(1, UInt64((percentile / 100 * Double(total)).rounded(.up)))
        var seen: UInt64 = 0
        for (offset, count) in slice.enumerated() {
            seen += UInt64(count)
            if seen >= rank { return Self.value(ofBucket: offset) }
        }
        return nil
    }

    /// Adds another event loop's counts second by second.
    mutating func add(_ other: SecondHistograms) {
        if counts.count < other.counts.count {
            counts += [UInt32](repeating: 0, count: other.counts.count - counts.count)
        }
        for index in other.counts.indices { counts[index] &+= other.counts[index] }
    }

    /// The first `seconds` seconds of this one followed by all of `other` (rounds that follow each other).
    func appending(_ other: SecondHistograms, after seconds: Int) -> SecondHistograms {
        var joined = SecondHistograms()
        joined.counts = Array(counts.prefix(seconds * Self.buckets)) + other.counts
        return joined
    }
}
