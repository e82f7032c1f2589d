/// A length of time for people: `45 s`, `4 min 10 s`, `5 min`, `3 h 5 min`, `1 h`.
public func readableDuration(_ seconds: Double) -> String {
    let whole = Int(max(0, seconds).rounded())
    func pair(_ major: Int, _ majorUnit: String, _ minor: Int, _ minorUnit: String) -> String {
        minor == 0 ? "\(major) \(majorUnit)" : "\(major) \(majorUnit) \(minor) \(minorUnit)"
    }
    if whole < 120 { return "\(whole) s" }
    if whole < 3_600 { return pair(whole / 60, "min", whole % 60, "s") }
    return pair(whole / 3_600, "h", whole % 3_600 / 60, "min")
}
