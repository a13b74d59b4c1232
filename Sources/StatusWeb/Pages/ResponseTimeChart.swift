import Foundation
import Notify
import StatusModel

/// Draws hourly response times as an SVG: p50 a solid line with filled dots, p95 a dashed line
/// with hollow dots (told apart without colour), a dot for every hour while they stand apart, so one hour of data
/// already shows, time ticks below, millisecond ticks on the left and the range in the title.
struct ResponseTimeChart {
    let timings: [HourlyTiming]
    let start: Date
    let end: Date
    let title: String
    let noDataText: String
    var timeZone = TimeZone(identifier: "UTC") ?? .current
    var locale = Locale(identifier: "fr_FR")

    static let width = 640.0
    static let height = 200.0
    private let left = 64.0
    private let right = 14.0
    private let top = 30.0
    private let bottom = 46.0

    private var plotBottom: Double { Self.height - bottom }
    private var plotRight: Double { Self.width - right }

    func svg() -> String {
        let span = max(3600, end.timeIntervalSince(start))
        let highest = timings.map(\.p95Milliseconds).max() ?? 0
        let scale = Self.niceCeiling(max(highest, 1))
        func x(_ date: Date) -> Double { left + (plotRight - left) * min(1, max(0, date.timeIntervalSince(start) / span)) }
        func y(_ milliseconds: Double) -> Double { top + (plotBottom - top) * (1 - min(milliseconds, scale) / scale) }

        var body = text(title, x: left, y: 18, anchor: "start", className: "title")
        // Millisecond ticks: 0, half and the top of the scale, with light grid lines.
        for value in [0, scale / 2, scale] {
            body += line(x1: left, y1: y(value), x2: plotRight, y2: y(value), className: value == 0 ? "axis" : "grid")
            body += text(Self.milliseconds(value), x: left - 6, y: y(value) + 5, anchor: "end", className: "tick")
        }
        body += line(x1: left, y1: top, x2: left, y2: plotBottom, className: "axis")
        // Time ticks at round local hours (a short range) or at midnights (days), labelled sparsely.
        for tick in timeTicks(span: span) {
            let position = x(tick.date)
            body += line(x1: position, y1: plotBottom, x2: position, y2: plotBottom + (tick.label == nil ? 3 : 5), className: "axis")
            if let label = tick.label {
                body += text(label, x: position, y: plotBottom + 19, anchor: "middle", className: "tick")
            }
        }
        if timings.isEmpty {
            body += text(noDataText, x: (left + plotRight) / 2, y: (top + plotBottom) / 2, anchor: "middle", className: "empty")
        } else {
            func points(_ value: (HourlyTiming) -> Double) -> [(x: Double, y: Double, hour: Date)] {
                timings.map { (x(min(end, $0.hourStart.addingTimeInterval(1800))), y(value($0)), $0.hourStart) }
            }
            let p95 = points(\.p95Milliseconds)
            let p50 = points(\.p50Milliseconds)
            body += path(points: p95, className: "p95")
            body += path(points: p50, className: "p50")
            // A dot per hour while they stand apart (a day); over weeks they would merge into a
            // band hiding the lines, so only hours without a neighbour keep theirs, to stay visible.
            let spacious = Double(timings.count) * 8 <= plotRight - left
            let hours = Set(timings.map(\.hourStart))
            let dotted = { (point: (x: Double, y: Double, hour: Date)) in
                spacious || (!hours.contains(point.hour.addingTimeInterval(-3600)) && !hours.contains(point.hour.addingTimeInterval(3600)))
            }
            body += p95.filter(dotted).map { circle(x: $0.x, y: $0.y, className: "dot95") }.joined()
            body += p50.filter(dotted).map { circle(x: $0.x, y: $0.y, className: "dot50") }.joined()
        }
        let legendY = Self.height - 10
        body += line(x1: plotRight - 150, y1: legendY - 4, x2: plotRight - 130, y2: legendY - 4, className: "p50")
        body += circle(x: plotRight - 140, y: legendY - 4, className: "dot50")
        body += text("p50", x: plotRight - 124, y: legendY, anchor: "start", className: "tick")
        body += line(x1: plotRight - 80, y1: legendY - 4, x2: plotRight - 60, y2: legendY - 4, className: "p95")
        body += circle(x: plotRight - 70, y: legendY - 4, className: "dot95")
        body += text("p95", x: plotRight - 54, y: legendY, anchor: "start", className: "tick")
        return """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(Int(Self.width)) \(Int(Self.height))" width="\(Int(Self.width))" height="\(Int(Self.height))" role="img" aria-label="\(Self.escape(title))">\
            <title>\(Self.escape(title))</title>\
            <style>text{font:13px system-ui,sans-serif;fill:#333}.title{font-weight:600;font-size:14px}.empty{fill:#555;font-size:14px}\
            .axis{stroke:#777;stroke-width:1}.grid{stroke:#e2e2e2;stroke-width:1}\
            .p50{fill:none;stroke:#0b4fa0;stroke-width:2}.p95{fill:none;stroke:#b3261e;stroke-width:1.5;stroke-dasharray:5 3}\
            .dot50{fill:#0b4fa0;stroke:#0b4fa0;stroke-width:1}.dot95{fill:#fff;stroke:#b3261e;stroke-width:1.5}</style>\(body)</svg>
            """
    }

