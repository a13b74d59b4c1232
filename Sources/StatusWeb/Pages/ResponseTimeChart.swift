import Foundation
import Notify
import StatusModel

/// Draws hourly response times (p50 solid, p95 dashed: told apart without colour) as an SVG.
struct ResponseTimeChart {
    let timings: [HourlyTiming]
    let start: Date
    let end: Date
    let title: String
    let noDataText: String

    private let width = 640.0
    private let height = 180.0
    private let left = 56.0
    private let right = 12.0
    private let top = 14.0
    private let bottom = 26.0

    func svg() -> String {
        let hours = max(1, Int((end.timeIntervalSince(start) / 3600).rounded()))
        let highest = timings.map(\.p95Milliseconds).max() ?? 0
        let scale = Self.niceCeiling(max(highest, 1))
        func x(_ date: Date) -> Double {
            left + (width - left - right) * min(1, max(0, date.timeIntervalSince(start) / 3600 / Double(hours)))
        }
        func y(_ milliseconds: Double) -> Double { top + (height - top - bottom) * (1 - min(milliseconds, scale) / scale) }

        var body = ""
        body += line(x1: left, y1: y(0), x2: width - right, y2: y(0), style: "stroke:#999")
        body += line(x1: left, y1: y(scale), x2: width - right, y2: y(scale), style: "stroke:#ddd")
        body += text(Self.milliseconds(scale), x: left - 6, y: y(scale) + 4, anchor: "end")
        body += text("0 ms", x: left - 6, y: y(0) + 4, anchor: "end")
        if timings.isEmpty {
            body += text(noDataText, x: (left + width - right) / 2, y: height / 2, anchor: "middle")
        } else {
            body += path(points: timings.map { (x($0.hourStart.addingTimeInterval(1800)), y($0.p95Milliseconds), $0.hourStart) },
                         style: "fill:none;stroke:#b3261e;stroke-width:1.5;stroke-dasharray:5 3")
            body += path(points: timings.map { (x($0.hourStart.addingTimeInterval(1800)), y($0.p50Milliseconds), $0.hourStart) },
                         style: "fill:none;stroke:#0b4fa0;stroke-width:2")
        }
        body += line(x1: width - 190, y1: height - 8, x2: width - 170, y2: height - 8, style: "stroke:#0b4fa0;stroke-width:2")
        body += text("p50", x: width - 166, y: height - 4, anchor: "start")
        body += line(x1: width - 120, y1: height - 8, x2: width - 100, y2: height - 8, style: "stroke:#b3261e;stroke-width:1.5;stroke-dasharray:5 3")
        body += text("p95", x: width - 96, y: height - 4, anchor: "start")
        return """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(Int(width)) \(Int(height))" width="\(Int(width))" height="\(Int(height))" role="img" aria-label="\(Self.escape(title))">\
            <title>\(Self.escape(title))</title>\
            <style>text{font:11px system-ui,sans-serif;fill:#333}</style>\(body)</svg>
            """
    }

    /// A polyline broken wherever an hour has no data, so gaps stay visible.
    private func path(points: [(x: Double, y: Double, hour: Date)], style: String) -> String {
        var commands = ""
        var previous: Date?
        for point in points {
            let continues = previous.map { point.hour.timeIntervalSince($0) <= 3600.5 } ?? false
            commands += String(format: "%@%.1f %.1f ", continues ? "L" : "M", point.x, point.y)
            previous = point.hour
        }
        return "<path d=\"\(commands)\" style=\"\(style)\"/>"
    }

    private func line(x1: Double, y1: Double, x2: Double, y2: Double, style: String) -> String {
        String(format: "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" style=\"%@\"/>", x1, y1, x2, y2, style)
    }

    private func text(_ content: String, x: Double, y: Double, anchor: String) -> String {
        String(format: "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%@\">%@</text>", x, y, anchor, Self.escape(content))
    }

    static func milliseconds(_ value: Double) -> String {
        value >= 1000 ? String(format: "%.1f s", value / 1000) : "\(Int(value.rounded())) ms"
    }

    /// 1, 2 or 5 times a power of ten, at or above `value`.
    static func niceCeiling(_ value: Double) -> Double {
        let power = pow(10, floor(log10(value)))
        for step in [1.0, 2, 5, 10] where step * power >= value { return step * power }
        return 10 * power
    }

    static func escape(_ text: String) -> String { HTMLText.escape(text) }
}
