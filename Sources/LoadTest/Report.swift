import BackendCore
import Foundation

extension LoadTestResult {
    /// The 200-word digest: verdict, throughput, percentiles, statuses, errors, comparison, next step.
    public var digest: Digest {
        let headline: String
        switch status {
        case "unreachable":
            headline =
                metrics.errors.tls > 0
                ? "Load test: \(target) unreachable (\(metrics.errors.tls) TLS handshakes failed)"
                : "Load test: \(target) unreachable (\(metrics.errors.connect) connect errors)"
        case "failed": headline = "Load test FAILED: \(target)"
        default: headline = "Load test passed: \(target)"
        }
        var digest = Digest(headline)
        digest.add(Self.line(label: compareTarget == nil ? nil : "A", metrics, model: model, settings: settings))
        if let compareTarget, let compareMetrics {
            digest.add("B = \(compareTarget)")
            digest.add(Self.line(label: "B", compareMetrics, model: model, settings: settings))
        }
        for expectation in expectations {
            digest.bullet("\(expectation.name): \(expectation.passed ? "passed" : "FAILED"): \(expectation.detail)")
        }
        if let comparison {
            digest.bullet("Compare: \(comparison.verdict)")
            for change in comparison.metrics where change.beyondNoise { digest.bullet(change.summary) }
        }
        if let rateLimit, !expectations.contains(where: { $0.name == "expect_rate_limit" }), rateLimit.limited {
            digest.bullet("Rate limited: \(rateLimit.count429) x 429 (\(percent(rateLimit.share)))")
        }
        if !files.isEmpty { digest.add("Files: \(files.joined(separator: ", "))") }
        digest.next(nextStep)
        return digest
    }

    static func line(label: String?, _ metrics: Metrics, model: String, settings: Settings) -> String {
        let latency = metrics.latencyMs
        let statuses = metrics.statusCounts.map { "\($0.status): \($0.count)" }.joined(separator: ", ")
        let errors = metrics.errors
        var text = label.map { "\($0): " } ?? ""
        text +=
            "\(String(format: "%.0f", metrics.requestsPerSecond)) req/s, \(metrics.requests) responses in \(String(format: "%.1f", metrics.elapsedS)) s (\(model) model, \(settings.concurrency) connections"
            + (settings.rate.map { ", \(String(format: "%.0f", $0))/s intended" } ?? "") + "). "
        text +=
            "Latency p50 \(ms(latency.p50)), p90 \(ms(latency.p90)), p99 \(ms(latency.p99)), p99.9 \(ms(latency.p99_9)), max \(ms(latency.max)). "
        text += "Status \(statuses.isEmpty ? "none" : statuses). "
        if errors.total > 0 {
            text +=
                "Errors: connect \(errors.connect), timeout \(errors.timeout), read \(errors.read), write \(errors.write), parse \(errors.parse), tls \(errors.tls). "
        }
        if let failure = metrics.tlsFailure { text += "TLS: \(failure). " }
        if let failure = metrics.parseFailure { text += "Not HTTP/1.1: \(failure). " }
        if metrics.reconnects > 0 { text += "Reconnects \(metrics.reconnects). " }
        if metrics.lateSends > 0 || metrics.unsent > 0 {
            text += "Sent late \(metrics.lateSends), never sent \(metrics.unsent). "
        }
        text += "Generator CPU \(String(format: "%.0f", metrics.generatorCpu.percentOfOneCore))% of a core."
        return text
    }
}

