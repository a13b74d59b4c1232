import Foundation

/// ISO 8601 dates of an import file: "2024-03-05T14:30:00Z", with an offset ("+01:00",
/// "+0100"), fractions of a second, a space for the "T", minutes only, or the day alone. A date
/// without an offset is a local time of the deployment's time zone. Read by hand: an import
/// of a million tickets reads eleven million dates, and a formatter per date costs seconds.
enum ImportDate {
    static func parse(_ text: String, timeZone: TimeZone) -> Date? {
        let bytes = Array(text.utf8)
        var index = 0
        func number(_ digits: Int) -> Int? {
            guard index + digits <= bytes.count else { return nil }
            var value = 0
            for offset in 0..<digits {
                let byte = bytes[index + offset]
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            index += digits
            return value
        }
        func skip(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }
        guard let year = number(4), skip(UInt8(ascii: "-")), let month = number(2), skip(UInt8(ascii: "-")), let day = number(2),
              (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year), year >= 1970 else { return nil }
        var hour = 0, minute = 0, second = 0
        var fraction = 0.0
        var offset: Int?
        if index < bytes.count {
            guard skip(UInt8(ascii: "T")) || skip(UInt8(ascii: "t")) || skip(UInt8(ascii: " ")) else { return nil }
            guard let h = number(2), skip(UInt8(ascii: ":")), let m = number(2), h < 24, m < 60 else { return nil }
            hour = h
            minute = m
            if skip(UInt8(ascii: ":")) {
                guard let s = number(2), s < 61 else { return nil }
                second = min(s, 59)
                if skip(UInt8(ascii: ".")) || skip(UInt8(ascii: ",")) {
                    var scale = 0.1
                    var digits = 0
                    while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                        fraction += Double(bytes[index] - 48) * scale
                        scale /= 10
                        index += 1
                        digits += 1
                    }
                    guard digits > 0 else { return nil }
                }
            }
            if skip(UInt8(ascii: "Z")) || skip(UInt8(ascii: "z")) {
                offset = 0
            } else if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                let sign = bytes[index] == UInt8(ascii: "-") ? -1 : 1
                index += 1
                guard let oh = number(2), oh <= 18 else { return nil }
                _ = skip(UInt8(ascii: ":"))
                let om = index < bytes.count ? number(2) : 0
                guard let om, om < 60 else { return nil }
                offset = sign * (oh * 3600 + om * 60)
            }
            guard index == bytes.count else { return nil }
        }
        let local = Double(daysSince1970(year: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60 + second) + fraction
        if let offset { return Date(timeIntervalSince1970: local - Double(offset)) }
        // A local time: the zone's offset at about that moment, then checked once more (DST).
        let guess = Date(timeIntervalSince1970: local - Double(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: local))))
        return Date(timeIntervalSince1970: local - Double(timeZone.secondsFromGMT(for: guess)))
    }

    private static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days from 1970-01-01 to the date (Howard Hinnant's days_from_civil).
    private static func daysSince1970(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