    /// Ticks along the time axis: every 6 local hours, labelled "14:00", for a day or so; every
    /// local midnight for longer ranges, a label ("20 nov.") on about six of them.
    func timeTicks(span: TimeInterval) -> [(date: Date, label: String?)] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let formatter = DateFormatter()
        formatter.locale = locale
        formatter.timeZone = timeZone
        let hourly = span <= 36 * 3600
        formatter.setLocalizedDateFormatFromTemplate(hourly ? "HHmm" : "dMMM")
        let days = Int((span / 86_400).rounded(.up))
        let labelEvery = max(1, Int((Double(days) / 6).rounded(.up)))
        var ticks: [(Date, String?)] = []
        var moment = calendar.dateInterval(of: .hour, for: start)?.start ?? start
        var midnights = 0
        while moment <= end {
            let hour = calendar.component(.hour, from: moment)
            if moment >= start {
                if hourly, hour % 6 == 0 {
                    ticks.append((moment, formatter.string(from: moment)))
                } else if !hourly, hour == 0 {
                    ticks.append((moment, midnights % labelEvery == 0 ? formatter.string(from: moment) : nil))
                    midnights += 1
                }
            }
            moment.addTimeInterval(3600)
        }
        return ticks
    }

    /// A polyline broken wherever an hour has no data, so gaps stay visible; the dots show hours
    /// that have no neighbour.
    private func path(points: [(x: Double, y: Double, hour: Date)], className: String) -> String {
        var commands = ""
        var previous: Date?
        for point in points {
            let continues = previous.map { point.hour.timeIntervalSince($0) <= 3600.5 } ?? false
            commands += String(format: "%@%.1f %.1f ", continues ? "L" : "M", point.x, point.y)
            previous = point.hour
        }
        return "<path d=\"\(commands)\" class=\"\(className)\"/>"
    }

    private func line(x1: Double, y1: Double, x2: Double, y2: Double, className: String) -> String {
        String(format: "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"%@\"/>", x1, y1, x2, y2, className)
    }

    /// p95's ring is wider than p50's dot: where both are equal (one measurement) both still show.
    private func circle(x: Double, y: Double, className: String) -> String {
        String(format: "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%@\" class=\"%@\"/>", x, y, className == "dot95" ? "4.5" : "2.6", className)
    }

    private func text(_ content: String, x: Double, y: Double, anchor: String, className: String) -> String {
        String(format: "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%@\" class=\"%@\">%@</text>", x, y, anchor, className, Self.escape(content))
    }

    static func milliseconds(_ value: Double) -> String {
        if value >= 1000 { return String(format: "%.1f s", value / 1000) }
        if value > 0, value < 10, value.rounded() != value { return String(format: "%.1f ms", value) }
        return "\(Int(value.rounded())) ms"
    }

    /// 1, 2 or 5 times a power of ten, at or above `value`.
    static func niceCeiling(_ value: Double) -> Double {
        let power = pow(10, floor(log10(value)))
        for step in [1.0, 2, 5, 10] where step * power >= value { return step * power }
        return 10 * power
    }

    static func escape(_ text: String) -> String { HTMLText.escape(text) }
}
