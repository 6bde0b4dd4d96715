import BackendCore

/// Autovacuum's settings and state, and PostgreSQL's own rule for when it takes a table
/// (`relation_needs_vacanalyze`): vacuum once dead rows pass threshold + scale x rows, or inserts
/// since the last vacuum pass insert threshold + insert scale x rows; analyze once rows changed
/// since the last analyze pass analyze threshold + analyze scale x rows. Table storage parameters
/// override the server's settings.
///
/// PostgreSQL records no creation time for a table, nor when it crossed a threshold, so "long
/// enough for autovacuum to act" is judged from what holds now: a table below its thresholds is not
/// autovacuum's business yet, and one past them is taken on the launcher's next visit to the
/// database (every `autovacuum_naptime`). The activity checks report a table only when autovacuum
/// cannot take it: off for the server or the table, or no launcher. Tables that are due and will be
/// taken are named in a note instead. (How many workers are busy at one instant is not used: it
/// changes from second to second and would make the verdict a coin toss.)
public struct Autovacuum: Sendable {
    static let settingNames = [
        "autovacuum", "track_counts", "autovacuum_naptime", "autovacuum_vacuum_threshold",
        "autovacuum_vacuum_scale_factor", "autovacuum_vacuum_insert_threshold",
        "autovacuum_vacuum_insert_scale_factor", "autovacuum_analyze_threshold", "autovacuum_analyze_scale_factor",
    ]

    /// The server's settings as `pg_settings` prints them (`autovacuum=on`, `autovacuum_naptime=60`).
    let settings: [String: String]
    public let launcherRunning: Bool
    /// A standby: vacuum runs on the primary, and the standby's activity counters say nothing about it.
    public let inRecovery: Bool

    init(settings text: String?, launcherRunning: Bool, inRecovery: Bool) {
        var settings: [String: String] = [:]
        for item in (text ?? "").split(separator: ",") {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { settings[parts[0]] = parts[1] }
        }
        self.settings = settings
        self.launcherRunning = launcherRunning
        self.inRecovery = inRecovery
    }

    public var naptimeSeconds: Double { Double(settings["autovacuum_naptime"] ?? "") ?? 60 }

    /// The server's value, or the table's storage parameter of the same name (PostgreSQL's defaults
    /// when neither is known).
    func value(_ name: String, _ table: CatalogSnapshot.Table) -> Double {
        let defaults: [String: Double] = [
            "autovacuum_vacuum_threshold": 50, "autovacuum_vacuum_scale_factor": 0.2,
            "autovacuum_vacuum_insert_threshold": 1000, "autovacuum_vacuum_insert_scale_factor": 0.2,
            "autovacuum_analyze_threshold": 50, "autovacuum_analyze_scale_factor": 0.1,
        ]
        return (table.options[name] ?? settings[name]).flatMap(Double.init) ?? defaults[name] ?? 0
    }

    /// Why autovacuum would vacuum the table now (`500 dead rows > 50 + 20% of 1500 rows = 350`), or
    /// nil while it is below both triggers.
    public func vacuumDue(_ table: CatalogSnapshot.Table) -> String? {
        let rows = table.estimatedRows
        let deadTrigger =
            value("autovacuum_vacuum_threshold", table) + value("autovacuum_vacuum_scale_factor", table) * rows
        if table.deadRows > deadTrigger {
            return trigger(table.deadRows, "dead rows", "autovacuum_vacuum", deadTrigger, rows, table)
        }
        let insertThreshold = value("autovacuum_vacuum_insert_threshold", table)
        let insertTrigger = insertThreshold + value("autovacuum_vacuum_insert_scale_factor", table) * rows
        if insertThreshold >= 0, table.insertsSinceVacuum > insertTrigger {
            return trigger(
                table.insertsSinceVacuum, "rows inserted since the last vacuum", "autovacuum_vacuum_insert",
                insertTrigger, rows, table)
        }
        return nil
    }

    /// Why autovacuum would analyze the table now, or nil while it is below the trigger.
    public func analyzeDue(_ table: CatalogSnapshot.Table) -> String? {
        let rows = table.estimatedRows
        let analyzeTrigger =
            value("autovacuum_analyze_threshold", table) + value("autovacuum_analyze_scale_factor", table) * rows
        guard table.changesSinceAnalyze > analyzeTrigger else { return nil }
        return trigger(
            table.changesSinceAnalyze, "rows changed since the last analyze", "autovacuum_analyze", analyzeTrigger,
            rows, table)
    }

    func trigger(
        _ count: Double, _ what: String, _ prefix: String, _ total: Double, _ rows: Double,
        _ table: CatalogSnapshot.Table
    ) -> String {
        let threshold = NumberText.plain(value("\(prefix)_threshold", table))
        let scale = NumberText.plain((value("\(prefix)_scale_factor", table) * 1000).rounded() / 10)
        return
            "\(MaintenanceChecks.wholeNumber(count)) \(what) > \(threshold) + \(scale)% of \(MaintenanceChecks.wholeNumber(rows)) rows = \(MaintenanceChecks.wholeNumber(total))"
    }

    /// Why autovacuum will not take the table on its own; nil when it will, on its next visit.
    public func obstacle(_ table: CatalogSnapshot.Table) -> String? {
        if settings["autovacuum"] == "off" { return "autovacuum is off for the server (autovacuum = off)" }
        if settings["track_counts"] == "off" {
            return "track_counts is off, so autovacuum cannot see what changed"
        }
        if table.options["autovacuum_enabled"].map({ ["false", "off", "0", "no"].contains($0.lowercased()) }) == true {
            return "autovacuum is disabled for the table (autovacuum_enabled = false)"
        }
        if !launcherRunning { return "the autovacuum launcher is not running" }
        return nil
    }

    /// What "long enough" means here, for messages and notes.
    public var promise: String {
        "autovacuum visits each database every \(NumberText.plain(naptimeSeconds)) s (autovacuum_naptime) and takes a table once it is past its trigger"
    }
}
