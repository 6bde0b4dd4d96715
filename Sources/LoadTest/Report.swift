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
        var series: [Series] = [("A " + result.target, result.metrics, "#1f77b4")]
        if let other = result.compareMetrics, let target = result.compareTarget {
            series.append(("B " + target, other, "#d62728"))
        }
        var html = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Load test: \(escape(result.target))</title>
            <style>body{font-family:sans-serif;margin:2em;max-width:960px}table{border-collapse:collapse}
            td,th{border:1px solid #ccc;padding:3px 5px;text-align:right;font-size:0.85em}th{background:#f4f4f4}
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
        html += "<h2>Throughput and latency over time</h2>\n"
        html +=
            "<p>Each point is one second after warmup, drawn at its middle; the last second runs from its start to the last reply (replies that came after the send window count in it), so it is usually partial and drawn as a rate over that span.</p>\n"
        html += throughputPlot(series) + "<br>\n" + latencyPlot(series)
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
    static let height = 300.0
    static let left = 70.0
    static let right = 40.0
    static let top = 20.0
    static let bottom = 45.0
    typealias Series = (String, LoadTestResult.Metrics, String)

    /// X: percentile on a log scale of 1/(1-p) (50, 90, 99, 99.9, ...); Y: latency in ms.
    static func percentilePlot(_ series: [Series]) -> String {
        let maxMs = series.flatMap { $0.1.percentileCurve.map(\.ms) }.max() ?? 0
        let axis = Axis(maximum: maxMs)
        let maxX = 5.0
        func x(_ percentile: Double) -> Double {
            let tail = max(1 - percentile / 100, 1e-5)
            return left + min(-log10(tail), maxX) / maxX * (width - left - right)
        }
        var svg = open(label: "Latency by percentile")
        svg += yAxis(axis, unit: "latency (ms)")
        for (label, percentile) in [
            ("0", 0.0), ("90", 90), ("99", 99), ("99.9", 99.9), ("99.99", 99.99), ("99.999", 99.999),
        ] {
            svg += xTick(at: x(percentile), label: label + "%")
        }
        svg += xLabel("percentile (log scale of 1/(1-p))")
        for (index, (name, metrics, color)) in series.enumerated() {
            let points = metrics.percentileCurve.map { (x($0.percentile), y($0.ms, axis)) }
            svg += polyline(points, color: color)
            svg += legend(index: index, text: name, color: color, dash: nil)
        }
        return svg + "</svg>\n"
    }

    /// Requests per second over time: each second a rate, the last (partial) one over the part it covered.
    static func throughputPlot(_ series: [Series]) -> String {
        let end = timeEnd(series)
        let axis = Axis(maximum: series.flatMap { $0.1.timeline.map(\.requestsPerSecond) }.max() ?? 0)
        var svg = open(label: "Requests per second over time")
        svg += yAxis(axis, unit: "requests/s") + timeAxis(end: end)
        for (index, (name, metrics, color)) in series.enumerated() {
            svg += polyline(metrics.timeline.map { (timeX($0, end: end), y($0.requestsPerSecond, axis)) }, color: color)
            svg += legend(index: index, text: name, color: color, dash: nil)
        }
        return svg + "</svg>\n"
    }

    /// p50 (solid) and p99 (dashed) latency of each second's responses.
    static func latencyPlot(_ series: [Series]) -> String {
        let end = timeEnd(series)
        let busy = series.flatMap { $0.1.timeline.filter { $0.requests > 0 } }
        let axis = Axis(maximum: busy.map(\.p99Ms).max() ?? 0)
        var svg = open(label: "p50 and p99 latency per second")
        svg += yAxis(axis, unit: "latency (ms)") + timeAxis(end: end)
        var row = 0
        for (name, metrics, color) in series {
            let seconds = metrics.timeline.filter { $0.requests > 0 }
            svg += polyline(seconds.map { (timeX($0, end: end), y($0.p50Ms, axis)) }, color: color)
            svg += polyline(seconds.map { (timeX($0, end: end), y($0.p99Ms, axis)) }, color: color, dash: "6 4")
            svg += legend(index: row, text: "p50 " + name, color: color, dash: nil)
            svg += legend(index: row + 1, text: "p99 " + name, color: color, dash: "6 4")
            row += 2
        }
        return svg + "</svg>\n"
    }

    /// Where the timeline ends, in seconds after warmup (the last second may be partial).
    static func timeEnd(_ series: [Series]) -> Double {
        max(series.map { $0.1.timeline.last.map { Double($0.second) + $0.spanS } ?? 0 }.max() ?? 0, 1)
    }

    /// A second is drawn at the middle of the part of it that the run covered.
    static func timeX(_ second: LoadTestResult.Second, end: Double) -> Double {
        left + (Double(second.second) + second.spanS / 2) / end * (width - left - right)
    }

    static func y(_ value: Double, _ axis: Axis) -> Double {
        height - bottom - value / axis.top * (height - top - bottom)
    }

    static func open(label: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" font-size=\"11\" role=\"img\" aria-label=\"\(escape(label))\">"
            + "<line x1=\"\(left)\" y1=\"\(height - bottom)\" x2=\"\(width - right)\" y2=\"\(height - bottom)\" stroke=\"#444\"/>"
            + "<line x1=\"\(left)\" y1=\"\(top)\" x2=\"\(left)\" y2=\"\(height - bottom)\" stroke=\"#444\"/>"
    }

    /// Ticks, light grid lines and the unit of the y axis.
    static func yAxis(_ axis: Axis, unit: String) -> String {
        var svg = ""
        for value in axis.ticks {
            let position = format(y(value, axis))
            svg +=
                "<line x1=\"\(left - 5)\" y1=\"\(position)\" x2=\"\(width - right)\" y2=\"\(position)\" stroke=\"#e4e4e4\"/>"
            svg += "<line x1=\"\(left - 5)\" y1=\"\(position)\" x2=\"\(left)\" y2=\"\(position)\" stroke=\"#444\"/>"
            svg +=
                "<text x=\"\(left - 8)\" y=\"\(format(y(value, axis) + 4))\" text-anchor=\"end\">\(axis.label(value))</text>"
        }
        let middle = format(top + (height - top - bottom) / 2)
        svg +=
            "<text x=\"14\" y=\"\(middle)\" text-anchor=\"middle\" transform=\"rotate(-90 14 \(middle))\">\(escape(unit))</text>"
        return svg
    }

    static func timeAxis(end: Double) -> String {
        let axis = Axis(maximum: end, count: 10)
        var svg = ""
        for value in axis.ticks where value <= end + 1e-9 {
            svg += xTick(at: left + value / end * (width - left - right), label: axis.label(value))
        }
        return svg + xLabel("time after warmup (s)")
    }

    static func xTick(at x: Double, label: String) -> String {
        let position = format(x)
        return
            "<line x1=\"\(position)\" y1=\"\(height - bottom)\" x2=\"\(position)\" y2=\"\(height - bottom + 5)\" stroke=\"#444\"/>"
            + "<text x=\"\(position)\" y=\"\(format(height - bottom + 17))\" text-anchor=\"middle\">\(escape(label))</text>"
    }

    static func xLabel(_ text: String) -> String {
        "<text x=\"\(format(left + (width - left - right) / 2))\" y=\"\(format(height - 6))\" text-anchor=\"middle\">\(escape(text))</text>"
    }

    static func polyline(_ points: [(Double, Double)], color: String, dash: String? = nil) -> String {
        let list = points.map { "\(format($0.0)),\(format($0.1))" }.joined(separator: " ")
        let dashing = dash.map { " stroke-dasharray=\"\($0)\"" } ?? ""
        // A single point is drawn as a dot, so a one-second run still shows its value.
        let dot =
            points.count == 1
            ? "<circle cx=\"\(format(points[0].0))\" cy=\"\(format(points[0].1))\" r=\"3\" fill=\"\(color)\"/>" : ""
        return "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\"\(dashing) points=\"\(list)\"/>" + dot
    }

    static func legend(index: Int, text: String, color: String, dash: String?) -> String {
        let y = top + 6 + 14 * Double(index)
        let dashing = dash.map { " stroke-dasharray=\"\($0)\"" } ?? ""
        return
            "<line x1=\"\(format(width - right - 250))\" y1=\"\(format(y))\" x2=\"\(format(width - right - 228))\" y2=\"\(format(y))\" stroke=\"\(color)\" stroke-width=\"2\"\(dashing)/>"
            + "<text x=\"\(format(width - right - 222))\" y=\"\(format(y + 4))\">\(escape(String(text.prefix(40))))</text>"
    }

    static func format(_ value: Double) -> String { String(format: "%.1f", value) }

    /// A linear axis from 0 with "nice" ticks (1, 2 or 5 times a power of ten).
    struct Axis {
        let step: Double
        let top: Double
        let ticks: [Double]

        init(maximum: Double, count: Int = 5) {
            let span = maximum > 0 && maximum.isFinite ? maximum : 1
            let raw = span / Double(count)
            let power = pow(10, floor(log10(raw)))
            let step = [1.0, 2, 5, 10].map { $0 * power }.first { $0 >= raw } ?? 10 * power
            self.step = step
            let top = (span / step).rounded(.up) * step
            self.top = top
            ticks = (0...Int((top / step).rounded())).map { Double($0) * step }
        }

        func label(_ value: Double) -> String {
            if step >= 1 { return String(format: "%.0f", value) }
            let digits = Int(max(0, -floor(log10(step))))
            return String(format: "%.\(digits)f", value)
        }
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
