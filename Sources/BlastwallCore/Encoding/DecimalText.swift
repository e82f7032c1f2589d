/// Numbers for people: rounded to `places` decimals, without trailing zeros (`2.5`, `40`, `0.025`).
public func decimalText(_ value: Double, places: Int = 3) -> String {
    guard value.isFinite else { return value.isNaN ? "NaN" : value > 0 ? "∞" : "-∞" }
    var scale = 1.0
    for _ in 0..<max(0, places) { scale *= 10 }
    let rounded = (value * scale).rounded() / scale
    if rounded == rounded.rounded(), abs(rounded) < 1e15 { return String(Int64(rounded)) }
    return String(rounded)
}
