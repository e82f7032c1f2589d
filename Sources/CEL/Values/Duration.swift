/// A signed span of time with nanosecond precision, within CEL's range of ±10,000 years.
public struct Duration: Sendable, Hashable, Comparable {
    public var nanoseconds: Int128

    static let limit = Int128(315_576_000_000) * 1_000_000_000

    /// A duration, or nil when beyond ±315,576,000,000 seconds.
    public init?(nanoseconds: Int128) {
        guard nanoseconds.magnitude <= Self.limit.magnitude else { return nil }
        self.nanoseconds = nanoseconds
    }

    public init?(seconds: Int64) {
        self.init(nanoseconds: Int128(seconds) * 1_000_000_000)
    }

    public static func < (lhs: Duration, rhs: Duration) -> Bool { lhs.nanoseconds < rhs.nanoseconds }

    private static let units: [(suffix: String, nanoseconds: Int128)] = [
        ("h", 3_600_000_000_000), ("ms", 1_000_000), ("us", 1000), ("µs", 1000), ("ns", 1), ("m", 60_000_000_000),
        ("s", 1_000_000_000),
    ]

    /// Parses Go-style durations such as `90s`, `1h30m`, `-1.5h`, `250ms`.
    public init?(parsing text: String) {
        var rest = Substring(text)
        var negative = false
        if rest.first == "-" || rest.first == "+" {
            negative = rest.first == "-"
            rest = rest.dropFirst()
        }
        if rest == "0" {
            self.init(nanoseconds: 0)
            return
        }
        guard !rest.isEmpty else { return nil }
        var total: Int128 = 0
        while !rest.isEmpty {
            let numberText = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard !numberText.isEmpty, numberText != "." else { return nil }
            rest = rest.dropFirst(numberText.count)
            guard let unit = Self.units.first(where: { rest.hasPrefix($0.suffix) }) else { return nil }
            rest = rest.dropFirst(unit.suffix.count)
            let parts = numberText.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count <= 2, let whole = Int128(parts[0].isEmpty ? "0" : String(parts[0])) else { return nil }
            // Checked before multiplying: a number of any size must give nil, never an overflow trap.
            let (product, overflow) = whole.multipliedReportingOverflow(by: unit.nanoseconds)
            guard !overflow, product <= Self.limit else { return nil }
            var amount = product
            if parts.count == 2, !parts[1].isEmpty {
                var scale = unit.nanoseconds
                for digit in parts[1] {
                    scale /= 10
                    amount += Int128(digit.wholeNumberValue ?? 0) * scale
                }
            }
            total += amount
            guard total <= Self.limit else { return nil }
        }
        self.init(nanoseconds: negative ? -total : total)
    }

    /// The canonical CEL text form: seconds with a fraction when needed, e.g. `90s`, `1.5s`.
    public var description: String {
        let sign = nanoseconds < 0 ? "-" : ""
        let magnitude = nanoseconds.magnitude
        let seconds = magnitude / 1_000_000_000
        let nanos = magnitude % 1_000_000_000
        guard nanos != 0 else { return "\(sign)\(seconds)s" }
        var fraction = String(nanos)
        fraction = String(repeating: "0", count: 9 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return "\(sign)\(seconds).\(fraction)s"
    }
}