/// A self-contained HTML page: the figures, an SVG percentile plot and the per-second timeline.
enum HTMLReport {
    static func render(_ result: LoadTestResult) -> String {
        var series: [(String, LoadTestResult.Metrics, String)] = [("A " + result.target, result.metrics, "#1f77b4")]
        if let other = result.compareMetrics, let target = result.compareTarget {
            series.append(("B " + target, other, "#d62728"))
        }
        var html = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Load test: \(escape(result.target))</title>
            <style>body{font-family:sans-serif;margin:2em;max-width:960px}table{border-collapse:collapse}
            td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}th{background:#f4f4f4}
            .failed{color:#b00}.passed{color:#070}</style></head><body>
            <h1>Load test <span class="\(result.passed ? "passed" : "failed")">\(escape(result.status))</span></h1>
            <p>\(escape(result.method)) \(escape(result.target)) &mdash; \(escape(result.model)) model, \(result.settings.concurrency) connections, \(result.settings.threads) event loops</p>

            """
        html += "<table><tr><th>run</th><th>req/s</th><th>responses</th><th>errors</th>"
        for name in ["p50", "p75", "p90", "p95", "p99", "p99.9", "max"] { html += "<th>\(name) ms</th>" }
        html += "</tr>\n"
        for (name, metrics, _) in series {
            let l = metrics.latencyMs
            html += "<tr><td>\(escape(name))</td><td>\(String(format: "%.0f", metrics.requestsPerSecond))</td>"
            html += "<td>\(metrics.requests)</td><td>\(metrics.failed)</td>"
            for value in [l.p50, l.p75, l.p90, l.p95, l.p99, l.p99_9, l.max] {
                html += "<td>\(String(format: "%.3f", value))</td>"
            }
            html += "</tr>\n"
        }
        html += "</table>\n<h2>Latency by percentile</h2>\n" + percentilePlot(series)
        html += "<h2>Requests per second over time</h2>\n" + timelinePlot(series)
        if let comparison = result.comparison {
            html += "<h2>Comparison</h2><p>\(escape(comparison.verdict))</p><ul>"
            for change in comparison.metrics { html += "<li>\(escape(change.summary))</li>" }
            html += "</ul>\n"
        }
        if !result.expectations.isEmpty {
            html += "<h2>Expectations</h2><ul>"
            for item in result.expectations {
                html +=
                    "<li class=\"\(item.passed ? "passed" : "failed")\">\(escape(item.name)): \(item.passed ? "passed" : "failed") &mdash; \(escape(item.detail))</li>"
            }
            html += "</ul>\n"
        }
        html += "<h2>Status codes and errors</h2><ul>"
        for (name, metrics, _) in series {
            let statuses = metrics.statusCounts.map { "\($0.status): \($0.count)" }.joined(separator: ", ")
            let e = metrics.errors
            html +=
                "<li>\(escape(name)): \(escape(statuses)); errors connect \(e.connect), timeout \(e.timeout), read \(e.read), write \(e.write), parse \(e.parse), tls \(e.tls); reconnects \(metrics.reconnects); generator CPU \(String(format: "%.1f", metrics.generatorCpu.microsPerRequest)) µs per request</li>"
        }
        html += "</ul>\n<p>\(escape(result.nextStep))</p>\n</body></html>\n"
        return html
    }

    static let width = 720.0
    static let height = 320.0
    static let margin = 50.0

    /// X: percentile on a log scale of 1/(1-p) (50, 90, 99, 99.9, ...); Y: latency in ms.
    static func percentilePlot(_ series: [(String, LoadTestResult.Metrics, String)]) -> String {
        let maxMs = max(series.flatMap { $0.1.percentileCurve.map(\.ms) }.max() ?? 1, 0.001)
        let maxX = 5.0
        func x(_ percentile: Double) -> Double {
            let tail = max(1 - percentile / 100, 1e-5)
            return margin + min(-log10(tail), maxX) / maxX * (width - 2 * margin)
        }
        func y(_ value: Double) -> Double { height - margin - value / maxMs * (height - 2 * margin) }
        var svg =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" font-size=\"11\">"
        svg += axes()
        for (label, percentile) in [
            ("0", 0.0), ("90", 90), ("99", 99), ("99.9", 99.9), ("99.99", 99.99), ("99.999", 99.999),
        ] {
            svg += "<text x=\"\(x(percentile))\" y=\"\(height - margin + 15)\" text-anchor=\"middle\">\(label)%</text>"
        }
        for step in 0...4 {
            let value = maxMs * Double(step) / 4
            svg +=
                "<text x=\"\(margin - 5)\" y=\"\(y(value) + 4)\" text-anchor=\"end\">\(String(format: "%.1f", value))</text>"
        }
        svg += "<text x=\"\(width / 2)\" y=\"\(height - 8)\" text-anchor=\"middle\">percentile</text>"
        svg += "<text x=\"12\" y=\"\(margin - 15)\">ms</text>"
        for (index, (name, metrics, color)) in series.enumerated() {
            let points = metrics.percentileCurve.map {
                "\(String(format: "%.1f", x($0.percentile))),\(String(format: "%.1f", y($0.ms)))"
            }
            svg +=
                "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\" points=\"\(points.joined(separator: " "))\"/>"
            svg +=
                "<text x=\"\(margin + 10)\" y=\"\(margin + 14 * Double(index))\" fill=\"\(color)\">\(escape(name))</text>"
        }
        return svg + "</svg>\n"
    }

    static func timelinePlot(_ series: [(String, LoadTestResult.Metrics, String)]) -> String {
        let seconds = max(series.map { $0.1.timeline.count }.max() ?? 1, 1)
        let peak = max(Double(series.flatMap { $0.1.timeline.map(\.requests) }.max() ?? 1), 1)
        func x(_ second: Double) -> Double { margin + second / Double(seconds) * (width - 2 * margin) }
        func y(_ value: Double) -> Double { height - margin - value / peak * (height - 2 * margin) }
        var svg =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" font-size=\"11\">"
        svg += axes()
        svg += "<text x=\"\(margin - 5)\" y=\"\(y(peak) + 4)\" text-anchor=\"end\">\(Int(peak))</text>"
        svg += "<text x=\"\(width / 2)\" y=\"\(height - 8)\" text-anchor=\"middle\">second (after warmup)</text>"
        for (_, metrics, color) in series {
            let points = metrics.timeline.map {
                "\(String(format: "%.1f", x(Double($0.second) + 0.5))),\(String(format: "%.1f", y(Double($0.requests))))"
            }
            svg +=
                "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\" points=\"\(points.joined(separator: " "))\"/>"
        }
        return svg + "</svg>\n"
    }

    static func axes() -> String {
        "<line x1=\"\(margin)\" y1=\"\(height - margin)\" x2=\"\(width - margin)\" y2=\"\(height - margin)\" stroke=\"#444\"/>"
            + "<line x1=\"\(margin)\" y1=\"\(margin)\" x2=\"\(margin)\" y2=\"\(height - margin)\" stroke=\"#444\"/>"
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
