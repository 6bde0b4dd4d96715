import BackendCore

/// Arguments a tool call can start with, read from the concern where the text says them plainly
/// (a URL, "200 concurrent users", "team of 6", a quoted SELECT), and the ones the caller still has to give.
///
/// Connection strings are never copied from the concern: they may hold a password.
enum ArgumentHints {
    static func arguments(tool: String, text: String, concepts: Set<String>) -> (JSONObject, [String]) {
        var arguments = JSONObject()
        var needs: [String] = []
        let lowered = text.lowercased()
        switch tool {
        case "load_test":
            if let url = firstURL(in: text) { arguments["url"] = .string(url) } else { needs.append("url") }
            if let users = number(
                before: /\s*(?:concurrent|simultaneous|parallel)?\s*(?:users|connections|clients|shoppers|visitors)\b/,
                in: lowered)
            {
                arguments["concurrency"] = .integer(users)
            }
            if let rate = number(
                before: /\s*(?:rps|req\/s|requests per second|requests\/s|requests a second)\b/, in: lowered)
            {
                arguments["rate"] = .integer(rate)
            }
            if let match = lowered.firstMatch(of: /\bfor (\d{1,4}) ?(s|sec|secs|seconds|min|mins|minutes)\b/),
                let value = Int(match.1)
            {
                arguments["duration"] = .integer(match.2.hasPrefix("m") ? value * 60 : value)
            }
            if let match = lowered.firstMatch(of: /p99[^0-9]{0,30}?(\d{1,6}) ?ms/), let value = Int(match.1) {
                arguments["max_p99_ms"] = .integer(value)
            }
            if concepts.contains("rate-limit") { arguments["expect_rate_limit"] = .bool(true) }
            if concepts.contains("bad-input"), lowered.contains("400") { arguments["expect_status"] = .integer(400) }
            if concepts.contains("regression") { needs.append("baseline") }
        case "analyze_schema":
            if let sql = sqlStatement(in: text) { arguments["explain"] = .string(sql) }
            if concepts.contains("query-plan") || concepts.contains("query") || concepts.contains("index")
                || concepts.contains("optimize")
            {
                arguments["suggest_indexes"] = .bool(true)
            }
        case "plan_migration":
            if let file = path(endingIn: [".sql"], in: text) {
                arguments["target"] = .string(file)
            } else {
                needs.append("target")
            }
        case "apply_migration":
            if let file = path(endingIn: [".sql"], in: text) ?? folder(named: "migrations", in: text) {
                arguments["files"] = .array([.string(file)])
            } else {
                needs.append("files")
            }
            arguments["dry_run"] = .bool(!(lowered.contains("rollback") || lowered.contains("roll back")))
            if lowered.contains("rollback") || lowered.contains("roll back") { arguments["rollback"] = .bool(true) }
        case "grill_next_question", "decide_profile":
            if tool == "grill_next_question" { needs.append("session") }
            if let size = lowered.firstMatch(of: /team of (\d{1,4})\b/).flatMap({ Int($0.1) })
                ?? number(before: /\s*(?:engineers|developers|devs|backend engineers)\b/, in: lowered)
            {
                arguments["team_size"] = .integer(size)
            } else if let word = lowered.firstMatch(
                of: /team of (two|three|four|five|six|seven|eight|nine|ten|twelve)\b/)
            {
                let numbers = [
                    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                    "nine": 9, "ten": 10, "twelve": 12,
                ]
                if let size = numbers[String(word.1)] { arguments["team_size"] = .integer(size) }
            }
            if let pattern = onlyPattern(in: lowered) { arguments["pattern"] = .string(pattern) }
        case "scaffold":
            needs.append("output")
            if let framework = ["express", "fastify", "koa"].first(where: { lowered.contains($0) }) {
                arguments["framework"] = .string(framework)
            }
            if concepts.contains("spec-from-routes") {
                needs.append("generate_spec")
            } else if concepts.contains("crud-from-db"), !concepts.contains("spec") {
                needs.append("from_db")
            } else if let file = path(endingIn: [".yaml", ".yml", ".json"], in: text) {
                arguments["spec"] = .string(file)
            } else {
                needs.append("spec")
            }
        default:
            break
        }
        return (arguments, needs)
    }

    static func firstURL(in text: String) -> String? {
        guard let match = text.firstMatch(of: #/https?://[^\s"'<>`]+/#) else { return nil }
        let url = String(match.0).trimmingTrailing(".,;:!?)")
        // A URL with credentials is not repeated (user:password@host).
        return url.contains("@") ? nil : url
    }

    static func number(before unit: some RegexComponent, in text: String) -> Int? {
        for match in text.matches(of: /(\d[\d,]{0,8})(k?)/) {
            let rest = text[match.range.upperBound...]
            guard rest.prefixMatch(of: unit) != nil else { continue }
            guard let value = Int(match.1.replacingOccurrences(of: ",", with: "")) else { continue }
            return match.2.isEmpty ? value : value * 1000
        }
        return nil
    }

    static func sqlStatement(in text: String) -> String? {
        guard let match = text.firstMatch(of: #/(?i)\b(select|with)\b[^;]*?\bfrom\b[^;`"]*/#) else { return nil }
        var sql = String(match.0)
        // The sentence goes on after the statement ("... LIMIT 10 is slow"): cut at the first plain English verb.
        if let tail = sql.firstMatch(
            of: #/(?i)\s+(?:is|was|takes|took|runs|seems|got|became|keeps)\s+(?!null\b|not\b)/#)
        {
            sql = String(sql[..<tail.range.lowerBound])
        }
        sql = sql.trimmingTrailing(" .?!\n")
        return sql.split(separator: " ").count >= 4 ? sql : nil
    }

    static func path(endingIn extensions: [String], in text: String) -> String? {
        for token in text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "`" || $0 == "\"" }) {
            let word = String(token).trimmingTrailing(".,;:!?)")
            if extensions.contains(where: { word.lowercased().hasSuffix($0) }), !word.contains("://") { return word }
        }
        return nil
    }

    static func folder(named name: String, in text: String) -> String? {
        for token in text.split(separator: " ") where token.hasPrefix(name + "/") || token == name + "/" {
            return String(token).trimmingTrailing(".,;:!?)")
        }
        return nil
    }

    /// The decision engine's pattern when the text names exactly one.
    static func onlyPattern(in text: String) -> String? {
        var found: [String] = []
        if text.contains("modular monolith") || text.contains("modular-monolith") {
            found.append("modular-monolith")
        } else if text.contains("monolith") && !text.contains("split") && !text.contains("break") {
            found.append("monolith")
        }
        if text.contains("microservice") || text.contains("micro-service") { found.append("microservices") }
        if text.contains("serverless") { found.append("serverless") }
        return found.count == 1 ? found[0] : nil
    }
}

extension String {
    func trimmingTrailing(_ characters: String) -> String {
        var text = self
        while let last = text.last, characters.contains(last) { text.removeLast() }
        return text
    }
}
