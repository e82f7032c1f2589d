import BlastwallCore

/// A line chart over time rendered as SVG on the server: axes with units, one line per series told apart by
/// its dash pattern and marker as well as its colour, horizontal thresholds and vertical events (a rollback),
/// each labelled in words.
public struct LineChart: Sendable {
    public struct Series: Sendable {
        public var name: String
        public var points: [(x: Double, y: Double)]

        public init(name: String, points: [(x: Double, y: Double)]) {
            self.name = name
            self.points = points
        }
    }

    /// A level the values are judged against: "threshold 4.6".
    public struct Threshold: Sendable {
        public var label: String
        public var value: Double

        public init(label: String, value: Double) {
            self.label = label
            self.value = value
        }
    }

    /// A moment on the time axis: "rollback detected".
    public struct Event: Sendable {
        public var label: String
        public var x: Double

        public init(label: String, x: Double) {
            self.label = label
            self.x = x
        }
    }

    public var title: String
    public var xUnit: String
    public var yUnit: String
    public var series: [Series]
    public var thresholds: [Threshold]
    public var events: [Event]

    public init(
        title: String, xUnit: String, yUnit: String, series: [Series], thresholds: [Threshold] = [], events: [Event] = []
    ) {
        self.title = title
        self.xUnit = xUnit
        self.yUnit = yUnit
        self.series = series
        self.thresholds = thresholds
        self.events = events
    }

    static let width = 640.0
    static let height = 260.0
    static let left = 60.0
    static let right = 20.0
    static let top = 16.0
    static let bottom = 64.0
    /// Told apart without colour: solid, dashed, dotted; a circle, a square, a diamond.
    static let dashes = ["", "8 4", "2 3"]
    static let markers = ["circle", "square", "diamond"]

    public var isEmpty: Bool { series.allSatisfy(\.points.isEmpty) }

