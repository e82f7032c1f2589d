import BlastwallCore

/// A horizontal bar chart rendered as SVG on the server: one bar per group (all, human, AI-assisted…), each
/// filled with its own pattern and followed by its value in words, so it reads without colour.
public struct BarChart: Sendable {
    public struct Bar: Sendable {
        public var label: String
        /// Nil when there is nothing to measure (no deployment): drawn as "no data", not as zero.
        public var value: Double?
        /// What is written after the bar: "1.4 per day (elite, 126 deployments)".
        public var text: String

        public init(label: String, value: Double?, text: String) {
            self.label = label
            self.value = value
            self.text = text
        }
    }

    /// Prefixes the patterns' ids, which must differ between the charts of one page.
    public var identifier: String
    public var title: String
    public var unit: String
    public var bars: [Bar]

    public init(identifier: String, title: String, unit: String, bars: [Bar]) {
        self.identifier = identifier
        self.title = title
        self.unit = unit
        self.bars = bars
    }

    static let width = 640.0
    static let labelWidth = 120.0
    static let barArea = 260.0
    static let rowHeight = 28.0
    static let top = 8.0
    static let patterns = ["solid", "diagonal", "dots", "cross"]

    public var svg: String {
        let maximum = bars.compactMap(\.value).max() ?? 0
        let scale = AxisScale(from: 0, to: maximum > 0 ? maximum : 1, ticks: 4)
        let height = Self.top + Double(bars.count) * Self.rowHeight + 36
        var out = ChartText.opening(class: "chart bars", width: Self.width, height: height, title: title)
        out += """
            <defs>
            <pattern id="\(identifier)-diagonal" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect class="pattern-ground" width="6" height="6"/><line class="pattern-ink" x1="0" y1="0" x2="0" y2="6"/></pattern>
            <pattern id="\(identifier)-dots" width="5" height="5" patternUnits="userSpaceOnUse"><rect class="pattern-ground" width="5" height="5"/><circle class="pattern-dot" cx="2.5" cy="2.5" r="1.3"/></pattern>
            <pattern id="\(identifier)-cross" width="6" height="6" patternUnits="userSpaceOnUse"><rect class="pattern-ground" width="6" height="6"/><path class="pattern-ink" d="M0 0L6 6M6 0L0 6"/></pattern>
            </defs>

            """
        for (index, bar) in bars.enumerated() {
            let rowY = Self.top + Double(index) * Self.rowHeight
            let pattern = Self.patterns[index % Self.patterns.count]
            let fill = pattern == "solid" ? "" : " fill=\"url(#\(identifier)-\(pattern))\""
            out +=
                "<text class=\"legend\" x=\"\(ChartText.coordinate(Self.labelWidth - 8))\" y=\"\(ChartText.coordinate(rowY + 12))\" text-anchor=\"end\" dominant-baseline=\"middle\">\(ChartText.escape(bar.label))</text>"
            var textX = Self.labelWidth + 6
            if let value = bar.value {
                let length = max(0, scale.fraction(value)) * Self.barArea
                out +=
                    "<rect class=\"bar bar-\(pattern)\" x=\"\(ChartText.coordinate(Self.labelWidth))\" y=\"\(ChartText.coordinate(rowY + 2))\" width=\"\(ChartText.coordinate(length))\" height=\"20\"\(fill)/>"
                textX = Self.labelWidth + length + 6
            }
            out +=
                "<text class=\"label\" x=\"\(ChartText.coordinate(textX))\" y=\"\(ChartText.coordinate(rowY + 12))\" dominant-baseline=\"middle\">\(ChartText.escape(bar.value == nil ? "no data" : bar.text))</text>\n"
        }
        let axisY = Self.top + Double(bars.count) * Self.rowHeight
        out +=
            "<line class=\"axis\" x1=\"\(ChartText.coordinate(Self.labelWidth))\" y1=\"\(ChartText.coordinate(axisY))\" x2=\"\(ChartText.coordinate(Self.labelWidth + Self.barArea))\" y2=\"\(ChartText.coordinate(axisY))\"/>"
        for tick in scale.ticks {
            let tickX = ChartText.coordinate(Self.labelWidth + scale.fraction(tick) * Self.barArea)
            out +=
                "<text class=\"tick\" x=\"\(tickX)\" y=\"\(ChartText.coordinate(axisY + 14))\" text-anchor=\"middle\">\(decimalText(tick))</text>"
        }
        out +=
            "\n<text class=\"unit\" x=\"\(ChartText.coordinate(Self.labelWidth + Self.barArea / 2))\" y=\"\(ChartText.coordinate(axisY + 30))\" text-anchor=\"middle\">\(ChartText.escape(unit))</text>\n"
        out += "</svg>"
        return out
    }
}
