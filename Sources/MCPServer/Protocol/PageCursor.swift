import Foundation

/// Opaque pagination cursors: the offset of the next page, tagged with the list it belongs to.
enum PageCursor {
    static func encode(offset: Int, list: String) -> String {
        Data("\(list):\(offset)".utf8).base64EncodedString()
    }

    /// The offset a cursor points at, or nil when the cursor was not made by `encode` for this list.
    static func decode(_ cursor: String, list: String, count: Int) -> Int? {
        guard let data = Data(base64Encoded: cursor), let text = String(data: data, encoding: .utf8),
            text.hasPrefix("\(list):"), let offset = Int(text.dropFirst(list.count + 1)), offset > 0, offset < count
        else { return nil }
        return offset
    }
}
