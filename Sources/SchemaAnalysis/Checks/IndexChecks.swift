/// Duplicate, redundant, unused, invalid and ill-chosen indexes.
enum IndexChecks {
    static let all: [SchemaCheck] = []
}