    public var svg: String {
        let xs = series.flatMap { $0.points.map(\.x) } + events.map(\.x)
        let ys = series.flatMap { $0.points.map(\.y) } + thresholds.map(\.value)
        let xScale = AxisScale(from: xs.min() ?? 0, to: xs.max() ?? 1)
        let yScale = AxisScale(from: min(0, ys.min() ?? 0), to: ys.max() ?? 1)
        let plotWidth = Self.width - Self.left - Self.right
        let plotHeight = Self.height - Self.top - Self.bottom
        func xPosition(_ value: Double) -> Double { Self.left + xScale.fraction(value) * plotWidth }
        func yPosition(_ value: Double) -> Double { Self.top + (1 - yScale.fraction(value)) * plotHeight }
        func x(_ value: Double) -> String { ChartText.coordinate(xPosition(value)) }
        func y(_ value: Double) -> String { ChartText.coordinate(yPosition(value)) }
        let bottomY = ChartText.coordinate(Self.top + plotHeight)
        let rightX = ChartText.coordinate(Self.left + plotWidth)
        var out = ChartText.opening(class: "chart", width: Self.width, height: Self.height, title: title)
        // Axes, grid and tick labels.
        for tick in yScale.ticks {
            out += "<line class=\"grid\" x1=\"\(ChartText.coordinate(Self.left))\" y1=\"\(y(tick))\" x2=\"\(rightX)\" y2=\"\(y(tick))\"/>"
            out +=
                "<text class=\"tick\" x=\"\(ChartText.coordinate(Self.left - 6))\" y=\"\(y(tick))\" text-anchor=\"end\" dominant-baseline=\"middle\">\(decimalText(tick))</text>\n"
        }
        for tick in xScale.ticks {
            out +=
                "<line class=\"axis\" x1=\"\(x(tick))\" y1=\"\(bottomY)\" x2=\"\(x(tick))\" y2=\"\(ChartText.coordinate(Self.top + plotHeight + 4))\"/>"
            out +=
                "<text class=\"tick\" x=\"\(x(tick))\" y=\"\(ChartText.coordinate(Self.top + plotHeight + 16))\" text-anchor=\"middle\">\(decimalText(tick))</text>\n"
        }
        out +=
            "<line class=\"axis\" x1=\"\(ChartText.coordinate(Self.left))\" y1=\"\(ChartText.coordinate(Self.top))\" x2=\"\(ChartText.coordinate(Self.left))\" y2=\"\(bottomY)\"/>"
        out += "<line class=\"axis\" x1=\"\(ChartText.coordinate(Self.left))\" y1=\"\(bottomY)\" x2=\"\(rightX)\" y2=\"\(bottomY)\"/>\n"
        out +=
            "<text class=\"unit\" x=\"\(ChartText.coordinate(Self.left + plotWidth / 2))\" y=\"\(ChartText.coordinate(Self.top + plotHeight + 32))\" text-anchor=\"middle\">\(ChartText.escape(xUnit))</text>\n"
        out +=
            "<text class=\"unit\" transform=\"translate(14 \(ChartText.coordinate(Self.top + plotHeight / 2))) rotate(-90)\" text-anchor=\"middle\">\(ChartText.escape(yUnit))</text>\n"
        for threshold in thresholds {
            out +=
                "<line class=\"threshold\" x1=\"\(ChartText.coordinate(Self.left))\" y1=\"\(y(threshold.value))\" x2=\"\(rightX)\" y2=\"\(y(threshold.value))\"/>"
            out +=
                "<text class=\"label\" x=\"\(ChartText.coordinate(Self.left + plotWidth - 4))\" y=\"\(ChartText.coordinate(Self.top + (1 - yScale.fraction(threshold.value)) * plotHeight - 4))\" text-anchor=\"end\">\(ChartText.escape(threshold.label))</text>\n"
        }
        for (index, event) in events.enumerated() {
            out +=
                "<line class=\"event\" x1=\"\(x(event.x))\" y1=\"\(ChartText.coordinate(Self.top))\" x2=\"\(x(event.x))\" y2=\"\(bottomY)\"/>"
            // Past the middle the label sits left of its line, so that it stays inside the chart.
            let late = xScale.fraction(event.x) > 0.5
            let labelX = xPosition(event.x) + (late ? -4 : 4)
            out +=
                "<text class=\"label\" x=\"\(ChartText.coordinate(labelX))\" y=\"\(ChartText.coordinate(Self.top + 12 + Double(index % 3) * 14))\"\(late ? " text-anchor=\"end\"" : "")>\(ChartText.escape(event.label))</text>\n"
        }
        for (index, line) in series.enumerated() where !line.points.isEmpty {
            let style = index % Self.dashes.count
            let dash = Self.dashes[style].isEmpty ? "" : " stroke-dasharray=\"\(Self.dashes[style])\""
            let points = line.points.map { "\(x($0.x)),\(y($0.y))" }.joined(separator: " ")
            out += "<g class=\"series series-\(style)\"><title>\(ChartText.escape(line.name))</title>"
            out += "<polyline fill=\"none\" points=\"\(points)\"\(dash)/>"
            // Markers while they can still be told apart; a long run reads as a line.
            if line.points.count <= 120 {
                for point in line.points { out += Self.marker(Self.markers[style], x: xPosition(point.x), y: yPosition(point.y)) }
            }
            out += "</g>\n"
        }
        // The legend, below the axis label: a sample of each line's pattern and marker beside its name.
        var legendX = Self.left
        let legendY = Self.top + plotHeight + 50
        for (index, line) in series.enumerated() {
            let style = index % Self.dashes.count
            let dash = Self.dashes[style].isEmpty ? "" : " stroke-dasharray=\"\(Self.dashes[style])\""
            let start = ChartText.coordinate(legendX)
            let end = ChartText.coordinate(legendX + 28)
            out +=
                "<g class=\"series series-\(style)\"><line x1=\"\(start)\" y1=\"\(ChartText.coordinate(legendY))\" x2=\"\(end)\" y2=\"\(ChartText.coordinate(legendY))\"\(dash)/>"
            out += Self.marker(Self.markers[style], x: legendX + 14, y: legendY)
            out +=
                "</g><text class=\"legend\" x=\"\(ChartText.coordinate(legendX + 34))\" y=\"\(ChartText.coordinate(legendY))\" dominant-baseline=\"middle\">\(ChartText.escape(line.name))</text>\n"
            legendX += 44 + Double(line.name.count) * 7
        }
        out += "</svg>"
        return out
    }

    static func marker(_ shape: String, x: Double, y: Double) -> String {
        func at(_ dx: Double, _ dy: Double) -> String { "\(ChartText.coordinate(x + dx)),\(ChartText.coordinate(y + dy))" }
        switch shape {
        case "square":
            return
                "<rect class=\"marker\" x=\"\(ChartText.coordinate(x - 3))\" y=\"\(ChartText.coordinate(y - 3))\" width=\"6\" height=\"6\"/>"
        case "diamond":
            return "<polygon class=\"marker\" points=\"\(at(0, -4)) \(at(4, 0)) \(at(0, 4)) \(at(-4, 0))\"/>"
        default:
            return "<circle class=\"marker\" cx=\"\(ChartText.coordinate(x))\" cy=\"\(ChartText.coordinate(y))\" r=\"3\"/>"
        }
    }
}
