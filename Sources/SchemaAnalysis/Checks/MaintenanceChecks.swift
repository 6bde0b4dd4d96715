/// Vacuum, analyse, bloat, cache and overflow: what the statistics say about upkeep.
enum MaintenanceChecks {
    static let all: [SchemaCheck] = []
}
