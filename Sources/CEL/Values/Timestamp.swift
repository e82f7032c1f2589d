/// A point in time with nanosecond precision, in the range CEL allows (years 0001 to 9999, UTC).
public struct Timestamp: Sendable, Hashable, Comparable {
    /// Nanoseconds since 1970-01-01T00:00:00Z.
    public var nanoseconds: Int128

    static let nanosPerSecond: Int128 = 1_000_000_000
    static let minimum = Timestamp(unchecked: Int128(-62_135_596_800) * nanosPerSecond)
    static let maximum = Timestamp(unchecked: Int128(253_402_300_799) * nanosPerSecond + 999_999_999)

    private init(unchecked nanoseconds: Int128) {
        self.nanoseconds = nanoseconds
    }

    /// A timestamp, or nil when outside 0001-01-01 … 9999-12-31.
    public init?(nanoseconds: Int128) {
        guard nanoseconds >= Self.minimum.nanoseconds, nanoseconds <= Self.maximum.nanoseconds else { return nil }
        self.nanoseconds = nanoseconds
    }

    public init?(secondsSinceEpoch seconds: Int64) {
        self.init(nanoseconds: Int128(seconds) * Self.nanosPerSecond)
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.nanoseconds < rhs.nanoseconds }

    /// Whole seconds since the epoch, rounding toward negative infinity.
    public var secondsSinceEpoch: Int64 {
        let (quotient, remainder) = nanoseconds.quotientAndRemainder(dividingBy: Self.nanosPerSecond)
        return Int64(remainder < 0 ? quotient - 1 : quotient)
    }

    var nanosOfSecond: Int64 { Int64(nanoseconds - Int128(secondsSinceEpoch) * Self.nanosPerSecond) }

    /// Parses RFC 3339, e.g. `2026-11-23T10:00:00Z` or `2026-11-23T10:00:00.5+01:00`.
    public init?(rfc3339 text: String) {
        let bytes = Array(text.utf8)
        var index = 0
        func number(_ digits: Int) -> Int? {
            guard index + digits <= bytes.count else { return nil }
            var value = 0
            for _ in 0..<digits {
                let byte = bytes[index]
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
                index += 1
            }
            return value
        }
        func expect(_ characters: String) -> Bool {
            guard index < bytes.count, characters.utf8.contains(bytes[index]) else { return false }
            index += 1
            return true
        }
        guard let year = number(4), expect("-"), let month = number(2), expect("-"), let day = number(2),
            expect("Tt"), let hour = number(2), expect(":"), let minute = number(2), expect(":"),
            let second = number(2)
        else { return nil }
        guard (1...12).contains(month), day >= 1, day <= Calendar.daysInMonth(year: year, month: month),
            hour < 24, minute < 60, second < 60
        else { return nil }
        var nanos = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            var digits = 0
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                if digits < 9 { nanos = nanos * 10 + Int(bytes[index] - 48) }
                digits += 1
                index += 1
            }
            guard digits > 0 else { return nil }
            for _ in digits..<max(digits, 9) { nanos *= 10 }
        }
        var offsetSeconds = 0
        if expect("Zz") {
            offsetSeconds = 0
        } else if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
            let sign = bytes[index] == UInt8(ascii: "-") ? -1 : 1
            index += 1
            guard let offsetHours = number(2), expect(":"), let offsetMinutes = number(2), offsetHours < 24, offsetMinutes < 60
            else { return nil }
            offsetSeconds = sign * (offsetHours * 3600 + offsetMinutes * 60)
        } else {
            return nil
        }
        guard index == bytes.count else { return nil }
        let days = Calendar.daysSinceEpoch(year: year, month: month, day: day)
        let seconds = Int128(days) * 86_400 + Int128(hour * 3600 + minute * 60 + second - offsetSeconds)
        self.init(nanoseconds: seconds * Self.nanosPerSecond + Int128(nanos))
    }

    /// RFC 3339 in UTC, with as many fractional digits as needed (none, 3, 6 or 9).
    public var rfc3339: String {
        let seconds = secondsSinceEpoch
        let days = Int(seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400)
        let secondOfDay = Int(seconds - Int64(days) * 86_400)
        let (year, month, day) = Calendar.civilDate(daysSinceEpoch: days)
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        var text = "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T"
        text += "\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2))"
        let nanos = Int(nanosOfSecond)
        if nanos != 0 {
            if nanos % 1_000_000 == 0 {
                text += "." + pad(nanos / 1_000_000, 3)
            } else if nanos % 1000 == 0 {
                text += "." + pad(nanos / 1000, 6)
            } else {
                text += "." + pad(nanos, 9)
            }
        }
        return text + "Z"
    }

    /// Calendar fields in UTC, for the timestamp accessor functions.
    var components: (year: Int, month: Int, day: Int, dayOfYear: Int, dayOfWeek: Int, hour: Int, minute: Int, second: Int, millisecond: Int)
    {
        let seconds = secondsSinceEpoch
        let days = Int(seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400)
        let secondOfDay = Int(seconds - Int64(days) * 86_400)
        let (year, month, day) = Calendar.civilDate(daysSinceEpoch: days)
        let dayOfYear = days - Calendar.daysSinceEpoch(year: year, month: 1, day: 1)
        let dayOfWeek = ((days % 7) + 11) % 7  // 1970-01-01 was a Thursday (4); Sunday is 0.
        return (
            year, month, day, dayOfYear, dayOfWeek, secondOfDay / 3600, secondOfDay / 60 % 60, secondOfDay % 60,
            Int(nanosOfSecond / 1_000_000)
        )
    }
}

/// Proleptic Gregorian calendar arithmetic (Howard Hinnant's days-from-civil algorithm).
enum Calendar {
    static func isLeapYear(_ year: Int) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civilDate(daysSinceEpoch days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
