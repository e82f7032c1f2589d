import BlastwallCore
import Foundation

/// How charts write numbers and text into SVG: the same input always gives the same characters, so a chart
/// can be compared as text in tests.
enum ChartText {
    /// A coordinate, to a tenth of a pixel.
    static func coordinate(_ value: Double) -> String { decimalText(value, places: 1) }

    static func escape(_ text: String) -> String { xmlEscaped(text) }

    /// A chart's opening: the SVG element, named for screen readers by its title, and the title itself.
    static func opening(class name: String, width: Double, height: Double, title: String) -> String {
        let title = escape(title)
        return """
            <svg xmlns="http://www.w3.org/2000/svg" class="\(name)" viewBox="0 0 \(Int(width)) \(Int(height))" role="img" aria-label="\(title)">
            <title>\(title)</title>

            """
    }
}

/// Round tick values for an axis: 1, 2 or 5 times a power of ten, about `count` of them across the range.
struct AxisScale: Equatable {
    var lower: Double
    var upper: Double
    var step: Double

    init(from minimum: Double, to maximum: Double, ticks count: Int = 6) {
        var low = minimum.isFinite ? minimum : 0
        var high = maximum.isFinite ? maximum : 1
        if high <= low { high = low + (low == 0 ? 1 : abs(low) * 0.1) }
        let raw = (high - low) / Double(max(1, count - 1))
        let magnitude = pow(10, floor(log10(raw)))
        let fraction = raw / magnitude
        let nice: Double = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10
        step = nice * magnitude
        low = floor(low / step) * step
        high = ceil(high / step) * step
        lower = low
        upper = high
    }

    var ticks: [Double] {
        let count = Int(((upper - lower) / step).rounded())
        return (0...count).map { lower + Double($0) * step }
    }

    /// Where `value` falls between 0 (lower) and 1 (upper).
    func fraction(_ value: Double) -> Double { (value - lower) / (upper - lower) }
}
