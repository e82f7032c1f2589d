import BlastwallCore
import Foundation
import Testing

@testable import BlastwallDashboard

@Suite struct ChartTests {
    let chart = LineChart(
        title: "Error ratio, canary against baseline", xUnit: "seconds since the rollout started", yUnit: "errors (% of requests)",
        series: [
            .init(name: "canary v2", points: [(x: 0, y: 1), (x: 10, y: 4), (x: 20, y: 9.5)]),
            .init(name: "baseline v1", points: [(x: 0, y: 1), (x: 10, y: 1.2), (x: 20, y: 0.8)]),
        ],
        thresholds: [.init(label: "SLO 5%", value: 5)], events: [.init(label: "rollback detected", x: 20)])

    @Test func theSameChartIsTheSameText() {
        #expect(chart.svg == chart.svg)
        #expect(chart.svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(chart.svg.hasSuffix("</svg>"))
    }

    @Test func axesCarryRoundTicksAndUnits() {
        let svg = chart.svg
        // y from 0 to 10 in steps of 2 (9.5 rounds the top up); x from 0 to 20 in steps of 5.
        for label in ["0", "2", "4", "6", "8", "10"] { #expect(svg.contains("dominant-baseline=\"middle\">\(label)</text>")) }
        for label in ["5", "15", "20"] { #expect(svg.contains("text-anchor=\"middle\">\(label)</text>")) }
        #expect(svg.contains(">seconds since the rollout started</text>"))
        #expect(svg.contains(">errors (% of requests)</text>"))
    }

    @Test func seriesAreToldApartWithoutColour() {
        let svg = chart.svg
        // The first series solid with circles, the second dashed with squares; each named in the legend.
        #expect(
            svg.contains("<g class=\"series series-0\"><title>canary v2</title><polyline fill=\"none\" points=\"60,178 340,124 620,25\"/>"))
        #expect(svg.contains("stroke-dasharray=\"8 4\""))
        #expect(svg.contains("<circle class=\"marker\""))
        #expect(svg.contains("<rect class=\"marker\""))
        #expect(svg.contains(">canary v2</text>"))
        #expect(svg.contains(">baseline v1</text>"))
    }

    @Test func thresholdsAndEventsAreLabelled() {
        let svg = chart.svg
        #expect(svg.contains("<line class=\"threshold\" x1=\"60\" y1=\"106\" x2=\"620\" y2=\"106\"/>"))
        #expect(svg.contains(">SLO 5%</text>"))
        #expect(svg.contains("<line class=\"event\" x1=\"620\""))
        // At the right edge, the label ends left of its line.
        #expect(svg.contains("<text class=\"label\" x=\"616\" y=\"28\" text-anchor=\"end\">rollback detected</text>"))
    }

    @Test func textIsEscaped() {
        let hostile = LineChart(title: "a <b> & \"c\"", xUnit: "s", yUnit: "ms", series: [.init(name: "<script>", points: [(x: 0, y: 1)])])
        #expect(!hostile.svg.contains("<script>"))
        #expect(hostile.svg.contains("&lt;script&gt;"))
        #expect(hostile.svg.contains("aria-label=\"a &lt;b&gt; &amp; &quot;c&quot;\""))
    }

    @Test func aFlatOrEmptySeriesStillHasAnAxis() {
        let flat = LineChart(title: "t", xUnit: "s", yUnit: "%", series: [.init(name: "a", points: [(x: 5, y: 0), (x: 5, y: 0)])])
        #expect(!flat.svg.contains("NaN"))
        #expect(!flat.svg.contains("∞"))
        let empty = LineChart(title: "t", xUnit: "s", yUnit: "%", series: [.init(name: "a", points: [])])
        #expect(empty.isEmpty)
        #expect(!empty.svg.contains("<polyline"))
    }

    @Test func barsSayTheirValueAndTellNoDataFromZero() {
        let bars = BarChart(
            identifier: "freq", title: "Deployment frequency", unit: "deployments per day",
            bars: [
                .init(label: "all", value: 2, text: "2 per day (elite)"), .init(label: "human", value: 1, text: "1 per day (elite)"),
                .init(label: "ai-assisted", value: nil, text: ""),
            ])
        let svg = bars.svg
        #expect(svg.contains(">2 per day (elite)</text>"))
        #expect(svg.contains(">no data</text>"))
        // The second bar is patterned, half as long as the first.
        #expect(svg.contains("<rect class=\"bar bar-solid\" x=\"120\" y=\"10\" width=\"260\" height=\"20\"/>"))
        #expect(
            svg.contains("<rect class=\"bar bar-diagonal\" x=\"120\" y=\"38\" width=\"130\" height=\"20\" fill=\"url(#freq-diagonal)\"/>"))
        #expect(svg.contains("<pattern id=\"freq-diagonal\""))
        #expect(svg.contains(">deployments per day</text>"))
    }

    @Test(arguments: [(0.0, 1.0), (0.0, 9.5), (3.0, 3.0), (-2.0, 7.0), (0.0, 0.0003), (100.0, 12_345.0)])
    func scalesCoverTheirRangeInRoundSteps(range: (Double, Double)) {
        let scale = AxisScale(from: range.0, to: range.1)
        #expect(scale.lower <= range.0)
        #expect(scale.upper >= range.1)
        #expect(scale.upper > scale.lower)
        let mantissa = scale.step / pow10(floorLog10(scale.step))
        #expect([1, 2, 5, 10].contains { abs($0 - mantissa) < 1e-9 })
        #expect(scale.ticks.count <= 12)
    }

    func floorLog10(_ value: Double) -> Double { (log10(value)).rounded(.down) }
    func pow10(_ value: Double) -> Double { pow(10, value) }
}

@Suite struct ReadableDurationTests {
    @Test func durationsReadAsPeopleSayThem() {
        #expect(readableDuration(0) == "0 s")
        #expect(readableDuration(119.4) == "119 s")
        #expect(readableDuration(250) == "4 min 10 s")
        #expect(readableDuration(300) == "5 min")
        #expect(readableDuration(3_600) == "1 h")
        #expect(readableDuration(11_100) == "3 h 5 min")
        #expect(readableDuration(-5) == "0 s")
    }
}
